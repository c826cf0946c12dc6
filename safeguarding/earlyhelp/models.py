"""Early help: a voluntary, consent-based offer of help to a family, below the social care threshold.

One EarlyHelpEpisode per offer, with the family's consent, the early help assessment, a lead
professional and the team around the family (from any agency), a plan with outcomes, reviews, and
its end: closure with an outcome, the family declining, or a step-up to children's social care.
Step-down from social care links the casework episode it came from (casework never imports earlyhelp).
Writes go through earlyhelp.services; the allowed steps are the table in earlyhelp.workflow.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from safeguarding.casework.models import Recorded
from safeguarding.organisations.models import Organisation, Team

from .codes import ClosureOutcome, ConsentBy, ConsentDecision, FamilyOutcome, Rag, Status


class EarlyHelpEpisode(Recorded):
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="early_help_episodes")
    local_authority = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="early_help_episodes")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OFFERED)
    offered_on = models.DateField()
    reason = models.TextField(help_text="Why early help is offered, in words the family would recognise")
    # The early help team holding the episode; empty while an offer from the front door awaits pick-up.
    team = models.ForeignKey(Team, on_delete=models.PROTECT, null=True, blank=True, related_name="early_help")
    stepped_down_from = models.OneToOneField(
        "casework.Episode", on_delete=models.PROTECT, null=True, blank=True, related_name="early_help_after"
    )
    stepped_up_to = models.OneToOneField(
        "casework.Episode", on_delete=models.PROTECT, null=True, blank=True, related_name="early_help_before"
    )
    closure_date = models.DateField(null=True, blank=True)
    closure_outcome = models.CharField(max_length=12, choices=ClosureOutcome.choices, blank=True)
    closure_note = models.TextField(blank=True)

    class Meta:
        verbose_name = "early help episode"
        indexes = [
            models.Index(fields=["local_authority", "status"], name="earlyhelp_la_status"),
            models.Index(fields=["team", "closure_date"], name="earlyhelp_team_open"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(closure_date__isnull=True), name="earlyhelp_one_open_per_person"
            ),
            models.CheckConstraint(
                condition=Q(closure_date__isnull=True) | Q(closure_date__gte=F("offered_on")),
                name="earlyhelp_closes_after_offer",
            ),
            models.CheckConstraint(
                condition=(
                    Q(closure_date__isnull=True, closure_outcome="", status__in=["OFFERED", "ASSESSMENT", "PLAN"])
                )
                | (
                    Q(closure_date__isnull=False, status__in=["CLOSED", "DECLINED", "STEPPED_UP"])
                    & ~Q(closure_outcome="")
                ),
                name="earlyhelp_closure_consistent",
            ),
            models.CheckConstraint(
                condition=Q(status="STEPPED_UP", stepped_up_to__isnull=False)
                | (~Q(status="STEPPED_UP") & Q(stepped_up_to__isnull=True)),
                name="earlyhelp_stepped_up_has_episode",
            ),
        ]

    def __str__(self) -> str:
        return f"Early help offered {self.offered_on}"

    @property
    def is_open(self) -> bool:
        return self.closure_date is None


class EarlyHelpConsent(Recorded):
    """The family's consent to the early help assessment and plan. Early help is voluntary: the
    assessment cannot start without consent given, and consent is reviewed (the latest decision counts)."""

    episode = models.ForeignKey(EarlyHelpEpisode, on_delete=models.PROTECT, related_name="consents")
    decision = models.CharField(max_length=8, choices=ConsentDecision.choices)
    by_whom = models.CharField("Name of the person deciding", max_length=200)
    relationship = models.CharField(max_length=12, choices=ConsentBy.choices, default=ConsentBy.PARENT)
    decided_on = models.DateField()
    note = models.TextField(blank=True)

    class Meta:
        verbose_name = "early help consent"
        ordering = ["-decided_on", "-recorded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} on {self.decided_on}"


class EarlyHelpAssessment(Recorded):
    episode = models.OneToOneField(EarlyHelpEpisode, on_delete=models.PROTECT, related_name="assessment")
    started_on = models.DateField()
    completed_on = models.DateField(null=True, blank=True)
    strengths = models.TextField(blank=True, help_text="What is working well for the child and family")
    needs = models.TextField(blank=True, help_text="What the family needs help with")
    family_view = models.TextField("The family's view", blank=True)
    child_view = models.TextField("The child's view", blank=True, help_text="In the child's own words where possible")

    class Meta:
        verbose_name = "early help assessment"
        constraints = [
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True) | Q(completed_on__gte=F("started_on")),
                name="earlyhelp_assessment_completes_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"Early help assessment started {self.started_on}"


class Professional(Recorded):
    """Someone from any agency: a user of this system, or a named person outside it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField(max_length=200, blank=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    organisation_name = models.CharField("Organisation or agency", max_length=200, blank=True)
    role = models.CharField(max_length=200, blank=True)
    # The access a user holding this role was given, ended when they stop.
    involvement = models.ForeignKey(
        "access.Involvement", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        abstract = True

    @property
    def display_name(self) -> str:
        return str(self.user) if self.user_id else self.name

    @property
    def agency(self) -> str:
        return self.organisation.name if self.organisation_id and self.organisation else self.organisation_name


class LeadProfessional(Professional):
    episode = models.ForeignKey(EarlyHelpEpisode, on_delete=models.PROTECT, related_name="lead_professionals")
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = "lead professional"
        ordering = ["-started_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(user__isnull=False) | ~Q(name=""), name="earlyhelp_lead_has_person"),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")), name="earlyhelp_lead_dates"
            ),
            models.UniqueConstraint(
                fields=["episode"], condition=Q(ended_on__isnull=True), name="earlyhelp_one_current_lead"
            ),
        ]

    def __str__(self) -> str:
        return f"Lead professional {self.display_name} from {self.started_on}"


