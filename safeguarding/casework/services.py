"""Every write of the social care journey, from referral to closure.

Each service is keyword-only with `principal` and `now` passed in, runs in one transaction,
asks casework.workflow.check whether its step may be taken now, writes the record, moves the
episode's stage, audits the write and adds the event to the child's chronology, all in that
transaction. A refused step raises StepRefused (its message is safe to show) and writes nothing.

Dates: an event more than a day in the past needs `backdated_reason` (records often lag
practice, and the chronology shows them as back-dated); a future date for something that has
happened is refused. The model's constraints are checked before saving, so a violation is a
StepRefused with a plain message rather than a database error.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from safeguarding.access import services as access_services
from safeguarding.access.models import Involvement, InvolvementKind
from safeguarding.accounts.models import Membership
from safeguarding.accounts.roles import Capability
from safeguarding.audit import services as audit
from safeguarding.chronology import services as chronology
from safeguarding.chronology.models import Significance
from safeguarding.core.dates import is_backdated
from safeguarding.organisations.models import Team
from safeguarding.standards.rules import due_date, standard_for

from . import workflow
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
from .models import (
    Allocation,
    Assessment,
    CategoryChange,
    ChildInNeedPlan,
    ChildInNeedReview,
    ChildProtectionPlan,
    Conference,
    CoreGroupMeeting,
    Episode,
    Section47Enquiry,
    StrategyDiscussion,
)
from .workflow import StepRefused

if TYPE_CHECKING:
    from safeguarding.accounts.models import User
    from safeguarding.accounts.principal import Principal
    from safeguarding.people.models import Person

__all__ = ["StepRefused"]  # re-exported: callers catch casework.services.StepRefused

MAX_TIMESCALE_WORKING_DAYS = 250  # about a year: beyond this a timescale is a typing slip

NO_CASEWORK_ROLE = "Your role cannot record social care casework. Ask the child's social worker."
NO_AUTHORISE_ROLE = "Only a team manager can authorise an assessment."

# What each model constraint means to a user, when a step would break it.
CONSTRAINT_MESSAGES = {
    "episode_one_open_per_person": "This child already has an open episode: record the referral on it, or close it.",
    "episode_closes_after_referral": "The closure date must be on or after the referral date.",
    "episode_closure_date_and_reason_together": "Give both a closure date and a reason for closure.",
    "assessment_one_open_per_episode": "An assessment is already under way on this episode.",
    "assessment_completes_after_start": "The assessment cannot be completed before it started.",
    "cin_plan_dates_ordered": "The child in need plan cannot end before it started.",
    "section47_one_open_per_episode": "A section 47 enquiry is already under way on this episode.",
    "cp_plan_dates_ordered": "A child protection plan must end at least a day after it started.",
    "cp_plan_one_open_per_episode": "A child protection plan is already running on this episode.",
    "conference_review_has_plan": "A review conference needs a child protection plan to review.",
    "conference_plan_has_category": "Choose the category of abuse or neglect for the plan.",
}


# ---- shared checks -----------------------------------------------------------------------


def today_for(now: dt.datetime) -> dt.date:
    return timezone.localdate(now)


def check_date(day: dt.date | None, *, now: dt.datetime, backdated_reason: str, what: str) -> None:
    """Refuse a missing or future date, and a date more than a day ago without a reason."""
    if day is None:
        raise StepRefused(f"Enter the date {what}.")
    today = today_for(now)
    if day > today:
        raise StepRefused(f"The date {what} cannot be in the future.")
    if is_backdated(day, recorded_on=today) and not backdated_reason.strip():
        raise StepRefused(f"The date {what} is more than a day ago: say why it is being recorded now.")


def _not_before(day: dt.date, earliest: dt.date, message: str) -> None:
    if day < earliest:
        raise StepRefused(f"{message} ({earliest:%-d %B %Y}).")


def _require(principal: Principal, capability: Capability, message: str = NO_CASEWORK_ROLE) -> None:
    if not principal.can(capability):
        raise StepRefused(message)


def _text(value: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise StepRefused(message)
    return value


def _save(obj: models.Model) -> None:
    """Check the model's constraints (each with its plain message), then save."""
    for constraint in obj._meta.constraints:
        try:
            constraint.validate(type(obj), obj)  # type: ignore[attr-defined]
        except ValidationError:
            raise StepRefused(CONSTRAINT_MESSAGES.get(constraint.name, "This would leave the record inconsistent."))
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError:  # a concurrent write got there first
        raise StepRefused("Someone else changed this episode at the same moment. Reload the page and try again.")


def _recorded(principal: Principal, now: dt.datetime, backdated_reason: str) -> dict[str, Any]:
    return {"recorded_at": now, "recorded_by": principal.user, "backdated_reason": backdated_reason.strip()}


def _move(episode: Episode, stage: str) -> None:
    if episode.stage != stage:
        episode.stage = stage
        episode.save(update_fields=["stage"])


