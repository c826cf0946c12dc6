"""Every write about early help: keyword-only, principal and now passed in, audited in the same
transaction, with a chronology entry for the child (ARCHITECTURE.md, ADR 0013).

Callers (views, the front door) open the child's record through access.queries first; these
functions check the role's capability and the workflow (earlyhelp.workflow) and raise StepRefused
with a message that is safe to show and says what is allowed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.db import transaction

from safeguarding.access import services as access
from safeguarding.access.models import InvolvementKind
from safeguarding.accounts.roles import Capability
from safeguarding.audit import services as audit
from safeguarding.casework.codes import ClosureReason
from safeguarding.chronology import services as chronology
from safeguarding.chronology.models import Significance
from safeguarding.core.dates import is_backdated
from safeguarding.people.codes import PersonKind
from safeguarding.voice import services as voice_services

from . import workflow
from .codes import CHOSEN_CLOSURE_OUTCOMES, ClosureOutcome, ConsentDecision, Status
from .models import (
    EarlyHelpAssessment,
    EarlyHelpConsent,
    EarlyHelpEpisode,
    EarlyHelpPlan,
    EarlyHelpReview,
    LeadProfessional,
    OutcomeProgress,
    PlanOutcome,
    TeamAroundFamilyMember,
)

if TYPE_CHECKING:
    from safeguarding.accounts.models import User
    from safeguarding.accounts.principal import Principal
    from safeguarding.casework.models import Episode
    from safeguarding.organisations.models import Team
    from safeguarding.people.models import Person

CATEGORY = "Early help"
NO_CAPABILITY = "Your role cannot record early help. Ask an early help practitioner or a team manager."


def day(value: dt.date) -> str:
    """A date as people write it: 3 March 2026."""
    return f"{value.day} {value:%B %Y}"


class StepRefused(Exception):
    """An early help step was refused; the message is safe to show and says why and what is allowed."""


def check_date(day: dt.date, *, now: dt.datetime, backdated_reason: str, label: str) -> None:
    """Things that happened cannot be in the future; more than a day ago needs a reason (and is shown)."""
    today = now.date()
    if day > today:
        raise StepRefused(f"{label} cannot be in the future")
    if is_backdated(day, recorded_on=today) and not backdated_reason.strip():
        raise StepRefused(f"{label} is more than a day ago: say why it is being recorded now")


def _require(principal: Principal, *capabilities: Capability) -> None:
    if not any(principal.can(c) for c in capabilities):
        raise StepRefused(NO_CAPABILITY)


def _step(episode: EarlyHelpEpisode, step: str) -> None:
    message = workflow.refusal(episode.status, step)
    if message:
        raise StepRefused(message)


def _audit(principal: Principal, action: str, episode: EarlyHelpEpisode, now: dt.datetime, **details: object) -> None:
    audit.record(
        principal=principal,
        action=action,
        at=now,
        person=episode.person,
        details={"early_help": str(episode.public_id), **{k: str(v) for k, v in details.items()}},
    )


def _chronicle(
    principal: Principal,
    episode: EarlyHelpEpisode,
    now: dt.datetime,
    *,
    on: dt.date,
    summary: str,
    source: object,
    backdated_reason: str = "",
    significance: str = Significance.ROUTINE,
) -> None:
    chronology.add_entry(
        person=episode.person,
        principal=principal,
        occurred_on=on,
        category=CATEGORY,
        summary=summary,
        source_type=type(source)._meta.label_lower,  # type: ignore[attr-defined]
        source_id=str(source.public_id),  # type: ignore[attr-defined]
        now=now,
        significance=significance,
        backdated_reason=backdated_reason,
    )


def _team_involvement(principal: Principal, episode: EarlyHelpEpisode, team: Team, now: dt.datetime) -> None:
    access.record_involvement(
        person=episode.person,
        principal=principal,
        kind=InvolvementKind.TEAM,
        now=now,
        team=team,
        description="Early help",
    )


@transaction.atomic
def offer_early_help(
    *,
    person: Person,
    principal: Principal,
    now: dt.datetime,
    offered_on: dt.date,
    reason: str,
    stepped_down_from: Episode | None = None,
    team: Team | None = None,
    backdated_reason: str = "",
) -> EarlyHelpEpisode:
    """Offer early help to the child's family (status OFFERED, awaiting their consent).

    Called by the front door when a contact is decided as early help (no team: the offer waits for an
    early help team to pick it up), and by early help practitioners (their team holds it at once), also
    when taking on a child stepped down from social care (`stepped_down_from`, closed with RC9)."""
    _require(principal, Capability.RECORD_EARLY_HELP, Capability.DECIDE_CONTACTS)
    if person.kind == PersonKind.ADULT:
        raise StepRefused("Early help is recorded on the child's record: offer it from the child's page")
    if not reason.strip():
        raise StepRefused("Say why early help is offered")
    check_date(offered_on, now=now, backdated_reason=backdated_reason, label="The date early help was offered")
    current = EarlyHelpEpisode.objects.filter(person=person, closure_date__isnull=True).first()
    if current is not None:
        raise StepRefused(
            f"{person.display_name} already has early help offered on {day(current.offered_on)}. "
            "Add to that early help instead."
        )
    if stepped_down_from is not None:
        _check_step_down(stepped_down_from, person)
        if offered_on < stepped_down_from.closure_date:  # type: ignore[operator]
            raise StepRefused("Early help after a step-down cannot be offered before social care closed")
    episode = EarlyHelpEpisode(
        person=person,
        local_authority=person.local_authority,
        offered_on=offered_on,
        reason=reason.strip(),
        team=team,
        stepped_down_from=stepped_down_from,
        recorded_at=now,
        recorded_by=principal.user,
        backdated_reason=backdated_reason.strip(),
    )
    episode.full_clean()
    episode.save()
    _audit(
        principal,
        "earlyhelp.offered",
        episode,
        now,
        stepped_down_from=stepped_down_from.public_id if stepped_down_from else "",
    )
    summary = "Early help offered"
    if stepped_down_from is not None:
        summary += f", stepped down from children's social care (referral of {day(stepped_down_from.referral_date)})"
    _chronicle(
        principal,
        episode,
        now,
        on=offered_on,
        summary=f"{summary}: {episode.reason}",
        source=episode,
        backdated_reason=episode.backdated_reason,
        significance=Significance.SIGNIFICANT,
    )
    if team is not None:
        _team_involvement(principal, episode, team, now)
    return episode


def _check_step_down(casework_episode: Episode, person: Person) -> None:
    if casework_episode.person_id != person.pk:
        raise StepRefused("That social care episode is about another child")
    if casework_episode.closure_reason != ClosureReason.RC9:
        raise StepRefused("Only a social care episode closed with a referral to early help (RC9) can be stepped down")
    if EarlyHelpEpisode.objects.filter(stepped_down_from=casework_episode).exists():
        raise StepRefused("Early help has already been started for this step-down")


@transaction.atomic
def pick_up(*, episode: EarlyHelpEpisode, principal: Principal, now: dt.datetime) -> EarlyHelpEpisode:
    """An early help team takes on an offer that came from the front door (no team yet)."""
    _require(principal, Capability.RECORD_EARLY_HELP)
    _step(episode, "pick_up")
    membership = principal.membership
    if membership is None or membership.team is None:
        raise StepRefused("You need to act as a member of an early help team to take this on")
    if episode.team_id is not None:
        raise StepRefused(f"{episode.team} has already taken this on")
    episode.team = membership.team
    episode.save(update_fields=["team"])
    _audit(principal, "earlyhelp.picked-up", episode, now, team=membership.team.name)
    _team_involvement(principal, episode, membership.team, now)
    return episode


def _recorded(principal: Principal, now: dt.datetime, backdated_reason: str) -> dict[str, object]:
    return {"recorded_at": now, "recorded_by": principal.user, "backdated_reason": backdated_reason.strip()}


def _not_before(day: dt.date, earlier: dt.date | None, message: str) -> None:
    if earlier is not None and day < earlier:
        raise StepRefused(message)


def _save(obj: object) -> None:
    obj.full_clean()  # type: ignore[attr-defined]
    obj.save()  # type: ignore[attr-defined]


# Consent ---------------------------------------------------------------------------------------


def current_consent(episode: EarlyHelpEpisode) -> EarlyHelpConsent | None:
    """The family's latest decision about consent (consent is reviewed; the latest counts)."""
    return episode.consents.order_by("-decided_on", "-recorded_at", "-id").first()


