from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from safeguarding.organisations.models import Organisation, Team


class InvolvementKind(models.TextChoices):
    ALLOCATED_WORKER = "ALLOCATED_WORKER", "Allocated worker"
    TEAM = "TEAM", "Team responsible"
    KEY_PROFESSIONAL = "KEY_PROFESSIONAL", "Lead or key professional"
    PARTNER_PROFESSIONAL = "PARTNER_PROFESSIONAL", "Partner professional"


class Involvement(models.Model):
    """A recorded legitimate relationship between a person's record and a worker or team.

    This is the single source of "who may open this record" (with management lines,
    named access to restricted records, and break-glass). Other apps create and end
    involvements through safeguarding.access.services, never directly.
    """

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="involvements")
    kind = models.CharField(max_length=30, choices=InvolvementKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="involvements"
    )
    team = models.ForeignKey(Team, on_delete=models.PROTECT, null=True, blank=True, related_name="involvements")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="involvements")
    description = models.CharField(max_length=200, blank=True)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["user", "end_date"], name="involvement_user_open"),
            models.Index(fields=["team", "end_date"], name="involvement_team_open"),
            models.Index(fields=["person", "end_date"], name="involvement_person_open"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False) | Q(team__isnull=False), name="involvement_has_holder"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="involvement_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        holder = self.user or self.team
        return f"{self.get_kind_display()}: {holder}"


class NamedAccess(models.Model):
    """A named user who may see a restricted (sealed) record."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="named_access")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="named_access")
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField()
    reason = models.TextField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "user"], condition=Q(revoked_at__isnull=True), name="named_access_one_open"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} named on {self.person_id}"


class BreakGlassReason(models.TextChoices):
    EMERGENCY = "EMERGENCY", "Emergency: a child may be at immediate risk"
    NEW_INFORMATION = "NEW_INFORMATION", "New safeguarding information received"
    OUT_OF_HOURS = "OUT_OF_HOURS", "Out-of-hours duty cover"
    OTHER = "OTHER", "Other (explain below)"


class BreakGlass(models.Model):
    """Time-limited emergency access with a stated reason. Auditors are alerted."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="break_glass")
    membership = models.ForeignKey("accounts.Membership", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="break_glass")
    reason_code = models.CharField(max_length=20, choices=BreakGlassReason.choices)
    reason = models.TextField()
    started_at = models.DateTimeField()
    expires_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["user", "person", "expires_at"], name="breakglass_lookup")]
        constraints = [
            models.CheckConstraint(condition=Q(expires_at__gt=models.F("started_at")), name="breakglass_expires_later")
        ]

    def __str__(self) -> str:
        return f"Break-glass by {self.user} until {self.expires_at:%Y-%m-%d %H:%M}"


class AuditorAlert(models.Model):
    """An alert raised to an organisation's auditors (break-glass use, for now)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="auditor_alerts")
    break_glass = models.ForeignKey(BreakGlass, on_delete=models.CASCADE, related_name="alerts")
    raised_at = models.DateTimeField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"Alert {self.pk} for {self.organisation}"