def _log(
    *,
    episode: Episode,
    record: Any,
    principal: Principal,
    now: dt.datetime,
    action: str,
    occurred_on: dt.date,
    category: str,
    summary: str,
    significance: str = Significance.ROUTINE,
    details: dict[str, Any] | None = None,
    backdated_reason: str = "",
) -> None:
    """The audit row and the chronology entry every step writes, in the step's transaction."""
    label = record._meta.label_lower
    audit.record(
        principal=principal,
        action=action,
        at=now,
        person=episode.person,
        object_type=label,
        object_id=str(record.public_id),
        details={"episode": str(episode.public_id), "stage": episode.stage, **(details or {})},
    )
    chronology.add_entry(
        person=episode.person,
        principal=principal,
        occurred_on=occurred_on,
        category=category,
        summary=summary,
        significance=significance,
        source_type=label,
        source_id=str(record.public_id),
        now=now,
        backdated_reason=backdated_reason.strip(),
    )


def _link_voice(entries: Sequence[Any], target: Any, principal: Principal, now: dt.datetime) -> None:
    """Record which of the child's words informed a decision (voice.services; imported here so
    casework does not depend on voice at import time)."""
    if not entries:
        return
    from safeguarding.voice import services as voice_services

    try:
        voice_services.link_voice(entries=entries, target=target, principal=principal, now=now)
    except voice_services.VoiceRefused as exc:
        raise StepRefused(str(exc)) from exc


def _lock(episode: Episode) -> Episode:
    """The episode, re-read and locked for the step (two steps at once cannot both pass the table)."""
    return Episode.objects.select_for_update().select_related("person").get(pk=episode.pk)


# ---- referral ----------------------------------------------------------------------------


def _worker_member_of(worker: User, organisation_id: int) -> bool:
    return Membership.objects.filter(user=worker, organisation_id=organisation_id, is_active=True).exists()


def _involve(
    person: Person, principal: Principal, now: dt.datetime, *, kind: str, start: dt.date, **holder: Any
) -> None:
    """Record the involvement unless the same holder is already involved in the same way."""
    current = Involvement.objects.filter(person=person, kind=kind, end_date__isnull=True, **holder)
    if not current.exists():
        access_services.record_involvement(
            person=person, principal=principal, kind=kind, now=now, start_date=start, **holder
        )


@transaction.atomic
def open_referral(
    *,
    person: Person,
    principal: Principal,
    now: dt.datetime,
    referral_date: dt.date,
    referral_source: str,
    primary_need: str = "",
    team: Team | None = None,
    worker: User | None = None,
    summary: str = "",
    backdated_reason: str = "",
) -> Episode:
    """Open an episode at REFERRAL, allocated to `team` (default: the principal's) and `worker` (may be None).

    Social workers and managers record referrals; the front door's decision and early help's
    step-up call this too, so those capabilities may also open one."""
    if not (
        principal.can(Capability.RECORD_CASEWORK)
        or principal.can(Capability.DECIDE_CONTACTS)
        or principal.can(Capability.RECORD_EARLY_HELP)
    ):
        raise StepRefused(NO_CASEWORK_ROLE)
    if principal.membership is None or principal.membership.organisation_id != person.local_authority_id:
        raise StepRefused("Only the child's own local authority can open a referral to its social care.")
    if referral_source not in ReferralSource.values:
        raise StepRefused("Choose who made the referral.")
    if primary_need and primary_need not in PrimaryNeed.values:
        raise StepRefused("Choose a primary need from the list.")
    check_date(referral_date, now=now, backdated_reason=backdated_reason, what="of the referral")
    team = team or principal.membership.team
    if team is None:
        raise StepRefused("Choose the team the referral is allocated to.")
    if team.organisation_id != person.local_authority_id:
        raise StepRefused("The team must belong to the child's local authority.")
    if worker is not None and not _worker_member_of(worker, person.local_authority_id):
        raise StepRefused("The allocated worker must work for the child's local authority.")
    open_episode = Episode.objects.filter(person=person, closure_date__isnull=True).first()
    if open_episode is not None:
        raise StepRefused(
            f"This child already has an open episode (referral of {open_episode.referral_date:%-d %B %Y}). "
            "Record what is new on it, or close it first."
        )
    latest = Episode.objects.filter(person=person).order_by("-referral_date").first()
    if latest is not None and latest.closure_date and referral_date < latest.closure_date:
        raise StepRefused(
            f"The referral date must be after the previous episode closed ({latest.closure_date:%-d %B %Y})."
        )
    episode = Episode(
        person=person,
        local_authority_id=person.local_authority_id,
        referral_date=referral_date,
        referral_source=referral_source,
        primary_need=primary_need,
        stage=Stage.REFERRAL,
        allocated_worker=worker,
        team=team,
        **_recorded(principal, now, backdated_reason),
    )
    _save(episode)
    allocation = Allocation(
        episode=episode,
        worker=worker,
        team=team,
        start_date=referral_date,
        reason="Allocated at referral",
        **_recorded(principal, now, backdated_reason),
    )
    _save(allocation)
    _involve(person, principal, now, kind=InvolvementKind.TEAM, start=referral_date, team=team)
    if worker is not None:
        _involve(person, principal, now, kind=InvolvementKind.ALLOCATED_WORKER, start=referral_date, user=worker)
    source = ReferralSource(referral_source).label
    text = f"Referral to children's social care from {source}"
    if summary.strip():
        text += f": {summary.strip()}"
    _log(
        episode=episode,
        record=episode,
        principal=principal,
        now=now,
        action="episode.opened",
        occurred_on=referral_date,
        category="Referral",
        summary=text,
        significance=Significance.SIGNIFICANT,
        details={"referral_source": referral_source, "team": team.name, "allocated": bool(worker)},
        backdated_reason=backdated_reason,
    )
    return episode