@transaction.atomic
def record_consent(
    *,
    episode: EarlyHelpEpisode,
    principal: Principal,
    now: dt.datetime,
    decision: str,
    by_whom: str,
    relationship: str,
    decided_on: dt.date,
    note: str = "",
    backdated_reason: str = "",
) -> EarlyHelpConsent:
    """Record the family's decision. Refusing (or withdrawing) consent ends the early help: it is voluntary."""
    _require(principal, Capability.RECORD_EARLY_HELP)
    _step(episode, "record_consent")
    if not by_whom.strip():
        raise StepRefused("Say who gave or refused consent")
    check_date(decided_on, now=now, backdated_reason=backdated_reason, label="The date of the decision")
    _not_before(decided_on, episode.offered_on, "Consent cannot be decided before early help was offered")
    consent = EarlyHelpConsent(
        episode=episode,
        decision=decision,
        by_whom=by_whom.strip(),
        relationship=relationship,
        decided_on=decided_on,
        note=note.strip(),
        **_recorded(principal, now, backdated_reason),
    )
    _save(consent)
    _audit(principal, "earlyhelp.consent-recorded", episode, now, decision=decision)
    given = decision == ConsentDecision.GIVEN
    relationship_label = consent.get_relationship_display().lower()
    summary = f"{consent.get_decision_display()} to early help by {consent.by_whom} ({relationship_label})"
    _chronicle(
        principal, episode, now, on=decided_on, summary=summary, source=consent, backdated_reason=backdated_reason
    )
    if not given:
        _end(
            episode,
            principal,
            now,
            status=Status.DECLINED,
            outcome=ClosureOutcome.DECLINED,
            on=decided_on,
            note=note.strip(),
        )
    return consent


