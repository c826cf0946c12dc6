from __future__ import annotations

from django.db import models

from safeguarding.organisations.models import Organisation


class Unit(models.TextChoices):
    WORKING_DAYS = "WORKING_DAYS", "working days"
    CALENDAR_DAYS = "CALENDAR_DAYS", "days"
    MONTHS = "MONTHS", "months"
    HOURS = "HOURS", "hours"


class LocalStandard(models.Model):
    """A local authority's own setting for a named timescale (defaults in standards.catalogue)."""

    local_authority = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="standards")
    code = models.CharField(max_length=60)
    amount = models.PositiveIntegerField()
    unit = models.CharField(max_length=20, choices=Unit.choices)
    note = models.TextField(blank=True, help_text="Why this authority departs from the default")
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["local_authority", "code"], name="standard_unique_per_la")]

    def __str__(self) -> str:
        return f"{self.code}: {self.amount} {self.get_unit_display()}"