@transaction.atomic
def set_primary_need(*, episode: Episode, principal: Principal, now: dt.datetime, primary_need: str) -> Episode:
    _require(principal, Capability.RECORD_CASEWORK)
    episode = _lock(episode)
    workflow.check(episode, workflow.SET_PRIMARY_NEED)
    if primary_need not in PrimaryNeed.values:
        raise StepRefused("Choose a primary need from the list.")
    episode.primary_need = primary_need
    episode.save(update_fields=["primary_need"])
    _log(
        episode=episode,
        record=episode,
        principal=principal,
        now=now,
        action="episode.primary-need-set",
        occurred_on=today_for(now),
        category="Referral",
        summary=f"Primary need recorded: {PrimaryNeed(primary_need).label}",
        details={"primary_need": primary_need},
    )
    return episode


# ---- assessment --------------------------------------------------------------------------


@transaction.atomic
def start_assessment(
    *,
    episode: Episode,
    principal: Principal,
    now: dt.datetime,
    start_date: dt.date,
    timescale_working_days: int,
    timescale_reason: str,
    backdated_reason: str = "",
) -> Assessment:
    """Start a single assessment. The worker sets its timescale by professional judgement and says
    why; the local maximum (standard ASSESSMENT_MAXIMUM) is shown beside it, never enforced."""
    _require(principal, Capability.RECORD_CASEWORK)
    episode = _lock(episode)
    step = workflow.check(episode, workflow.START_ASSESSMENT)
    check_date(start_date, now=now, backdated_reason=backdated_reason, what="the assessment started")
    _not_before(start_date, episode.referral_date, "The assessment cannot start before the referral")
    if not timescale_working_days or not 1 <= timescale_working_days <= MAX_TIMESCALE_WORKING_DAYS:
        raise StepRefused(f"Set a timescale between 1 and {MAX_TIMESCALE_WORKING_DAYS} working days.")
    reason = _text(timescale_reason, "Say why this timescale is right for this child.")
    assessment = Assessment(
        episode=episode,
        start_date=start_date,
        timescale_working_days=timescale_working_days,
        timescale_reason=reason,
        **_recorded(principal, now, backdated_reason),
    )
    _save(assessment)
    if step.to:
        _move(episode, step.to)
    _log(
        episode=episode,
        record=assessment,
        principal=principal,
        now=now,
        action="assessment.started",
        occurred_on=start_date,
        category="Assessment",
        summary=f"Single assessment started (timescale {timescale_working_days} working days)",
        details={"timescale_working_days": timescale_working_days},
        backdated_reason=backdated_reason,
    )
    return assessment


def check_factors(factors: list[str]) -> list[str]:
    """CIN census factor codes: at least one, all known, and "21" (no factors) only on its own."""
    factors = list(dict.fromkeys(factors))  # keep the order, drop repeats
    if not factors:
        raise StepRefused("Choose the factors identified, or “No factors identified”.")
    unknown = [f for f in factors if f not in AssessmentFactor.values]
    if unknown:
        raise StepRefused(f"Unknown factor code: {', '.join(unknown)}.")
    if AssessmentFactor.F21 in factors and len(factors) > 1:
        raise StepRefused("“No factors identified” cannot be chosen with other factors.")
    return factors


@transaction.atomic
def complete_assessment(
    *,
    assessment: Assessment,
    principal: Principal,
    now: dt.datetime,
    completed_on: dt.date,
    factors: list[str],
    outcome: str,
    summary: str = "",
    backdated_reason: str = "",
    voice_entries: Sequence[Any] = (),
) -> Assessment:
    _require(principal, Capability.RECORD_CASEWORK)
    episode = _lock(assessment.episode)
    state = workflow.state_of(episode)
    workflow.check(episode, workflow.COMPLETE_ASSESSMENT, state)
    if state.open_assessment is None or state.open_assessment.pk != assessment.pk:
        raise StepRefused("This assessment is not the one under way.")
    assessment = state.open_assessment
    check_date(completed_on, now=now, backdated_reason=backdated_reason, what="the assessment was completed")
    _not_before(completed_on, assessment.start_date, "The assessment cannot be completed before it started")
    factors = check_factors(factors)
    if outcome not in AssessmentOutcome.values:
        raise StepRefused("Choose the outcome of the assessment.")
    if outcome == AssessmentOutcome.CONTINUE and not (state.open_cin_plan or state.open_cp_plan):
        raise StepRefused("There is no current plan to continue: choose another outcome.")
    assessment.completed_on = completed_on
    assessment.factors = factors
    assessment.outcome = outcome
    assessment.summary = summary.strip()
    if backdated_reason.strip():
        assessment.backdated_reason = backdated_reason.strip()
    _save(assessment)
    _log(
        episode=episode,
        record=assessment,
        principal=principal,
        now=now,
        action="assessment.completed",
        occurred_on=completed_on,
        category="Assessment",
        summary=f"Single assessment completed. Outcome: {AssessmentOutcome(outcome).label}",
        significance=Significance.SIGNIFICANT,
        details={"factors": factors, "outcome": outcome},
        backdated_reason=backdated_reason,
    )
    _link_voice(voice_entries, assessment, principal, now)
    return assessment


