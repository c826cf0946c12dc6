from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q

from safeguarding.core.models import PublicIdModel


class OrganisationType(models.TextChoices):
    LOCAL_AUTHORITY = "LOCAL_AUTHORITY", "Local authority"
    NHS_ENGLAND = "NHS_ENGLAND", "NHS England (formerly NHS Commissioning Board)"
    INTEGRATED_CARE_BOARD = (
        "INTEGRATED_CARE_BOARD",
        "Integrated care board (formerly clinical commissioning group, and before that primary care trust)",
    )
    # Historical bodies, kept so that succession chains can be recorded faithfully.
    CLINICAL_COMMISSIONING_GROUP = "CLINICAL_COMMISSIONING_GROUP", "Clinical commissioning group (2013-2022)"
    PRIMARY_CARE_TRUST = "PRIMARY_CARE_TRUST", "Primary care trust (to 2013)"
    STRATEGIC_HEALTH_AUTHORITY = "STRATEGIC_HEALTH_AUTHORITY", "Strategic health authority (to 2013)"
    NHS_TRUST = "NHS_TRUST", "NHS trust or other health provider"
    GP_PRACTICE = "GP_PRACTICE", "GP practice"
    POLICE_FORCE = "POLICE_FORCE", "Police force"
    SCHOOL = "SCHOOL", "School"
    EARLY_YEARS = "EARLY_YEARS", "Early years setting"
    VOLUNTARY = "VOLUNTARY", "Voluntary sector"
    INSPECTORATE = "INSPECTORATE", "Inspectorate"


HEALTH_TYPES = frozenset(
    {
        OrganisationType.NHS_ENGLAND,
        OrganisationType.INTEGRATED_CARE_BOARD,
        OrganisationType.CLINICAL_COMMISSIONING_GROUP,
        OrganisationType.PRIMARY_CARE_TRUST,
        OrganisationType.STRATEGIC_HEALTH_AUTHORITY,
        OrganisationType.NHS_TRUST,
        OrganisationType.GP_PRACTICE,
    }
)


class Organisation(PublicIdModel):
    name = models.CharField(max_length=200)
    type = models.CharField(max_length=40, choices=OrganisationType.choices)
    dfe_la_code = models.CharField("DfE LA code", max_length=3, blank=True)
    ods_code = models.CharField("ODS code", max_length=10, blank=True)
    school_urn = models.CharField("School URN", max_length=6, blank=True)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    office_hours_phone = models.CharField(max_length=30, blank=True)
    out_of_hours_phone = models.CharField(max_length=30, blank=True)
    inbox_email = models.EmailField(blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["dfe_la_code"], condition=~Q(dfe_la_code=""), name="org_unique_la_code"),
            models.UniqueConstraint(fields=["ods_code"], condition=~Q(ods_code=""), name="org_unique_ods_code"),
            models.UniqueConstraint(fields=["school_urn"], condition=~Q(school_urn=""), name="org_unique_urn"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="org_valid_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_local_authority(self) -> bool:
        return self.type == OrganisationType.LOCAL_AUTHORITY

    @property
    def is_health(self) -> bool:
        return self.type in HEALTH_TYPES

    def is_current_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)


class Succession(models.Model):
    """One organisation's functions passed to another on a date (mergers, splits, reorganisations)."""

    predecessor = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="successions_out")
    successor = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="successions_in")
    effective_date = models.DateField()
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="succession_unique_pair"),
            models.CheckConstraint(condition=~Q(predecessor=models.F("successor")), name="succession_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor} ({self.effective_date})"


class Partnership(PublicIdModel):
    """A local safeguarding partnership: the local area that groups organisations."""

    name = models.CharField(max_length=200, unique=True)
    local_authority = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="led_partnerships",
        limit_choices_to={"type": OrganisationType.LOCAL_AUTHORITY},
    )
    organisations = models.ManyToManyField(Organisation, related_name="partnerships", blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Team(PublicIdModel):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=200)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children")
    inbox_email = models.EmailField(blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["organisation__name", "name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="team_unique_name_in_org")]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"
