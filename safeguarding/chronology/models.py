from __future__ import annotations

from django.conf import settings
from django.db import models

from safeguarding.organisations.models import Organisation


class Significance(models.TextChoices):
    ROUTINE = "ROUTINE", "Routine"
    SIGNIFICANT = "SIGNIFICANT", "Significant"
    CRITICAL = "CRITICAL", "Critical"


REPORTED = "chronology.reported"  # source_type of an event reported by a partner agency


class ChronologyEntry(models.Model):
    """One event in a child's story, written by the service that recorded the event.

    Entries are derived, never re-typed: each points at its source record
    (source_type, source_id). Practitioners may add events reported by partners,
    which carry source_type "chronology.reported".
    """

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="chronology")
    occurred_on = models.DateField()
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    agency = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    agency_name = models.CharField(max_length=200, blank=True, help_text="A reporting agency not on the system")
    category = models.CharField(max_length=60)
    summary = models.TextField()
    impact = models.TextField(blank=True, help_text="Impact on the child")
    significance = models.CharField(max_length=12, choices=Significance.choices, default=Significance.ROUTINE)
    is_backdated = models.BooleanField(default=False)
    backdated_reason = models.TextField(blank=True)
    source_type = models.CharField(max_length=60)
    source_id = models.CharField(max_length=60)

    class Meta:
        ordering = ["-occurred_on", "-recorded_at", "-id"]
        indexes = [models.Index(fields=["person", "-occurred_on"], name="chronology_person_date")]

    def __str__(self) -> str:
        return f"{self.occurred_on}: {self.summary[:60]}"

    @property
    def agency_label(self) -> str:
        """The agency's name (select_related("agency") first)."""
        return self.agency.name if self.agency else self.agency_name

    @property
    def is_reported(self) -> bool:
        return self.source_type == REPORTED