@transaction.atomic
def authorise_assessment(
    *,
    assessment: Assessment,
    principal: Principal,
    now: dt.datetime,
    authorised_on: dt.date,
    backdated_reason: str = "",
) -> Assessment:
    _require(principal, Capability.AUTHORISE_CASEWORK, NO_AUTHORISE_ROLE)
    episode = _lock(assessment.episode)
    state = workflow.state_of(episode)
    workflow.check(episode, workflow.AUTHORISE_ASSESSMENT, state)
    if state.unauthorised_assessment is None or state.unauthorised_assessment.pk != assessment.pk:
        raise StepRefused("This assessment is not the one waiting for authorisation.")
    assessment = state.unauthorised_assessment
    check_date(authorised_on, now=now, backdated_reason=backdated_reason, what="the assessment was authorised")
    assert assessment.completed_on is not None
    _not_before(authorised_on, assessment.completed_on, "An assessment cannot be authorised before it was completed")
    assessment.authorised_on = authorised_on
    assessment.authorised_by = principal.user
    _save(assessment)
    _log(
        episode=episode,
        record=assessment,
        principal=principal,
        now=now,
        action="assessment.authorised",
        occurred_on=authorised_on,
        category="Assessment",
        summary=f"Single assessment authorised by {principal.user}",
        backdated_reason=backdated_reason,
    )
    return assessment


# ---- child in need plan ------------------------------------------------------------------


@transaction.atomic
def start_cin_plan(
    *,
    episode: Episode,
    principal: Principal,
    now: dt.datetime,
    start_date: dt.date,
    outcomes: str,
    backdated_reason: str = "",
) -> ChildInNeedPlan:
    _require(principal, Capability.RECORD_CASEWORK)
    episode = _lock(episode)
    step = workflow.check(episode, workflow.START_CIN_PLAN)
    check_date(start_date, now=now, backdated_reason=backdated_reason, what="the plan started")
    _not_before(start_date, episode.referral_date, "A plan cannot start before the referral")
    last_cp_end = episode.cp_plans.exclude(end_date=None).aggregate(models.Max("end_date"))["end_date__max"]
    if last_cp_end:  # a child in need plan may not run alongside a child protection plan (census 4001)
        _not_before(start_date, last_cp_end, "The plan cannot start before the child protection plan ended")
    plan = ChildInNeedPlan(
        episode=episode,
        start_date=start_date,
        outcomes=_text(outcomes, "Say what needs to change for the child."),
        **_recorded(principal, now, backdated_reason),
    )
    _save(plan)
    _move(episode, step.to or episode.stage)
    _log(
        episode=episode,
        record=plan,
        principal=principal,
        now=now,
        action="cin-plan.started",
        occurred_on=start_date,
        category="Child in need plan",
        summary="Child in need plan started",
        significance=Significance.SIGNIFICANT,
        backdated_reason=backdated_reason,
    )
    return plan


@transaction.atomic
def review_cin_plan(
    *,
    plan: ChildInNeedPlan,
    principal: Principal,
    now: dt.datetime,
    held_on: dt.date,
    progress: str,
    backdated_reason: str = "",
) -> ChildInNeedReview:
    _require(principal, Capability.RECORD_CASEWORK)
    episode = _lock(plan.episode)
    state = workflow.state_of(episode)
    workflow.check(episode, workflow.REVIEW_CIN_PLAN, state)
    if state.open_cin_plan is None or state.open_cin_plan.pk != plan.pk:
        raise StepRefused("This plan is not the one running.")
    check_date(held_on, now=now, backdated_reason=backdated_reason, what="of the review")
    _not_before(held_on, plan.start_date, "A review cannot be before the plan started")
    review = ChildInNeedReview(
        plan=plan,
        held_on=held_on,
        progress=_text(progress, "Say what has changed for the child since the plan started or was last reviewed."),
        **_recorded(principal, now, backdated_reason),
    )
    _save(review)
    _log(
        episode=episode,
        record=review,
        principal=principal,
        now=now,
        action="cin-plan.reviewed",
        occurred_on=held_on,
        category="Child in need plan",
        summary="Child in need plan reviewed",
        backdated_reason=backdated_reason,
    )
    return review


def _end_cin_plan(plan: ChildInNeedPlan, end_date: dt.date) -> None:
    _not_before(end_date, plan.start_date, "The child in need plan cannot end before it started")
    plan.end_date = end_date
    _save(plan)


@transaction.atomic
def end_cin_plan(
    *,
    plan: ChildInNeedPlan,
    principal: Principal,
    now: dt.datetime,
    end_date: dt.date,
    backdated_reason: str = "",
) -> ChildInNeedPlan:
    _require(principal, Capability.RECORD_CASEWORK)
    episode = _lock(plan.episode)
    state = workflow.state_of(episode)
    workflow.check(episode, workflow.END_CIN_PLAN, state)
    if state.open_cin_plan is None or state.open_cin_plan.pk != plan.pk:
        raise StepRefused("This plan is not the one running.")
    plan = state.open_cin_plan
    check_date(end_date, now=now, backdated_reason=backdated_reason, what="the plan ended")
    _end_cin_plan(plan, end_date)
    _log(
        episode=episode,
        record=plan,
        principal=principal,
        now=now,
        action="cin-plan.ended",
        occurred_on=end_date,
        category="Child in need plan",
        summary="Child in need plan ended",
        significance=Significance.SIGNIFICANT,
        backdated_reason=backdated_reason,
    )
    return plan


