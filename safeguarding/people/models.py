from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q

from safeguarding.core.models import PublicIdModel
from safeguarding.organisations.models import Organisation

from .codes import Disability, Ethnicity, NameKind, PersonKind, RelationshipType, Sex


class Person(PublicIdModel):
    """A child, an unborn child or an adult, held by one local authority.

    Current names live on the row (for fast lists and search); previous names and
    aliases are PersonName rows. Nothing here is ever deleted: a merged duplicate
    points at the record it was merged into.
    """

    kind = models.CharField(max_length=10, choices=PersonKind.choices, default=PersonKind.CHILD)
    local_authority = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="people")
    given_name = models.CharField(max_length=100, blank=True)
    family_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    expected_due_date = models.DateField(null=True, blank=True)
    pregnant_person = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="unborn_children"
    )
    sex = models.CharField(max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    gender = models.CharField("Gender (as the person states it)", max_length=100, blank=True)
    ethnicity = models.CharField(max_length=4, choices=Ethnicity.choices, default=Ethnicity.NOBT)
    first_language = models.CharField(max_length=100, blank=True)
    nhs_number = models.CharField("NHS number", max_length=10, blank=True, db_index=True)
    upn = models.CharField("Unique pupil number", max_length=13, blank=True)
    la_person_id = models.CharField("Local authority person ID", max_length=36, blank=True)
    is_restricted = models.BooleanField(default=False)
    merged_into = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_from")
    search_name = models.CharField(max_length=250, blank=True, db_index=True, editable=False)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["family_name", "given_name"]
        indexes = [
            models.Index(fields=["local_authority", "date_of_birth"], name="person_la_dob"),
            models.Index(fields=["local_authority", "la_person_id"], name="person_la_localid"),
            # Search by date of birth also matches expected due dates (unborn children).
            models.Index(
                fields=["expected_due_date"], condition=Q(expected_due_date__isnull=False), name="person_due_date"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=PersonKind.UNBORN) | Q(expected_due_date__isnull=False),
                name="person_unborn_has_due_date",
            ),
            models.CheckConstraint(condition=~Q(merged_into=models.F("id")), name="person_not_merged_into_self"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        name = f"{self.given_name} {self.family_name}".strip()
        if self.kind == PersonKind.UNBORN and not self.given_name:
            name = f"Unborn baby {self.family_name}".strip()
        return name or "Name not known"

    @property
    def is_merged(self) -> bool:
        return self.merged_into_id is not None

    def age_on(self, day: dt.date) -> int | None:
        if self.date_of_birth is None:
            return None
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class PersonName(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="other_names")
    kind = models.CharField(max_length=10, choices=NameKind.choices)
    given_name = models.CharField(max_length=100, blank=True)
    family_name = models.CharField(max_length=100, blank=True)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()


class PersonDisability(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="disabilities")
    code = models.CharField(max_length=4, choices=Disability.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "code"], name="disability_unique_per_person")]

    def __str__(self) -> str:
        return self.get_code_display()


class Address(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="addresses")
    line_1 = models.CharField(max_length=200)
    line_2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=8, blank=True, db_index=True, help_text="Normalised: upper case, one space")
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-valid_from", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="address_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return ", ".join(p for p in [self.line_1, self.line_2, self.town, self.postcode] if p)

    @property
    def is_current(self) -> bool:
        return self.valid_to is None


class Relationship(models.Model):
    """`from_person` is the <type> of `to_person` (e.g. Jo is the PARENT of Sam)."""

    from_person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relationships_out")
    to_person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relationships_in")
    type = models.CharField(max_length=20, choices=RelationshipType.choices)
    description = models.CharField(max_length=200, blank=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~Q(from_person=models.F("to_person")), name="relationship_not_self"),
            models.UniqueConstraint(fields=["from_person", "to_person", "type"], name="relationship_unique"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="relationship_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_person} is {self.get_type_display().lower()} of {self.to_person}"

    @property
    def is_current(self) -> bool:
        return self.end_date is None


class FamilyGroup(PublicIdModel):
    """A family file (Munro): a household or family grouping. Each child keeps their own file."""

    local_authority = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="families")
    name = models.CharField(max_length=200)
    members: models.ManyToManyField[Person, FamilyMember] = models.ManyToManyField(
        Person, through="FamilyMember", related_name="families"
    )
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.name


class FamilyMember(models.Model):
    family = models.ForeignKey(FamilyGroup, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="family_memberships")
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["family", "person"], name="family_member_unique")]

    def __str__(self) -> str:
        return f"{self.person} in {self.family}"


class NameKey(models.Model):
    """Search keys for typo-tolerant name search: normalised tokens and phonetic codes.

    Derived from the person's current and other names by people.search.keys_for();
    never edited directly.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="name_keys")
    key = models.CharField(max_length=60)

    class Meta:
        indexes = [models.Index(fields=["key", "person"], name="namekey_key_person")]
        constraints = [models.UniqueConstraint(fields=["person", "key"], name="namekey_unique")]

    def __str__(self) -> str:
        return self.key


class MergeRecord(models.Model):
    """A permitted user merged `duplicate` into `survivor`. Both records are kept."""

    survivor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_in")
    duplicate = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_out")
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    merged_at = models.DateTimeField()
    reason = models.TextField()

    def __str__(self) -> str:
        return f"{self.duplicate} merged into {self.survivor}"
