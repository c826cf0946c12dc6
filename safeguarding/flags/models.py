"""Child protection flags, as CP-IS holds them (domain.md §1.2), access events and their notifications.

A Flag is derived from the record (receivers.py), never typed. It carries what CP-IS carries and
nothing else: NHS number, plan type, start and end, the responsible local authority (whose telephone
numbers are in LocalAuthorityContact). `person` names the record it was derived from, so that a
rebuild can find it and the local authority can be told who was seen; it is never shown to health.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from safeguarding.core.models import PublicIdModel
from safeguarding.organisations.models import Organisation, Team


class PlanType(models.TextChoices):
    CPP = "CPP", "Child protection plan"
    LAC = "LAC", "Looked-after child"
    UCPP = "UCPP", "Unborn child protection plan"


class Setting(models.TextChoices):
    UNSCHEDULED = "UNSCHEDULED", "Unscheduled care"
    SCHEDULED = "SCHEDULED", "Scheduled care"


class LocalAuthorityContact(models.Model):
    local_authority = models.OneToOneField(Organisation, on_delete=models.PROTECT, related_name="flag_contact")
    office_hours_phone = models.CharField("Office-hours telephone", max_length=30)
    out_of_hours_phone = models.CharField("Out-of-hours (emergency duty team) telephone", max_length=30)
    notification_email = models.EmailField("E-mail for access notifications", blank=True)

    def __str__(self) -> str:
        return f"{self.local_authority}: {self.office_hours_phone} / {self.out_of_hours_phone}"


class Flag(PublicIdModel):
    nhs_number = models.CharField(max_length=10, db_index=True)
    plan_type = models.CharField(max_length=4, choices=PlanType.choices)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    local_authority = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-start_date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "plan_type", "start_date"], name="flag_one_per_start"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")), name="flag_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan_type} from {self.start_date}"


NATIONAL_NOTE = "reported by the national flag service"  # after the organisation's name, wherever one is shown


class AccessSource(models.TextChoices):
    LOCAL = "local", "Looked up in this system"
    NATIONAL = "national", NATIONAL_NOTE.capitalize()


class AccessEvent(PublicIdModel):
    """A look-up of a flagged NHS number from unscheduled care: who, in what role, where, when. Append-only.

    A local look-up names the user and organisation that made it. One the national flag service reports
    was made elsewhere: the clinician is named only by role (user is empty) and the organisation only by
    its ODS code, linked to `organisation` when this system happens to hold it. The names are the texts
    shown, as recorded at the time, so they stay right when the accounts or organisations change."""

    flag = models.ForeignKey(Flag, on_delete=models.SET_NULL, null=True, related_name="access_events")
    nhs_number = models.CharField(max_length=10, db_index=True)
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    local_authority = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    source = models.CharField(max_length=8, choices=AccessSource.choices, default=AccessSource.LOCAL)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    user_name = models.CharField(max_length=200)
    role = models.CharField(max_length=40)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, related_name="+")
    organisation_name = models.CharField(max_length=200)
    ods_code = models.CharField("ODS code of the reporting organisation", max_length=12, blank=True)
    setting = models.CharField(max_length=12, choices=Setting.choices)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["nhs_number", "-at"], name="access_event_nhs_at")]
        constraints = [
            models.CheckConstraint(
                condition=Q(source=AccessSource.NATIONAL) | Q(user__isnull=False, organisation__isnull=False),
                name="access_event_local_has_user_and_organisation",
            ),
        ]

    @property
    def is_national(self) -> bool:
        return self.source == AccessSource.NATIONAL

    @property
    def where(self) -> str:
        """The organisation as shown, saying so when it was the national service that reported the look-up."""
        if self.is_national:
            return f"{self.organisation_name}, {NATIONAL_NOTE}"
        return self.organisation_name


class Notification(PublicIdModel):
    """The outbox row of an access event, written in the look-up's transaction and delivered once."""

    access_event = models.OneToOneField(AccessEvent, on_delete=models.PROTECT, related_name="notification")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    local_authority = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    delivered_at = models.DateTimeField(null=True, blank=True)
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, null=True, related_name="+")
    emailed_to = models.JSONField(default=list, blank=True)
    acted_on_at = models.DateTimeField(null=True, blank=True)
    acted_on_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acted_on_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["delivered_at"], name="notification_pending")]
