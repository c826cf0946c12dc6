"""Looked-after status: the child's legal status while the local authority looks after them (domain.md §1.1).

A period holds one legal status. A change of status (s20 to an interim care order, then a full care
order) ends one period and starts the next on the same day, as the SSDA903 return records episodes, so
the history of the legal basis is kept rather than overwritten.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from safeguarding.core.models import PublicIdModel
from safeguarding.organisations.models import Organisation


class LegalStatus(models.TextChoices):
    S20 = "S20", "Section 20: accommodated by agreement (voluntary care)"
    S38 = "S38", "Section 38: interim care order"
    S31 = "S31", "Section 31: full care order"


SHORT_LABELS = {LegalStatus.S20: "Section 20", LegalStatus.S38: "Section 38", LegalStatus.S31: "Section 31"}


class LookedAfterPeriod(PublicIdModel):
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="looked_after_periods")
    local_authority = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    legal_status = models.CharField(max_length=3, choices=LegalStatus.choices)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    backdated_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["start_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="lac_period_ends_after_it_starts",
            ),
            models.UniqueConstraint(
                fields=["person"], condition=Q(end_date__isnull=True), name="lac_one_open_period_per_person"
            ),
        ]

    def __str__(self) -> str:
        return f"{SHORT_LABELS[LegalStatus(self.legal_status)]} from {self.start_date}"
