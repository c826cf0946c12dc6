"""Children's social care from referral to closure: one Episode per referral (a CIN census CINdetails).

Every record carries the date practice happened (`*_date`/`*_on`) and when it was typed
(`recorded_at`): records often lag practice, so back-dating is allowed with a reason and shown.
Writes go through casework.services (audit and chronology in the same transaction); the
allowed steps between stages are the table in casework.workflow.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from safeguarding.core.models import PublicIdModel
from safeguarding.organisations.models import Organisation, Team

from .codes import (
    AbuseCategory,
    AssessmentFactor,
    AssessmentOutcome,
    ClosureReason,
    ConferenceDecision,
    ConferenceKind,
    PrimaryNeed,
    ReferralSource,
    Section47Outcome,
    Stage,
    StrategyOutcome,
)


class Recorded(PublicIdModel):
    """Who typed a record and when, and why it was typed long after the event (if it was)."""

    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    backdated_reason = models.TextField(blank=True, help_text="Why this was recorded more than a day after it happened")

    class Meta:
        abstract = True


class Episode(Recorded):
    """A referral to children's social care and everything that follows it, until closure."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="episodes")
    local_authority = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="episodes")
    referral_date = models.DateField()
    referral_source = models.CharField(max_length=3, choices=ReferralSource.choices)
    primary_need = models.CharField(max_length=2, choices=PrimaryNeed.choices, blank=True)
    referral_nfa = models.BooleanField("No further action on the referral", default=False)
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.REFERRAL)
    allocated_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="allocated_episodes"
    )
    team = models.ForeignKey(Team, on_delete=models.PROTECT, null=True, blank=True, related_name="episodes")
    closure_date = models.DateField(null=True, blank=True)
    closure_reason = models.CharField(max_length=3, choices=ClosureReason.choices, blank=True)
    closure_note = models.TextField(blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["person", "referral_date"], name="episode_person_date"),
            models.Index(fields=["local_authority", "referral_date"], name="episode_la_date"),
            models.Index(fields=["allocated_worker", "closure_date"], name="episode_worker_open"),
            models.Index(fields=["team", "closure_date"], name="episode_team_open"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(closure_date__isnull=True), name="episode_one_open_per_person"
            ),
            models.CheckConstraint(
                condition=Q(closure_date__isnull=True) | Q(closure_date__gte=F("referral_date")),
                name="episode_closes_after_referral",
            ),
            models.CheckConstraint(
                condition=(Q(closure_date__isnull=True) & Q(closure_reason=""))
                | (Q(closure_date__isnull=False) & ~Q(closure_reason="")),
                name="episode_closure_date_and_reason_together",
            ),
        ]

    def __str__(self) -> str:
        return f"Referral of {self.referral_date}"

    @property
    def is_open(self) -> bool:
        return self.closure_date is None


class Assessment(Recorded):
    """A single assessment. Its timescale is the worker's professional judgement, with the reason;
    the local maximum (standard ASSESSMENT_MAXIMUM) is shown beside it, never enforced."""

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="assessments")
    start_date = models.DateField()
    timescale_working_days = models.PositiveSmallIntegerField()
    timescale_reason = models.TextField()
    completed_on = models.DateField(null=True, blank=True)
    factors = models.JSONField(default=list, blank=True, help_text="CIN census factor codes (casework.codes)")
    outcome = models.CharField(max_length=10, choices=AssessmentOutcome.choices, blank=True)
    summary = models.TextField(blank=True)
    authorised_on = models.DateField(null=True, blank=True)
    authorised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["episode"], condition=Q(authorised_on__isnull=True), name="assessment_one_open_per_episode"
            ),
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True) | Q(completed_on__gte=F("start_date")),
                name="assessment_completes_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"Assessment started {self.start_date}"

    @property
    def factor_labels(self) -> list[str]:
        """The factors in words, each with its census code (codes stay native in the record)."""
        known = dict(AssessmentFactor.choices)
        return [f"{known.get(code, code)} ({code})" for code in self.factors]


class ChildInNeedPlan(Recorded):
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="cin_plans")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    outcomes = models.TextField(help_text="What needs to change for the child, in the family's words where possible")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")), name="cin_plan_dates_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"Child in need plan from {self.start_date}"