# Assessment ------------------------------------------------------------------------------------

CONSENT_NEEDED = (
    "The early help assessment cannot start without the family's consent: early help is voluntary. "
    "Record the family's consent first."
)


@transaction.atomic
def start_assessment(
    *,
    episode: EarlyHelpEpisode,
    principal: Principal,
    now: dt.datetime,
    started_on: dt.date,
    strengths: str = "",
    needs: str = "",
    family_view: str = "",
    child_view: str = "",
    backdated_reason: str = "",
) -> EarlyHelpAssessment:
    _require(principal, Capability.RECORD_EARLY_HELP)
    _step(episode, "start_assessment")
    consent = current_consent(episode)
    if consent is None or consent.decision != ConsentDecision.GIVEN:
        raise StepRefused(CONSENT_NEEDED)
    check_date(started_on, now=now, backdated_reason=backdated_reason, label="The start date")
    _not_before(started_on, consent.decided_on, "The assessment cannot start before the family gave consent")
    assessment = EarlyHelpAssessment(
        episode=episode,
        started_on=started_on,
        strengths=strengths.strip(),
        needs=needs.strip(),
        family_view=family_view.strip(),
        child_view=child_view.strip(),
        **_recorded(principal, now, backdated_reason),
    )
    _save(assessment)
    episode.status = Status.ASSESSMENT
    episode.save(update_fields=["status"])
    _audit(principal, "earlyhelp.assessment-started", episode, now)
    _chronicle(
        principal,
        episode,
        now,
        on=started_on,
        summary="Early help assessment started",
        source=assessment,
        backdated_reason=backdated_reason,
    )
    return assessment


@transaction.atomic
def complete_assessment(
    *,
    episode: EarlyHelpEpisode,
    principal: Principal,
    now: dt.datetime,
    completed_on: dt.date,
    strengths: str,
    needs: str,
    child_view: str,
    family_view: str = "",
    backdated_reason: str = "",
) -> EarlyHelpAssessment:
    """Complete the assessment: what is going well, what the family needs, and the child's view."""
    _require(principal, Capability.RECORD_EARLY_HELP)
    _step(episode, "complete_assessment")
    assessment = episode.assessment
    if assessment.completed_on is not None:
        raise StepRefused("The assessment is already complete. Start the plan.")
    missing = [
        label
        for label, text in (("strengths", strengths), ("needs", needs), ("the child's view", child_view))
        if not text.strip()
    ]
    if missing:
        raise StepRefused(f"To complete the assessment, record {', '.join(missing)}")
    check_date(completed_on, now=now, backdated_reason=backdated_reason, label="The completion date")
    _not_before(completed_on, assessment.started_on, "The assessment cannot be completed before it started")
    assessment.completed_on = completed_on
    assessment.strengths, assessment.needs = strengths.strip(), needs.strip()
    assessment.child_view, assessment.family_view = child_view.strip(), family_view.strip()
    if backdated_reason.strip():
        assessment.backdated_reason = backdated_reason.strip()
    _save(assessment)
    _audit(principal, "earlyhelp.assessment-completed", episode, now)
    _chronicle(
        principal,
        episode,
        now,
        on=completed_on,
        summary=f"Early help assessment completed. Needs: {assessment.needs}",
        source=assessment,
        backdated_reason=backdated_reason,
        significance=Significance.SIGNIFICANT,
    )
    return assessment


