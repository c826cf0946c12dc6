"""A decision to share, or not to share, information about a child (issue 4 §6, ADR 0021)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from safeguarding.core.models import PublicIdModel
from safeguarding.organisations.models import Organisation

from .codes import Category, Consent, Decision, LawfulBasis, SpecialCondition


class SharingDecision(PublicIdModel):
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="sharing_decisions")
    # The child's local authority (the agency-level lists and counts are per authority).
    local_authority = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    # The decider's organisation: a health trust's or a school's decision is recorded too.
    agency = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    recipient_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="sharing_decisions_received"
    )
    recipient_name = models.CharField(max_length=200, blank=True)
    recipient_role = models.CharField(max_length=200, blank=True)
    description = models.TextField(help_text="What information")
    categories = models.JSONField(default=list)
    decision = models.CharField(max_length=10, choices=Decision.choices)
    reason = models.TextField()
    lawful_basis = models.CharField(max_length=20, choices=LawfulBasis.choices, blank=True)
    special_condition = models.CharField(max_length=20, choices=SpecialCondition.choices, blank=True)
    consent = models.CharField(max_length=10, choices=Consent.choices)
    consent_reason = models.TextField(blank=True)
    decided_on = models.DateField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()
    backdated_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-decided_on", "-id"]
        indexes = [models.Index(fields=["local_authority", "decided_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(decision=Decision.NOT_SHARE) | ~Q(lawful_basis=""), name="sharing_share_has_basis"
            ),
            models.CheckConstraint(
                condition=Q(recipient_organisation__isnull=False) | ~Q(recipient_name=""),
                name="sharing_has_recipient",
            ),
            models.CheckConstraint(
                condition=~Q(consent=Consent.NOT_SOUGHT) | ~Q(consent_reason=""),
                name="sharing_not_sought_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Decision to {self.get_decision_display().lower()} with {self.recipient_label}"

    @property
    def recipient_label(self) -> str:
        parts = [self.recipient_name, self.recipient_role]
        person = ", ".join(p for p in parts if p)
        org = self.recipient_organisation.name if self.recipient_organisation else ""
        return f"{person} ({org})" if person and org else person or org

    @property
    def category_labels(self) -> list[str]:
        return [Category(c).label for c in self.categories if c in Category.values]

    @property
    def is_backdated(self) -> bool:
        return bool(self.backdated_reason)
