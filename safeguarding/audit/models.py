from __future__ import annotations

from django.conf import settings
from django.db import models


class Outcome(models.TextChoices):
    ALLOWED = "ALLOWED", "Allowed"
    DENIED = "DENIED", "Denied"
    FAILED = "FAILED", "Failed"


class Channel(models.TextChoices):
    WEB = "WEB", "Web"
    API = "API", "API"
    COMMAND = "COMMAND", "Command"
    TASK = "TASK", "Background task"


class AuditEvent(models.Model):
    """One read or write of personal data, or one security event. Append-only.

    Rows are written in the same transaction as the read or write they describe
    (safeguarding.audit.services.record). Database triggers refuse UPDATE and DELETE
    (migration 0002); in production the application's database role is granted
    INSERT and SELECT only on this table.
    """

    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_name = models.CharField(max_length=300, blank=True, help_text="As shown at the time, or the username tried")
    membership = models.ForeignKey(
        "accounts.Membership", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    role = models.CharField(max_length=40, blank=True)
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=80, db_index=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.ALLOWED)
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="audit_events"
    )
    object_type = models.CharField(max_length=80, blank=True)
    object_id = models.CharField(max_length=80, blank=True)
    reason = models.TextField(blank=True)
    basis = models.CharField(max_length=80, blank=True, help_text="Why access was allowed or refused")
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.WEB)
    request_id = models.CharField(max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["person", "-at"], name="audit_person_at"),
            models.Index(fields=["actor", "-at"], name="audit_actor_at"),
            models.Index(fields=["organisation", "-at"], name="audit_org_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.outcome}"