# Lead professional and the team around the family ---------------------------------------------


def _professional(user: User | None, name: str, organisation_name: str) -> dict[str, object]:
    """A user of this system (their organisation comes from their membership) or a named outsider."""
    if user is not None:
        membership = user.memberships.filter(is_active=True).select_related("organisation").first()
        if membership is None or not user.is_active:
            raise StepRefused(f"{user} has no current role in any organisation")
        return {"user": user, "name": "", "organisation": membership.organisation, "organisation_name": ""}
    if not name.strip():
        raise StepRefused("Choose someone who uses this system, or give the name of someone outside it")
    if not organisation_name.strip():
        raise StepRefused("Say which organisation or agency they work for")
    return {"user": None, "name": name.strip(), "organisation": None, "organisation_name": organisation_name.strip()}


def _involve(
    principal: Principal,
    episode: EarlyHelpEpisode,
    user: User | None,
    kind: str,
    role: str,
    on: dt.date,
    now: dt.datetime,
):  # type: ignore[no-untyped-def]
    if user is None:
        return None
    return access.record_involvement(
        person=episode.person, principal=principal, kind=kind, now=now, user=user, description=role[:200], start_date=on
    )


def _uninvolve(
    principal: Principal, holder: LeadProfessional | TeamAroundFamilyMember, on: dt.date, now: dt.datetime
) -> None:
    involvement = holder.involvement
    if involvement is not None and involvement.end_date is None:
        access.end_involvement(
            involvement=involvement, principal=principal, end_date=max(on, involvement.start_date), now=now
        )


@transaction.atomic
def appoint_lead_professional(
    *,
    episode: EarlyHelpEpisode,
    principal: Principal,
    now: dt.datetime,
    started_on: dt.date,
    user: User | None = None,
    name: str = "",
    organisation_name: str = "",
    role: str = "",
    backdated_reason: str = "",
) -> LeadProfessional:
    """Appoint the lead professional (from any agency). The one before hands over on the same day."""
    _require(principal, Capability.RECORD_EARLY_HELP)
    _step(episode, "appoint_lead")
    who = _professional(user, name, organisation_name)
    check_date(started_on, now=now, backdated_reason=backdated_reason, label="The date they became lead professional")
    _not_before(started_on, episode.offered_on, "The lead professional cannot start before early help was offered")
    current = episode.lead_professionals.filter(ended_on__isnull=True).select_related("user", "involvement").first()
    if current is not None:
        if user is not None and current.user_id == user.pk:
            raise StepRefused(f"{user} is already the lead professional")
        _not_before(
            started_on,
            current.started_on,
            f"{current.display_name} became lead professional on {day(current.started_on)}: "
            "the new lead must start on or after that",
        )
        current.ended_on = started_on
        current.save(update_fields=["ended_on"])
        _uninvolve(principal, current, started_on, now)
    lead = LeadProfessional(
        episode=episode, started_on=started_on, role=role.strip(), **who, **_recorded(principal, now, backdated_reason)
    )
    lead.full_clean(exclude=["involvement"])
    lead.involvement = _involve(
        principal, episode, user, InvolvementKind.KEY_PROFESSIONAL, "Early help lead professional", started_on, now
    )
    lead.save()
    _audit(principal, "earlyhelp.lead-professional-appointed", episode, now, lead=lead.display_name)
    handover = f" (taking over from {current.display_name})" if current else ""
    _chronicle(
        principal,
        episode,
        now,
        on=started_on,
        summary=f"Lead professional for early help: {lead.display_name}, {lead.agency}{handover}",
        source=lead,
        backdated_reason=backdated_reason,
    )
    return lead


