"""The partnership's accountability register and safeguarding training records (ADR 0020).

Roles are defined once (a national default catalogue, plus roles a partnership configures) and held
by an organisation of the area. A holding is never moved when organisations are reorganised: it stays
with the body that held the role (a primary care trust, a clinical commissioning group), and the
organisation succession links say which body answers for the area on a given date.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q

from safeguarding.core.models import PublicIdModel
from safeguarding.organisations.models import Organisation, Partnership, Team


class RoleScope(models.TextChoices):
    AREA = "AREA", "One for the whole area"
    ORGANISATION = "ORGANISATION", "One in each organisation of the listed types"


class AccountableRole(PublicIdModel):
    """A statutory or lead role: what it is responsible for, on what authority, and who must hold it."""

    code = models.SlugField(max_length=60)
    name = models.CharField(max_length=200)
    responsibilities = models.TextField()
    statutory_source = models.CharField(max_length=300, blank=True)
    is_statutory = models.BooleanField(default=True, help_text="A vacancy raises an alert")
    scope = models.CharField(max_length=20, choices=RoleScope.choices)
    # OrganisationType values; historical types are listed too so that holdings before a reorganisation count.
    held_by_types = models.JSONField(default=list, blank=True)
    # Null for the national default catalogue; set for a role configured locally by one partnership.
    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, null=True, blank=True, related_name="local_roles"
    )
    position = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["code"], condition=Q(partnership__isnull=True), name="role_unique_default"),
            models.UniqueConstraint(fields=["partnership", "code"], name="role_unique_local"),
        ]

    def __str__(self) -> str:
        return self.name


class RoleHolding(PublicIdModel):
    """One person holding one role for one organisation of an area, from a date (to a date)."""

    role = models.ForeignKey(AccountableRole, on_delete=models.PROTECT, related_name="holdings")
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="role_holdings")
    # The body that held the role: kept as it was (a primary care trust stays a primary care trust).
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="role_holdings")
    holder_name = models.CharField(max_length=200)
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="role_holdings"
    )
    is_acting = models.BooleanField(default=False)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["role__position", "-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="holding_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.holder_name}, {self.role} ({self.organisation})"

    def covers(self, day: dt.date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)


class TrainingKind(models.TextChoices):
    INTERCOLLEGIATE = "INTERCOLLEGIATE", "Intercollegiate Document level (health staff)"
    MULTI_AGENCY = "MULTI_AGENCY", "Multi-agency safeguarding course"


class TrainingRequirement(models.Model):
    """The training a staff role needs, and how often it must be refreshed (default three years)."""

    role = models.CharField(max_length=40)  # accounts.roles.Role
    kind = models.CharField(max_length=20, choices=TrainingKind.choices)
    minimum_level = models.PositiveSmallIntegerField(default=1)
    refresh_months = models.PositiveSmallIntegerField(default=36)
    source = models.CharField(max_length=300, blank=True)
    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, null=True, blank=True, related_name="training_requirements"
    )

    class Meta:
        ordering = ["role"]
        constraints = [
            models.UniqueConstraint(fields=["role"], condition=Q(partnership__isnull=True), name="req_unique_default"),
            models.UniqueConstraint(fields=["partnership", "role"], name="req_unique_local"),
            models.CheckConstraint(condition=Q(minimum_level__gte=1, minimum_level__lte=5), name="req_level_1_to_5"),
            models.CheckConstraint(condition=Q(refresh_months__gte=1), name="req_refresh_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.role}: {self.get_kind_display()} level {self.minimum_level}"


class TrainingSource(models.TextChoices):
    FORM = "FORM", "Recorded on a form"
    CSV = "CSV", "Imported from a file"
    SYNTHETIC = "SYNTHETIC", "Synthetic data"


class TrainingRecord(PublicIdModel):
    """One course a worker completed."""

    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="training_records")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="training_records")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    course = models.CharField(max_length=200)
    completed_on = models.DateField()
    hours = models.DecimalField(max_digits=5, decimal_places=2)
    provider = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=20, choices=TrainingKind.choices)
    level = models.PositiveSmallIntegerField()
    source = models.CharField(max_length=10, choices=TrainingSource.choices, default=TrainingSource.FORM)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-completed_on"]
        constraints = [
            models.UniqueConstraint(fields=["worker", "course", "completed_on"], name="training_unique_course_day"),
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=5), name="training_level_1_to_5"),
            models.CheckConstraint(condition=Q(hours__gt=0), name="training_hours_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.course} ({self.completed_on})"
