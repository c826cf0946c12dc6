"""Serious incidents and what the partnership learns from them (ADR 0022).

A SeriousIncident carries the statutory steps (awareness, notification to the national panel, rapid
review, decision on a local review, the local review) as dated fields; services enforce their order.
The learning (practice episodes, findings, contributory factors, recommendations, actions) hangs off it.
Children are linked, never copied: the link shows a child only to someone whom need-to-know allows.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from safeguarding.core.models import PublicIdModel

from .codes import ActionStatus, FactorDomain, Pattern, ReviewDecision


class SeriousIncident(PublicIdModel):
    partnership = models.ForeignKey("organisations.Partnership", on_delete=models.PROTECT, related_name="incidents")
    reference = models.CharField(max_length=40)
    aware_on = models.DateField()
    summary = models.TextField()
    children = models.ManyToManyField("people.Person", related_name="serious_incidents", blank=True)
    notified_on = models.DateField(null=True, blank=True)
    rapid_review_held_on = models.DateField(null=True, blank=True)
    rapid_review_agencies = models.TextField(blank=True)
    decision = models.CharField(max_length=10, choices=ReviewDecision.choices, blank=True)
    decision_rationale = models.TextField(blank=True)
    sent_to_panel_on = models.DateField(null=True, blank=True)
    review_commissioned_on = models.DateField(null=True, blank=True)
    reviewer = models.CharField(max_length=200, blank=True)
    report_url = models.URLField(blank=True)
    learning_briefing = models.TextField(blank=True)
    published_on = models.DateField(null=True, blank=True)
    # Why an event date was entered more than a day after it happened, by step name.
    backdated_reasons = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-aware_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "reference"], name="incident_unique_reference"),
        ]

    def __str__(self) -> str:
        return self.reference


class PracticeEpisode(models.Model):
    """A key practice episode (SCIE): what happened and why it made sense at the time (local rationality)."""

    incident = models.ForeignKey(SeriousIncident, on_delete=models.CASCADE, related_name="episodes")
    occurred_on = models.DateField()
    what_happened = models.TextField()
    why_it_made_sense = models.TextField()
    contributory_factors = models.TextField(blank=True)

    class Meta:
        ordering = ["occurred_on", "id"]

    def __str__(self) -> str:
        return f"Key practice episode, {self.occurred_on}"


class Finding(models.Model):
    """A finding stated as an underlying pattern in the system, with its evidence."""

    incident = models.ForeignKey(SeriousIncident, on_delete=models.CASCADE, related_name="findings")
    pattern = models.CharField(max_length=30, choices=Pattern.choices)
    statement = models.TextField()
    evidence = models.TextField()
    question_for_partnership = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.get_pattern_display()


class RootCauseAnalysis(models.Model):
    """A health-sector RCA (NPSA): a care or service delivery problem, its factor domain and five whys."""

    incident = models.ForeignKey(SeriousIncident, on_delete=models.CASCADE, related_name="analyses")
    problem = models.TextField()
    domain = models.CharField(max_length=30, choices=FactorDomain.choices)
    whys = models.JSONField(default=list)
    root_cause = models.TextField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.get_domain_display()


class Recommendation(PublicIdModel):
    incident = models.ForeignKey(SeriousIncident, on_delete=models.CASCADE, related_name="recommendations")
    text = models.TextField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text[:60]


class Action(PublicIdModel):
    """What an agency will do about a recommendation, tracked to closure with evidence."""

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField()
    owner_organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    owner_name = models.CharField(max_length=200)
    due_on = models.DateField()
    status = models.CharField(max_length=12, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    evidence = models.TextField(blank=True)
    completed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="DONE") | (~models.Q(evidence="") & models.Q(completed_on__isnull=False)),
                name="action_done_has_evidence",
            ),
        ]

    def __str__(self) -> str:
        return self.description[:60]