@transaction.atomic
def add_taf_member(
    *,
    episode: EarlyHelpEpisode,
    principal: Principal,
    now: dt.datetime,
    joined_on: dt.date,
    role: str,
    user: User | None = None,
    name: str = "",
    organisation_name: str = "",
    backdated_reason: str = "",
) -> TeamAroundFamilyMember:
    _require(principal, Capability.RECORD_EARLY_HELP)
    _step(episode, "add_member")
    who = _professional(user, name, organisation_name)
    if not role.strip():
        raise StepRefused("Say what their role is with the family, for example school nurse")
    check_date(joined_on, now=now, backdated_reason=backdated_reason, label="The date they joined")
    _not_before(joined_on, episode.offered_on, "They cannot join before early help was offered")
    if user is not None and episode.taf_members.filter(user=user, left_on__isnull=True).exists():
        raise StepRefused(f"{user} is already in the team around the family")
    member = TeamAroundFamilyMember(
        episode=episode, joined_on=joined_on, role=role.strip(), **who, **_recorded(principal, now, backdated_reason)
    )
    member.full_clean(exclude=["involvement"])
    member.involvement = _involve(
        principal,
        episode,
        user,
        InvolvementKind.PARTNER_PROFESSIONAL,
        f"Team around the family: {member.role}",
        joined_on,
        now,
    )
    member.save()
    _audit(principal, "earlyhelp.taf-member-added", episode, now, member=member.display_name)
    _chronicle(
        principal,
        episode,
        now,
        on=joined_on,
        summary=f"Joined the team around the family: {member.display_name}, {member.role} ({member.agency})",
        source=member,
        backdated_reason=backdated_reason,
    )
    return member


@transaction.atomic
def taf_member_left(
    *,
    member: TeamAroundFamilyMember,
    principal: Principal,
    now: dt.datetime,
    left_on: dt.date,
    backdated_reason: str = "",
) -> TeamAroundFamilyMember:
    episode = member.episode
    _require(principal, Capability.RECORD_EARLY_HELP)
    _step(episode, "member_left")
    if member.left_on is not None:
        raise StepRefused(f"{member.display_name} already left on {day(member.left_on)}")
    check_date(left_on, now=now, backdated_reason=backdated_reason, label="The date they left")
    _not_before(left_on, member.joined_on, "They cannot leave before they joined")
    member.left_on = left_on
    member.save(update_fields=["left_on"])
    _uninvolve(principal, member, left_on, now)
    _audit(principal, "earlyhelp.taf-member-left", episode, now, member=member.display_name)
    _chronicle(
        principal,
        episode,
        now,
        on=left_on,
        summary=f"Left the team around the family: {member.display_name}",
        source=member,
        backdated_reason=backdated_reason,
    )
    return member


# Plan, outcomes and reviews -------------------------------------------------------------------


def _new_outcome(
    plan: EarlyHelpPlan,
    principal: Principal,
    now: dt.datetime,
    *,
    change: str,
    due_on: dt.date,
    who: str,
    headline: str,
) -> PlanOutcome:
    if not change.strip():
        raise StepRefused("Say what will change")
    if not who.strip():
        raise StepRefused("Say who will help make the change")
    if due_on < plan.started_on:
        raise StepRefused("The date it should change by cannot be before the plan started")
    outcome = PlanOutcome(
        plan=plan,
        change=change.strip(),
        due_on=due_on,
        who=who.strip(),
        headline=headline,
        **_recorded(principal, now, ""),
    )
    _save(outcome)
    return outcome


@transaction.atomic
def start_plan(
    *,
    episode: EarlyHelpEpisode,
    principal: Principal,
    now: dt.datetime,
    started_on: dt.date,
    first_review_on: dt.date,
    change: str,
    due_on: dt.date,
    who: str,
    headline: str = "",
    backdated_reason: str = "",
) -> EarlyHelpPlan:
    """Start the plan with its first outcome (add the others afterwards)."""
    _require(principal, Capability.RECORD_EARLY_HELP)
    _step(episode, "start_plan")
    assessment = episode.assessment
    if assessment.completed_on is None:
        raise StepRefused("Complete the early help assessment first: the plan builds on what it found")
    check_date(started_on, now=now, backdated_reason=backdated_reason, label="The start date")
    _not_before(started_on, assessment.completed_on, "The plan cannot start before the assessment was completed")
    if first_review_on <= started_on:
        raise StepRefused("The first review must be after the plan starts")
    plan = EarlyHelpPlan(
        episode=episode,
        started_on=started_on,
        first_review_on=first_review_on,
        **_recorded(principal, now, backdated_reason),
    )
    _save(plan)
    outcome = _new_outcome(plan, principal, now, change=change, due_on=due_on, who=who, headline=headline)
    episode.status = Status.PLAN
    episode.save(update_fields=["status"])
    _audit(principal, "earlyhelp.plan-started", episode, now)
    _chronicle(
        principal,
        episode,
        now,
        on=started_on,
        summary=f"Early help plan started. First outcome: {outcome.change}",
        source=plan,
        backdated_reason=backdated_reason,
        significance=Significance.SIGNIFICANT,
    )
    return plan


