"""Multi-agency case audits: tools, audits, sampled cases, auditors' grades, findings, themes, actions (ADR 0026).

A case points at the child's record; nothing about the child is copied here. Pages show a case by its
reference and name the child only to someone access.queries lets open the record.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from safeguarding.core.models import PublicIdModel

from .codes import ActionStatus, AuditStatus, Cohort, FindingKind


class GradingScale(PublicIdModel):
    """Ordered grades, best first. A scale without a partnership is a shared default (data migration)."""

    partnership = models.ForeignKey(
        "organisations.Partnership", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField(max_length=120)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Grade(models.Model):
    scale = models.ForeignKey(GradingScale, on_delete=models.CASCADE, related_name="grades")
    rank = models.PositiveSmallIntegerField(help_text="1 is the best grade")
    label = models.CharField(max_length=60)

    class Meta:
        ordering = ["scale", "rank"]
        constraints = [models.UniqueConstraint(fields=["scale", "rank"], name="caseaudit_grade_unique_rank")]

    def __str__(self) -> str:
        return self.label


class AuditTool(PublicIdModel):
    """Questions grouped by domain, graded on one scale. Without a partnership: a shared default to copy."""

    partnership = models.ForeignKey(
        "organisations.Partnership", on_delete=models.PROTECT, null=True, blank=True, related_name="case_audit_tools"
    )
    name = models.CharField(max_length=160)
    description = models.TextField(blank=True)
    scale = models.ForeignKey(GradingScale, on_delete=models.PROTECT, related_name="tools")
    copied_from = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Question(models.Model):
    tool = models.ForeignKey(AuditTool, on_delete=models.CASCADE, related_name="questions")
    number = models.PositiveSmallIntegerField()
    domain = models.CharField(max_length=80)
    text = models.TextField()
    guidance = models.TextField(blank=True)

    class Meta:
        ordering = ["tool", "number"]
        constraints = [models.UniqueConstraint(fields=["tool", "number"], name="caseaudit_question_unique_number")]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:60]}"


class CaseAudit(PublicIdModel):
    """One themed audit: the criteria its sample was drawn by, the seed, and its dates."""

    partnership = models.ForeignKey("organisations.Partnership", on_delete=models.PROTECT, related_name="case_audits")
    reference = models.CharField(max_length=40)
    title = models.CharField(max_length=160)
    theme = models.CharField(max_length=120)
    tool = models.ForeignKey(AuditTool, on_delete=models.PROTECT, related_name="audits")
    cohort = models.CharField(max_length=20, choices=Cohort.choices)
    category = models.CharField(max_length=3, blank=True, help_text="CP plan category (casework AbuseCategory)")
    from_on = models.DateField()
    to_on = models.DateField()
    sample_size = models.PositiveSmallIntegerField()
    ends_on = models.DateField(help_text="Auditors' access to the sampled records lapses after this day")
    status = models.CharField(max_length=12, choices=AuditStatus.choices, default=AuditStatus.PLANNED)
    seed = models.BigIntegerField(null=True, blank=True)
    eligible_count = models.PositiveIntegerField(null=True, blank=True)
    sampled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)
    summary = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "reference"], name="caseaudit_unique_reference"),
            models.CheckConstraint(condition=Q(to_on__gte=F("from_on")), name="caseaudit_period_ordered"),
            models.CheckConstraint(condition=Q(sample_size__gte=1), name="caseaudit_sample_positive"),
        ]

    def __str__(self) -> str:
        return self.reference


class AuditCase(PublicIdModel):
    """One sampled child, known on the audit's pages by its reference (e.g. NEG-26-03)."""

    audit = models.ForeignKey(CaseAudit, on_delete=models.PROTECT, related_name="cases")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    number = models.PositiveSmallIntegerField()
    excluded_reason = models.TextField(blank=True)
    excluded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["audit", "number"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "number"], name="caseaudit_case_unique_number"),
            models.UniqueConstraint(fields=["audit", "person"], name="caseaudit_case_unique_person"),
            models.CheckConstraint(
                condition=Q(excluded_at__isnull=True) | ~Q(excluded_reason=""), name="caseaudit_exclusion_has_reason"
            ),
        ]

    @property
    def reference(self) -> str:
        return f"{self.audit.reference}-{self.number:02d}"

    @property
    def is_excluded(self) -> bool:
        return self.excluded_at is not None

    def __str__(self) -> str:
        return self.reference


class Assignment(PublicIdModel):
    """An auditor of one agency grading one case; `involvement` is the time-limited access it granted."""

    case = models.ForeignKey(AuditCase, on_delete=models.PROTECT, related_name="assignments")
    auditor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    involvement = models.ForeignKey(
        "access.Involvement", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    assigned_at = models.DateTimeField()
    overall_grade = models.ForeignKey(Grade, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    agency_view = models.TextField(blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["case", "organisation__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "auditor"], name="caseaudit_assignment_unique_auditor"),
            models.CheckConstraint(
                condition=Q(submitted_at__isnull=True) | (Q(overall_grade__isnull=False) & ~Q(agency_view="")),
                name="caseaudit_submitted_has_view",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.auditor} on {self.case_id}"


class Answer(models.Model):
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    grade = models.ForeignKey(Grade, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["assignment", "question__number"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "question"], name="caseaudit_answer_unique_question")
        ]

    def __str__(self) -> str:
        return f"Answer to question {self.question_id}"


class Moderation(models.Model):
    """The grade agreed for one question of one case where auditors' grades were more than one grade apart."""

    case = models.ForeignKey(AuditCase, on_delete=models.PROTECT, related_name="moderations")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    agreed_grade = models.ForeignKey(Grade, on_delete=models.PROTECT, related_name="+")
    rationale = models.TextField()
    moderated_at = models.DateTimeField()
    moderated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "question"], name="caseaudit_moderation_unique")]

    def __str__(self) -> str:
        return f"Moderated grade for question {self.question_id}"


class Theme(PublicIdModel):
    audit = models.ForeignKey(CaseAudit, on_delete=models.PROTECT, related_name="themes")
    title = models.CharField(max_length=160)
    summary = models.TextField(blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["audit", "id"]
        constraints = [models.UniqueConstraint(fields=["audit", "title"], name="caseaudit_theme_unique_title")]

    def __str__(self) -> str:
        return self.title


class Finding(PublicIdModel):
    """What an auditor found, tagged by them; the manager groups findings into themes."""

    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="findings")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    kind = models.CharField(max_length=10, choices=FindingKind.choices)
    tag = models.CharField(max_length=60)
    text = models.TextField()
    theme = models.ForeignKey(Theme, on_delete=models.SET_NULL, null=True, blank=True, related_name="findings")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["tag", "id"]

    def __str__(self) -> str:
        return self.tag


class Action(PublicIdModel):
    """What an agency will do about a theme, tracked to completion with evidence."""

    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="actions")
    description = models.TextField()
    owner_organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    owner_name = models.CharField(max_length=200)
    due_on = models.DateField()
    status = models.CharField(max_length=6, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    evidence = models.TextField(blank=True)
    completed_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="OPEN", completed_on__isnull=True)
                | (Q(status="DONE", completed_on__isnull=False) & ~Q(evidence="")),
                name="caseaudit_action_done_has_evidence",
            ),
        ]

    def __str__(self) -> str:
        return self.description[:60]
