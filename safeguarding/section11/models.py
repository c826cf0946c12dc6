"""Section 11 audits (Children Act 2004 s11): standards, cycles, self-assessments, moderation and actions (ADR 0023).

No child's data lives here: an organisation rates its own arrangements against the partnership's standards.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q

from safeguarding.core.models import PublicIdModel
from safeguarding.organisations.models import Organisation, Partnership


class Rag(models.TextChoices):
    RED = "RED", "Red: not met"
    AMBER = "AMBER", "Amber: partly met"
    GREEN = "GREEN", "Green: met"


RAG_ORDER = {Rag.RED: 0, Rag.AMBER: 1, Rag.GREEN: 2}


class Standard(PublicIdModel):
    """One standard an organisation rates itself against; each partnership keeps and edits its own set."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="section11_standards")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    text = models.TextField()
    source = models.CharField(max_length=300)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["partnership", "number"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "number"], name="s11_standard_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Cycle(PublicIdModel):
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="section11_cycles")
    name = models.CharField(max_length=120)
    opens_on = models.DateField()
    self_assessment_due_on = models.DateField()
    moderation_due_on = models.DateField()
    standards = models.ManyToManyField(Standard, related_name="cycles")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["partnership", "-opens_on"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="s11_cycle_unique_name"),
            models.CheckConstraint(
                condition=Q(self_assessment_due_on__gte=models.F("opens_on"))
                & Q(moderation_due_on__gte=models.F("self_assessment_due_on")),
                name="s11_cycle_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class AssessmentStatus(models.TextChoices):
    DRAFT = "DRAFT", "Not submitted"
    SUBMITTED = "SUBMITTED", "Submitted for moderation"
    MODERATED = "MODERATED", "Moderated"


class Assessment(PublicIdModel):
    """One organisation's self-assessment in one cycle."""

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="assessments")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="section11_assessments")
    status = models.CharField(max_length=10, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["cycle", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "organisation"], name="s11_assessment_unique_org"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.cycle}"


class Rating(PublicIdModel):
    """The organisation's evidence and RAG for one standard, and the partnership's challenge and agreed RAG."""

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="ratings")
    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="ratings")
    evidence = models.TextField(blank=True)
    rag = models.CharField(max_length=5, choices=Rag.choices, blank=True)
    challenge = models.TextField(blank=True)
    challenged_at = models.DateTimeField(null=True, blank=True)
    response = models.TextField(blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    agreed_rag = models.CharField(max_length=5, choices=Rag.choices, blank=True)
    agreed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["assessment", "standard__number"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "standard"], name="s11_rating_unique_standard"),
        ]

    @property
    def final_rag(self) -> str:
        """The agreed RAG once moderated, otherwise the organisation's own."""
        return self.agreed_rag or self.rag


class ActionStatus(models.TextChoices):
    OPEN = "OPEN", "Open"
    COMPLETE = "COMPLETE", "Complete"


class Action(PublicIdModel):
    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="actions")
    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    description = models.TextField()
    owner = models.CharField(max_length=200)
    due_on = models.DateField()
    evidence = models.TextField(blank=True)
    status = models.CharField(max_length=8, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    completed_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="OPEN", completed_on__isnull=True)
                | Q(status="COMPLETE", completed_on__isnull=False),
                name="s11_action_completed_on_iff_complete",
            ),
        ]

    def is_overdue_on(self, day: dt.date) -> bool:
        return self.status == ActionStatus.OPEN and self.due_on < day