# ---- strategy discussion and section 47 --------------------------------------------------


@transaction.atomic
def hold_strategy_discussion(
    *,
    episode: Episode,
    principal: Principal,
    now: dt.datetime,
    held_on: dt.date,
    agencies: str,
    outcome: str,
    rationale: str,
    backdated_reason: str = "",
    voice_entries: Sequence[Any] = (),
) -> StrategyDiscussion:
    _require(principal, Capability.RECORD_CASEWORK)
    episode = _lock(episode)
    workflow.check(episode, workflow.HOLD_STRATEGY_DISCUSSION)
    check_date(held_on, now=now, backdated_reason=backdated_reason, what="of the strategy discussion")
    _not_before(held_on, episode.referral_date, "A strategy discussion cannot be before the referral")
    if outcome not in StrategyOutcome.values:
        raise StepRefused("Say whether a section 47 enquiry will start.")
    discussion = StrategyDiscussion(
        episode=episode,
        held_on=held_on,
        agencies=_text(agencies, "Say who took part, by agency."),
        outcome=outcome,
        rationale=_text(rationale, "Give the reasons for the decision."),
        **_recorded(principal, now, backdated_reason),
    )
    _save(discussion)
    _log(
        episode=episode,
        record=discussion,
        principal=principal,
        now=now,
        action="strategy-discussion.held",
        occurred_on=held_on,
        category="Strategy discussion",
        summary=f"Strategy discussion held. Decision: {StrategyOutcome(outcome).label}",
        significance=Significance.SIGNIFICANT,
        details={"outcome": outcome},
        backdated_reason=backdated_reason,
    )
    _link_voice(voice_entries, discussion, principal, now)
    return discussion


def conference_target(discussion: StrategyDiscussion) -> dt.date:
    """The initial conference's default target: the strategy discussion + standard ICPC_AFTER_STRATEGY."""
    from . import rules  # F's named rules; the standard directly if they are not there yet

    if hasattr(rules, "conference_due"):
        return rules.conference_due(discussion)
    return due_date(standard_for(discussion.episode.local_authority_id, "ICPC_AFTER_STRATEGY"), discussion.held_on)


@transaction.atomic
def start_section47(
    *,
    episode: Episode,
    principal: Principal,
    now: dt.datetime,
    start_date: dt.date,
    conference_target_date: dt.date | None = None,
    backdated_reason: str = "",
) -> Section47Enquiry:
    """Start the section 47 enquiry the latest strategy discussion decided on."""
    _require(principal, Capability.RECORD_CASEWORK)
    episode = _lock(episode)
    state = workflow.state_of(episode)
    step = workflow.check(episode, workflow.START_SECTION_47, state)
    discussion = state.pending_strategy
    assert discussion is not None
    check_date(start_date, now=now, backdated_reason=backdated_reason, what="the enquiry started")
    _not_before(start_date, discussion.held_on, "The enquiry cannot start before the strategy discussion")
    target = conference_target_date or conference_target(discussion)
    _not_before(target, start_date, "The conference target date cannot be before the enquiry started")
    enquiry = Section47Enquiry(
        episode=episode,
        strategy_discussion=discussion,
        start_date=start_date,
        conference_target_date=target,
        **_recorded(principal, now, backdated_reason),
    )
    _save(enquiry)
    _move(episode, step.to or episode.stage)
    _log(
        episode=episode,
        record=enquiry,
        principal=principal,
        now=now,
        action="section47.started",
        occurred_on=start_date,
        category="Section 47 enquiry",
        summary="Section 47 enquiry started",
        significance=Significance.SIGNIFICANT,
        details={"conference_target_date": target.isoformat()},
        backdated_reason=backdated_reason,
    )
    return enquiry


@transaction.atomic
def complete_section47(
    *,
    enquiry: Section47Enquiry,
    principal: Principal,
    now: dt.datetime,
    completed_on: dt.date,
    outcome: str,
    findings: str = "",
    backdated_reason: str = "",
    voice_entries: Sequence[Any] = (),
) -> Section47Enquiry:
    """Record the outcome. ICPC: the episode waits for the initial conference; child in need: the
    episode moves to child in need; not substantiated: it returns to a running child in need plan,
    or stays until the worker starts a plan or closes."""
    _require(principal, Capability.RECORD_CASEWORK)
    episode = _lock(enquiry.episode)
    state = workflow.state_of(episode)
    workflow.check(episode, workflow.COMPLETE_SECTION_47, state)
    if state.open_section47 is None or state.open_section47.pk != enquiry.pk:
        raise StepRefused("This enquiry is not the one under way.")
    enquiry = state.open_section47
    check_date(completed_on, now=now, backdated_reason=backdated_reason, what="the enquiry was completed")
    _not_before(completed_on, enquiry.start_date, "The enquiry cannot be completed before it started")
    if outcome not in Section47Outcome.values:
        raise StepRefused("Choose the outcome of the enquiry.")
    enquiry.completed_on = completed_on
    enquiry.outcome = outcome
    enquiry.findings = findings.strip()
    _save(enquiry)
    if outcome == Section47Outcome.CONFERENCE:
        _move(episode, Stage.CONFERENCE_DUE)
    elif outcome == Section47Outcome.CHILD_IN_NEED or state.open_cin_plan:
        _move(episode, Stage.CHILD_IN_NEED)
    _log(
        episode=episode,
        record=enquiry,
        principal=principal,
        now=now,
        action="section47.completed",
        occurred_on=completed_on,
        category="Section 47 enquiry",
        summary=f"Section 47 enquiry completed. Outcome: {Section47Outcome(outcome).label}",
        significance=Significance.SIGNIFICANT,
        details={"outcome": outcome},
        backdated_reason=backdated_reason,
    )
    _link_voice(voice_entries, enquiry, principal, now)
    return enquiry