@transaction.atomic
def add_outcome(
    *,
    episode: EarlyHelpEpisode,
    principal: Principal,
    now: dt.datetime,
    change: str,
    due_on: dt.date,
    who: str,
    headline: str = "",
) -> PlanOutcome:
    _require(principal, Capability.RECORD_EARLY_HELP)
    _step(episode, "add_outcome")
    outcome = _new_outcome(episode.plan, principal, now, change=change, due_on=due_on, who=who, headline=headline)
    _audit(principal, "earlyhelp.outcome-added", episode, now)
    _chronicle(
        principal,
        episode,
        now,
        on=now.date(),
        summary=f"Outcome added to the early help plan: {outcome.change}",
        source=outcome,
    )
    return outcome


def next_review_due(plan: EarlyHelpPlan, latest: EarlyHelpReview | None) -> dt.date | None:
    """The next review: as set at the last review, else the plan's first review."""
    if latest is not None:
        return latest.next_review_on
    return plan.first_review_on


@transaction.atomic
def record_review(
    *,
    episode: EarlyHelpEpisode,
    principal: Principal,
    now: dt.datetime,
    held_on: dt.date,
    progress: dict[int, tuple[str, str]],
    next_review_on: dt.date | None,
    summary: str = "",
    backdated_reason: str = "",
    voice_entries: Sequence[Any] = (),
) -> EarlyHelpReview:
    """A team around the family review: progress (RAG and a note) on every outcome, and the next review."""
    _require(principal, Capability.RECORD_EARLY_HELP)
    _step(episode, "review")
    plan = episode.plan
    check_date(held_on, now=now, backdated_reason=backdated_reason, label="The review date")
    _not_before(held_on, plan.started_on, "A review cannot be held before the plan started")
    outcomes = {o.pk: o for o in plan.outcomes.all()}
    unrated = [o for pk, o in outcomes.items() if not (progress.get(pk) or ("", ""))[0]]
    if unrated:
        raise StepRefused(f"Rate progress on every outcome ({len(unrated)} not rated)")
    if set(progress) - set(outcomes):
        raise StepRefused("Progress was given for an outcome that is not in this plan")
    if next_review_on is not None and next_review_on <= held_on:
        raise StepRefused("The next review must be after this one")
    review = EarlyHelpReview(
        episode=episode,
        held_on=held_on,
        summary=summary.strip(),
        next_review_on=next_review_on,
        **_recorded(principal, now, backdated_reason),
    )
    _save(review)
    rows = []
    for pk, outcome in outcomes.items():
        rag, note = progress[pk]
        row = OutcomeProgress(review=review, outcome=outcome, rag=rag, note=note.strip())
        row.full_clean()
        rows.append(row)
        outcome.rag = rag
    OutcomeProgress.objects.bulk_create(rows)
    PlanOutcome.objects.bulk_update(list(outcomes.values()), ["rag"])
    _audit(principal, "earlyhelp.reviewed", episode, now)
    counts = ", ".join(f"{sum(1 for r in rows if r.rag == rag)} {rag.lower()}" for rag in ("GREEN", "AMBER", "RED"))
    _chronicle(
        principal,
        episode,
        now,
        on=held_on,
        summary=f"Early help plan reviewed ({counts})",
        source=review,
        backdated_reason=backdated_reason,
    )
    _link_voice(voice_entries, review, principal, now)
    return review


# Endings: step-up, closure ---------------------------------------------------------------------


