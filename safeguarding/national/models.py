"""The durable outbox of flag changes for the national service, and the record of every message received.

An OutboundChange is written by a receiver in the transaction that changed the flag, so it commits or
rolls back with it. Changes are sent in batches (one message each), in order, per local authority: a
batch is formed (its message id fixed and committed) before it is sent, so a retry after a crash resends
the same message, which the national side can recognise. An InboundMessage is recorded once per message
id, whatever became of it, so a file that is read twice changes nothing the second time.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from safeguarding.core.models import PublicIdModel
from safeguarding.organisations.models import Organisation


class ChangeKind(models.TextChoices):
    CREATED = "CREATED", "Created"
    CHANGED = "CHANGED", "Changed"
    ENDED = "ENDED", "Ended"
    WITHDRAWN = "WITHDRAWN", "Withdrawn"


class Link(models.Model):
    """One local authority's link to the national service: its lock (one sender at a time) and its state."""

    local_authority = models.OneToOneField(Organisation, on_delete=models.PROTECT, related_name="+")
    next_sequence = models.PositiveIntegerField(default=1)
    last_sent_at = models.DateTimeField(null=True, blank=True)
    last_received_at = models.DateTimeField(null=True, blank=True)
    last_failure_at = models.DateTimeField(null=True, blank=True)
    last_failure = models.CharField(max_length=300, blank=True)

    def __str__(self) -> str:
        return f"National link of {self.local_authority_id}"


class OutboundBatch(PublicIdModel):
    """One message to the national service; public_id is its message id. Sent once, retried until it is."""

    local_authority = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    sequence = models.PositiveIntegerField()
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["local_authority_id", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["local_authority", "sequence"], name="national_batch_sequence"),
        ]


class OutboundChange(PublicIdModel):
    """A flag change to send; public_id is its change id. `payload` is the CP-IS minimum, captured at the change."""

    local_authority = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    flag_public_id = models.UUIDField(db_index=True)
    kind = models.CharField(max_length=10, choices=ChangeKind.choices)
    payload = models.JSONField()
    created_at = models.DateTimeField()
    batch = models.ForeignKey(OutboundBatch, on_delete=models.PROTECT, null=True, blank=True, related_name="changes")
    accepted = models.BooleanField(null=True)  # None until the national service acknowledges it
    rejection_reason = models.CharField(max_length=300, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["local_authority", "id"], condition=Q(batch__isnull=True), name="national_unbatched"),
        ]


class InboundKind(models.TextChoices):
    ACCESS = "access-notification", "Access notification"
    ACKNOWLEDGEMENT = "acknowledgement", "Acknowledgement"
    UNKNOWN = "unknown", "Not understood"


class InboundOutcome(models.TextChoices):
    NOTIFIED = "NOTIFIED", "The local authority was notified"
    NO_LOCAL_FLAG = "NO_LOCAL_FLAG", "No flag held here for that NHS number"
    APPLIED = "APPLIED", "Acknowledgement applied"
    REJECTED = "REJECTED", "Refused"


class InboundMessage(PublicIdModel):
    """Every message read from the national service, once per message id; refused ones too, with the reason."""

    message_id = models.CharField(max_length=64, blank=True)
    kind = models.CharField(max_length=20, choices=InboundKind.choices)
    local_authority = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, related_name="+")
    received_at = models.DateTimeField()
    source = models.CharField(max_length=200, blank=True)  # the file name, for the operator
    outcome = models.CharField(max_length=14, choices=InboundOutcome.choices)
    reason = models.CharField(max_length=300, blank=True)
    access_events = models.JSONField(default=list, blank=True)  # public ids of the flags.AccessEvent rows made

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["message_id"], condition=~Q(message_id=""), name="national_inbound_once"),
        ]