# ---- conferences and the child protection plan -------------------------------------------


def _category(category: str) -> str:
    if category not in AbuseCategory.values:
        raise StepRefused("Choose the category of abuse or neglect for the plan.")
    return category


@transaction.atomic
def hold_initial_conference(
    *,
    episode: Episode,
    principal: Principal,
    now: dt.datetime,
    held_on: dt.date,
    decision: str,
    rationale: str,
    category: str = "",
    backdated_reason: str = "",
    voice_entries: Sequence[Any] = (),
) -> Conference:
    """Record the initial conference. A PLAN decision starts the child protection plan on the
    conference date (with its category as initial and latest), ending any child in need plan
    that day (the census allows no child in need plan alongside a child protection plan)."""
    _require(principal, Capability.RECORD_CASEWORK)
    episode = _lock(episode)
    state = workflow.state_of(episode)
    workflow.check(episode, workflow.HOLD_INITIAL_CONFERENCE, state)
    enquiry = (
        episode.section47s.filter(outcome=Section47Outcome.CONFERENCE, conference__isnull=True)
        .order_by("-completed_on")
        .first()
    )
    if enquiry is None:
        raise StepRefused("An initial conference follows a section 47 enquiry that asked for one.")
    check_date(held_on, now=now, backdated_reason=backdated_reason, what="of the conference")
    assert enquiry.completed_on is not None
    _not_before(held_on, enquiry.start_date, "The conference cannot be before the enquiry started")
    if decision not in (ConferenceDecision.PLAN, ConferenceDecision.NO_PLAN):
        raise StepRefused("An initial conference decides whether a child protection plan starts: choose yes or no.")
    category = _category(category) if decision == ConferenceDecision.PLAN else ""
    conference = Conference(
        episode=episode,
        kind=ConferenceKind.INITIAL,
        section47=enquiry,
        held_on=held_on,
        decision=decision,
        category=category,
        rationale=_text(rationale, "Give the conference's reasons for its decision."),
        **_recorded(principal, now, backdated_reason),
    )
    plan = None
    if decision == ConferenceDecision.PLAN:
        if state.open_cin_plan is not None:
            _end_cin_plan(state.open_cin_plan, held_on)
        plan = ChildProtectionPlan(
            episode=episode,
            start_date=held_on,
            initial_category=category,
            latest_category=category,
            **_recorded(principal, now, backdated_reason),
        )
        _save(plan)
        conference.plan = plan
    _save(conference)
    _move(episode, Stage.CHILD_PROTECTION if plan else Stage.CHILD_IN_NEED)
    outcome = (
        f"child protection plan under the category {AbuseCategory(category).label.lower()}"
        if plan
        else "no child protection plan"
    )
    _log(
        episode=episode,
        record=conference,
        principal=principal,
        now=now,
        action="conference.initial-held",
        occurred_on=held_on,
        category="Child protection conference",
        summary=f"Initial child protection conference: {outcome}",
        significance=Significance.CRITICAL if plan else Significance.SIGNIFICANT,
        details={"decision": decision, "category": category},
        backdated_reason=backdated_reason,
    )
    if plan is not None:
        audit.record(
            principal=principal,
            action="cp-plan.started",
            at=now,
            person=episode.person,
            object_type=plan._meta.label_lower,
            object_id=str(plan.public_id),
            details={"episode": str(episode.public_id), "category": category},
        )
    _link_voice(voice_entries, conference, principal, now)
    return conference


def _open_plan(episode: Episode, plan: ChildProtectionPlan, action: str) -> tuple[ChildProtectionPlan, workflow.Step]:
    state = workflow.state_of(episode)
    step = workflow.check(episode, action, state)
    if state.open_cp_plan is None or state.open_cp_plan.pk != plan.pk:
        raise StepRefused("This plan is not the one running.")
    return state.open_cp_plan, step


def _end_cp_plan(plan: ChildProtectionPlan, end_date: dt.date, reason: str) -> None:
    if end_date <= plan.start_date:
        raise StepRefused("A child protection plan must end at least a day after it started.")
    plan.end_date = end_date
    plan.end_reason = reason
    _save(plan)