class TeamAroundFamilyMember(Professional):
    episode = models.ForeignKey(EarlyHelpEpisode, on_delete=models.PROTECT, related_name="taf_members")
    joined_on = models.DateField()
    left_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = "team around the family member"
        ordering = ["joined_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(user__isnull=False) | ~Q(name=""), name="earlyhelp_taf_has_person"),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")), name="earlyhelp_taf_dates"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.role or self.agency})"


class EarlyHelpPlan(Recorded):
    episode = models.OneToOneField(EarlyHelpEpisode, on_delete=models.PROTECT, related_name="plan")
    started_on = models.DateField()
    first_review_on = models.DateField("First review by")

    class Meta:
        verbose_name = "early help plan"
        constraints = [
            models.CheckConstraint(
                condition=Q(first_review_on__gt=F("started_on")), name="earlyhelp_plan_review_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"Early help plan from {self.started_on}"


class PlanOutcome(Recorded):
    """One thing the plan means to change: what, by when, who will help, and how it is going."""

    plan = models.ForeignKey(EarlyHelpPlan, on_delete=models.PROTECT, related_name="outcomes")
    change = models.TextField("What will change")
    due_on = models.DateField("By when")
    who = models.CharField("Who will help", max_length=300)
    headline = models.CharField("Supporting Families outcome", max_length=16, choices=FamilyOutcome.choices, blank=True)
    rag = models.CharField("Progress", max_length=5, choices=Rag.choices, blank=True)  # latest review's rating

    class Meta:
        verbose_name = "plan outcome"
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.change[:60]


class EarlyHelpReview(Recorded):
    """A team around the family review of the plan."""

    episode = models.ForeignKey(EarlyHelpEpisode, on_delete=models.PROTECT, related_name="reviews")
    held_on = models.DateField()
    summary = models.TextField(blank=True)
    next_review_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = "early help review"
        ordering = ["-held_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(next_review_on__isnull=True) | Q(next_review_on__gt=F("held_on")),
                name="earlyhelp_next_review_after",
            ),
        ]

    def __str__(self) -> str:
        return f"Review {self.held_on}"


class OutcomeProgress(models.Model):
    review = models.ForeignKey(EarlyHelpReview, on_delete=models.PROTECT, related_name="progress")
    outcome = models.ForeignKey(PlanOutcome, on_delete=models.PROTECT, related_name="progress")
    rag = models.CharField("Progress", max_length=5, choices=Rag.choices)
    note = models.TextField(blank=True)

    class Meta:
        verbose_name = "progress on an outcome"
        constraints = [models.UniqueConstraint(fields=["review", "outcome"], name="earlyhelp_progress_once")]

    def __str__(self) -> str:
        return f"{self.get_rag_display()} at {self.review}"