def _end(
    episode: EarlyHelpEpisode,
    principal: Principal,
    now: dt.datetime,
    *,
    status: str,
    outcome: str,
    on: dt.date,
    note: str,
) -> None:
    """End the episode; the lead professional and team around the family stand down (and lose access)."""
    episode.status, episode.closure_date, episode.closure_outcome, episode.closure_note = status, on, outcome, note
    episode.full_clean()
    episode.save(update_fields=["status", "closure_date", "closure_outcome", "closure_note", "stepped_up_to"])
    for lead in episode.lead_professionals.filter(ended_on__isnull=True).select_related("involvement"):
        lead.ended_on = max(on, lead.started_on)
        lead.save(update_fields=["ended_on"])
        _uninvolve(principal, lead, lead.ended_on, now)
    for member in episode.taf_members.filter(left_on__isnull=True).select_related("involvement"):
        member.left_on = max(on, member.joined_on)
        member.save(update_fields=["left_on"])
        _uninvolve(principal, member, member.left_on, now)
    _audit(principal, "earlyhelp.ended", episode, now, outcome=outcome)


@transaction.atomic
def step_up(
    *,
    episode: EarlyHelpEpisode,
    principal: Principal,
    now: dt.datetime,
    stepped_up_on: dt.date,
    reason: str,
    team: Team | None = None,
    primary_need: str = "",
    backdated_reason: str = "",
) -> Episode:
    """Refer the child to children's social care (CIN census source 5D, early help) and end the early
    help as stepped up, linking the two so each side's history shows the other."""
    from safeguarding.casework import services as casework  # the one call into casework

    _require(principal, Capability.RECORD_EARLY_HELP)
    _step(episode, "step_up")
    if not reason.strip():
        raise StepRefused("Say why the child needs children's social care")
    check_date(stepped_up_on, now=now, backdated_reason=backdated_reason, label="The date of the step-up")
    _not_before(stepped_up_on, episode.offered_on, "The step-up cannot be before early help was offered")
    try:
        referral = casework.open_referral(
            person=episode.person,
            principal=principal,
            now=now,
            referral_date=stepped_up_on,
            referral_source="5D",
            primary_need=primary_need,
            team=team,
            summary=f"Stepped up from early help: {reason.strip()}",
            backdated_reason=backdated_reason,
        )
    except casework.StepRefused as refused:
        raise StepRefused(str(refused)) from refused
    episode.stepped_up_to = referral
    _end(
        episode,
        principal,
        now,
        status=Status.STEPPED_UP,
        outcome=ClosureOutcome.STEPPED_UP,
        on=stepped_up_on,
        note=reason.strip(),
    )
    _chronicle(
        principal,
        episode,
        now,
        on=stepped_up_on,
        summary=f"Early help stepped up to children's social care: {reason.strip()}",
        source=episode,
        backdated_reason=backdated_reason,
        significance=Significance.SIGNIFICANT,
    )
    return referral


@transaction.atomic
def close(
    *,
    episode: EarlyHelpEpisode,
    principal: Principal,
    now: dt.datetime,
    closure_date: dt.date,
    outcome: str,
    note: str = "",
    backdated_reason: str = "",
    voice_entries: Sequence[Any] = (),
) -> EarlyHelpEpisode:
    _require(principal, Capability.RECORD_EARLY_HELP)
    _step(episode, "close")
    if outcome == ClosureOutcome.STEPPED_UP:
        raise StepRefused("To step up to children's social care, use 'Step up to social care': it makes the referral")
    if outcome == ClosureOutcome.DECLINED:
        raise StepRefused("When the family declines or withdraws, record it as their consent decision")
    if outcome not in CHOSEN_CLOSURE_OUTCOMES:
        raise StepRefused("Choose why the early help is closing")
    if outcome == ClosureOutcome.OTHER and not note.strip():
        raise StepRefused("Say why the early help is closing")
    check_date(closure_date, now=now, backdated_reason=backdated_reason, label="The closure date")
    _not_before(closure_date, episode.offered_on, "Early help cannot close before it was offered")
    _end(episode, principal, now, status=Status.CLOSED, outcome=outcome, on=closure_date, note=note.strip())
    label = ClosureOutcome(outcome).label.lower()
    _chronicle(
        principal,
        episode,
        now,
        on=closure_date,
        summary=f"Early help closed: {label}" + (f". {note.strip()}" if note.strip() else ""),
        source=episode,
        backdated_reason=backdated_reason,
        significance=Significance.SIGNIFICANT,
    )
    _link_voice(voice_entries, episode, principal, now)
    return episode


def _link_voice(entries: Sequence[Any], target: Any, principal: Principal, now: dt.datetime) -> None:
    """The child's words that informed an early help decision (voice.services.link_voice), in its transaction."""
    if entries:
        voice_services.link_voice(entries=entries, target=target, principal=principal, now=now)