@transaction.atomic
def hold_review_conference(
    *,
    plan: ChildProtectionPlan,
    principal: Principal,
    now: dt.datetime,
    held_on: dt.date,
    decision: str,
    rationale: str,
    category: str = "",
    backdated_reason: str = "",
    voice_entries: Sequence[Any] = (),
) -> Conference:
    """A review conference continues the plan (PLAN, optionally changing its category) or ends it."""
    _require(principal, Capability.RECORD_CASEWORK)
    episode = _lock(plan.episode)
    plan, _ = _open_plan(episode, plan, workflow.HOLD_REVIEW_CONFERENCE)
    check_date(held_on, now=now, backdated_reason=backdated_reason, what="of the conference")
    _not_before(held_on, plan.start_date, "A review conference cannot be before the plan started")
    if decision not in (ConferenceDecision.PLAN, ConferenceDecision.END_PLAN):
        raise StepRefused("A review conference continues the plan or ends it: choose one.")
    reasons = _text(rationale, "Give the conference's reasons for its decision.")
    category = _category(category or plan.latest_category) if decision == ConferenceDecision.PLAN else ""
    conference = Conference(
        episode=episode,
        kind=ConferenceKind.REVIEW,
        plan=plan,
        held_on=held_on,
        decision=decision,
        category=category,
        rationale=reasons,
        **_recorded(principal, now, backdated_reason),
    )
    _save(conference)
    if decision == ConferenceDecision.END_PLAN:
        _end_cp_plan(plan, held_on, reasons)
        _move(episode, Stage.CHILD_IN_NEED)
        summary, significance = "Review conference: the child protection plan ended", Significance.CRITICAL
    else:
        summary, significance = "Review conference: the child protection plan continues", Significance.SIGNIFICANT
        if category != plan.latest_category:
            _record_category_change(plan, principal, now, held_on, category, reasons, backdated_reason)
            summary += f" under the category {AbuseCategory(category).label.lower()}"
    _log(
        episode=episode,
        record=conference,
        principal=principal,
        now=now,
        action="conference.review-held",
        occurred_on=held_on,
        category="Child protection conference",
        summary=summary,
        significance=significance,
        details={"decision": decision, "category": category},
        backdated_reason=backdated_reason,
    )
    _link_voice(voice_entries, conference, principal, now)
    return conference


@transaction.atomic
def hold_core_group(
    *,
    plan: ChildProtectionPlan,
    principal: Principal,
    now: dt.datetime,
    held_on: dt.date,
    progress: str,
    agencies: str = "",
    backdated_reason: str = "",
) -> CoreGroupMeeting:
    _require(principal, Capability.RECORD_CASEWORK)
    episode = _lock(plan.episode)
    plan, _ = _open_plan(episode, plan, workflow.HOLD_CORE_GROUP)
    check_date(held_on, now=now, backdated_reason=backdated_reason, what="of the meeting")
    _not_before(held_on, plan.start_date, "A core group meeting cannot be before the plan started")
    meeting = CoreGroupMeeting(
        plan=plan,
        held_on=held_on,
        agencies=agencies.strip(),
        progress=_text(progress, "Say what progress the core group found against the plan."),
        **_recorded(principal, now, backdated_reason),
    )
    _save(meeting)
    _log(
        episode=episode,
        record=meeting,
        principal=principal,
        now=now,
        action="core-group.held",
        occurred_on=held_on,
        category="Child protection plan",
        summary="Core group meeting held",
        backdated_reason=backdated_reason,
    )
    return meeting


def _record_category_change(
    plan: ChildProtectionPlan,
    principal: Principal,
    now: dt.datetime,
    changed_on: dt.date,
    category: str,
    reason: str,
    backdated_reason: str,
) -> CategoryChange:
    change = CategoryChange(
        plan=plan,
        changed_on=changed_on,
        category=category,
        reason=reason,
        **_recorded(principal, now, backdated_reason),
    )
    _save(change)
    plan.latest_category = category
    plan.save(update_fields=["latest_category"])
    return change


@transaction.atomic
def change_category(
    *,
    plan: ChildProtectionPlan,
    principal: Principal,
    now: dt.datetime,
    changed_on: dt.date,
    category: str,
    reason: str,
    backdated_reason: str = "",
) -> CategoryChange:
    _require(principal, Capability.RECORD_CASEWORK)
    episode = _lock(plan.episode)
    plan, _ = _open_plan(episode, plan, workflow.CHANGE_CATEGORY)
    check_date(changed_on, now=now, backdated_reason=backdated_reason, what="of the change")
    _not_before(changed_on, plan.start_date, "The category cannot change before the plan started")
    category = _category(category)
    if category == plan.latest_category:
        raise StepRefused(f"The plan is already under the category {AbuseCategory(category).label.lower()}.")
    change = _record_category_change(
        plan, principal, now, changed_on, category, _text(reason, "Say why the category changed."), backdated_reason
    )
    _log(
        episode=episode,
        record=change,
        principal=principal,
        now=now,
        action="cp-plan.category-changed",
        occurred_on=changed_on,
        category="Child protection plan",
        summary=f"Child protection plan category changed to {AbuseCategory(category).label.lower()}",
        significance=Significance.SIGNIFICANT,
        details={"category": category},
        backdated_reason=backdated_reason,
    )
    return change