class ChildInNeedReview(Recorded):
    plan = models.ForeignKey(ChildInNeedPlan, on_delete=models.PROTECT, related_name="reviews")
    held_on = models.DateField()
    progress = models.TextField()

    def __str__(self) -> str:
        return f"Child in need review {self.held_on}"


class StrategyDiscussion(Recorded):
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="strategy_discussions")
    held_on = models.DateField()
    agencies = models.TextField(help_text="Who took part, by agency")
    outcome = models.CharField(max_length=10, choices=StrategyOutcome.choices)
    rationale = models.TextField()

    def __str__(self) -> str:
        return f"Strategy discussion {self.held_on}"


class Section47Enquiry(Recorded):
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="section47s")
    strategy_discussion = models.OneToOneField(StrategyDiscussion, on_delete=models.PROTECT, related_name="section47")
    start_date = models.DateField()
    conference_target_date = models.DateField(null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=Section47Outcome.choices, blank=True)
    findings = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["episode"], condition=Q(completed_on__isnull=True), name="section47_one_open_per_episode"
            ),
        ]

    def __str__(self) -> str:
        return f"Section 47 enquiry from {self.start_date}"

    @property
    def conference_required(self) -> bool | None:
        return None if not self.outcome else self.outcome == Section47Outcome.CONFERENCE


class ChildProtectionPlan(Recorded):
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="cp_plans")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    initial_category = models.CharField(max_length=3, choices=AbuseCategory.choices)
    latest_category = models.CharField(max_length=3, choices=AbuseCategory.choices)
    end_reason = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gt=F("start_date")), name="cp_plan_dates_ordered"
            ),
            models.UniqueConstraint(
                fields=["episode"], condition=Q(end_date__isnull=True), name="cp_plan_one_open_per_episode"
            ),
        ]

    def __str__(self) -> str:
        return f"Child protection plan from {self.start_date}"


class Conference(Recorded):
    """An initial (after a section 47 enquiry) or review child protection conference."""

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="conferences")
    kind = models.CharField(max_length=10, choices=ConferenceKind.choices)
    section47 = models.OneToOneField(
        Section47Enquiry, on_delete=models.PROTECT, null=True, blank=True, related_name="conference"
    )
    plan = models.ForeignKey(
        ChildProtectionPlan, on_delete=models.PROTECT, null=True, blank=True, related_name="conferences"
    )
    held_on = models.DateField()
    decision = models.CharField(max_length=10, choices=ConferenceDecision.choices)
    category = models.CharField(max_length=3, choices=AbuseCategory.choices, blank=True)
    rationale = models.TextField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="REVIEW") | Q(plan__isnull=False), name="conference_review_has_plan"
            ),
            models.CheckConstraint(
                condition=~Q(decision="PLAN") | ~Q(category=""), name="conference_plan_has_category"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on}"


class CategoryChange(Recorded):
    plan = models.ForeignKey(ChildProtectionPlan, on_delete=models.PROTECT, related_name="category_changes")
    changed_on = models.DateField()
    category = models.CharField(max_length=3, choices=AbuseCategory.choices)
    reason = models.TextField()

    def __str__(self) -> str:
        return f"Category {self.category} from {self.changed_on}"


class CoreGroupMeeting(Recorded):
    plan = models.ForeignKey(ChildProtectionPlan, on_delete=models.PROTECT, related_name="core_groups")
    held_on = models.DateField()
    agencies = models.TextField(blank=True)
    progress = models.TextField()

    def __str__(self) -> str:
        return f"Core group {self.held_on}"


class Allocation(Recorded):
    """Who held the episode when: allocation and every transfer between workers and teams."""

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="allocations")
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    reason = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"Allocated from {self.start_date}"


class ManagementDecision(Recorded):
    """A manager's decision on an episode, with the rationale (management oversight)."""

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="management_decisions")
    decided_on = models.DateField()
    decision = models.TextField()
    rationale = models.TextField()

    def __str__(self) -> str:
        return f"Management decision {self.decided_on}"


class Supervision(Recorded):
    """Case supervision between a worker and their supervisor about one child."""

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="supervisions")
    held_on = models.DateField()
    supervisor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    discussion = models.TextField()
    actions = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"Supervision {self.held_on}"