@transaction.atomic
def end_cp_plan(
    *,
    plan: ChildProtectionPlan,
    principal: Principal,
    now: dt.datetime,
    end_date: dt.date,
    end_reason: str,
    backdated_reason: str = "",
) -> ChildProtectionPlan:
    """End the plan outside a review conference (for example, the child moved away)."""
    _require(principal, Capability.RECORD_CASEWORK)
    episode = _lock(plan.episode)
    plan, step = _open_plan(episode, plan, workflow.END_CP_PLAN)
    check_date(end_date, now=now, backdated_reason=backdated_reason, what="the plan ended")
    _end_cp_plan(plan, end_date, _text(end_reason, "Say why the plan ended."))
    _move(episode, step.to or episode.stage)
    _log(
        episode=episode,
        record=plan,
        principal=principal,
        now=now,
        action="cp-plan.ended",
        occurred_on=end_date,
        category="Child protection plan",
        summary="Child protection plan ended",
        significance=Significance.CRITICAL,
        backdated_reason=backdated_reason,
    )
    return plan


# ---- closure -----------------------------------------------------------------------------

NEEDS_ASSESSMENT = {ClosureReason.RC8, ClosureReason.RC9}


def _end_access_after_closure(
    episode: Episode, principal: Principal, now: dt.datetime, closure_date: dt.date, holders: list[tuple[Any, Any]]
) -> None:
    """Need-to-know ends with the work: the workers and teams the episode was allocated to keep access for
    the ACCESS_AFTER_CLOSURE standard (to finish the record), then lose it. Other involvements (early help,
    partners) are theirs to end. A new referral records the new holders again."""
    last_day = due_date(standard_for(episode.local_authority_id, "ACCESS_AFTER_CLOSURE"), closure_date)
    workers = {worker for worker, _ in holders if worker is not None}
    teams = {team for _, team in holders}
    held = Involvement.objects.filter(person_id=episode.person_id, end_date__isnull=True).filter(
        models.Q(kind=InvolvementKind.ALLOCATED_WORKER, user_id__in=workers)
        | models.Q(kind=InvolvementKind.TEAM, team_id__in=teams)
    )
    for involvement in held.select_related("person"):
        access_services.end_involvement(
            involvement=involvement, principal=principal, end_date=max(last_day, involvement.start_date), now=now
        )


@transaction.atomic
def close_episode(
    *,
    episode: Episode,
    principal: Principal,
    now: dt.datetime,
    closure_date: dt.date,
    reason: str,
    note: str = "",
    backdated_reason: str = "",
    voice_entries: Sequence[Any] = (),
    end_open_plans: bool = False,
) -> Episode:
    """Close the episode with a CIN census reason. A running plan is refused unless `end_open_plans`
    (the plans then end on the closure date). RC8 and RC9 need a completed assessment (census 8825Q).
    A referral closed before any assessment or strategy discussion is marked no further action."""
    _require(principal, Capability.RECORD_CASEWORK)
    episode = _lock(episode)
    state = workflow.state_of(episode)
    workflow.check(episode, workflow.CLOSE, state)
    check_date(closure_date, now=now, backdated_reason=backdated_reason, what="of closure")
    _not_before(closure_date, episode.referral_date, "An episode cannot close before its referral")
    if reason not in ClosureReason.values:
        raise StepRefused("Choose the reason for closure.")
    if state.open_assessment is not None:
        raise StepRefused("Complete the assessment first: its outcome can be to close the episode.")
    if state.open_section47 is not None:
        raise StepRefused("Record the outcome of the section 47 enquiry before closing.")
    completed = episode.assessments.filter(completed_on__isnull=False).exists()
    if reason in NEEDS_ASSESSMENT and not completed:
        raise StepRefused(
            f"“{ClosureReason(reason).label}” needs a completed assessment. "
            "Choose another reason, or complete an assessment first."
        )
    open_plans = [p for p in (state.open_cin_plan, state.open_cp_plan) if p is not None]
    if open_plans and not end_open_plans:
        raise StepRefused("A plan is still running: end it, or confirm that closing the episode ends it.")
    if state.open_cp_plan is not None:
        _end_cp_plan(state.open_cp_plan, closure_date, f"Episode closed: {ClosureReason(reason).label}")
    if state.open_cin_plan is not None:
        _end_cin_plan(state.open_cin_plan, closure_date)
    episode.referral_nfa = (
        episode.stage == Stage.REFERRAL and not state.has_assessment and not episode.strategy_discussions.exists()
    )
    episode.closure_date = closure_date
    episode.closure_reason = reason
    episode.closure_note = note.strip()
    episode.stage = Stage.CLOSED
    _save(episode)
    holders = list(episode.allocations.values_list("worker_id", "team_id"))
    episode.allocations.filter(end_date__isnull=True).update(end_date=closure_date)
    _end_access_after_closure(episode, principal, now, closure_date, holders)
    _log(
        episode=episode,
        record=episode,
        principal=principal,
        now=now,
        action="episode.closed",
        occurred_on=closure_date,
        category="Closure",
        summary=f"Episode closed: {ClosureReason(reason).label}",
        significance=Significance.SIGNIFICANT,
        details={"reason": reason, "plans_ended": len(open_plans), "referral_nfa": episode.referral_nfa},
        backdated_reason=backdated_reason,
    )
    _link_voice(voice_entries, episode, principal, now)
    return episode
