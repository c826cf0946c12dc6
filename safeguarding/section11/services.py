"""Every write of section 11 work (ADR 0023): keyword-only, principal and now passed in, audited in the same
transaction. Rule breaches raise Section11ChangeRefused with messages safe to show; a principal without the
right raises access.Section11Refused.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from safeguarding.audit import services as audit

from . import access, catalogue
from .models import (
    Action,
    ActionStatus,
    Assessment,
    AssessmentStatus,
    Cycle,
    Rag,
    Rating,
    Standard,
)

if TYPE_CHECKING:
    from safeguarding.accounts.principal import Principal
    from safeguarding.organisations.models import Partnership


class Section11ChangeRefused(Exception):
    """A rule was broken; `errors` maps a field name (or "") to messages that say why and what is allowed."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("; ".join(m for ms in errors.values() for m in ms))
        self.errors = errors


def _refuse(field: str, message: str) -> Section11ChangeRefused:
    return Section11ChangeRefused({field: [message]})


def _audit(principal: Principal | None, action: str, now: dt.datetime, obj: object, **details: object) -> None:
    audit.record(
        principal=principal,
        action=action,
        at=now,
        object_type="section11",
        object_id=str(getattr(obj, "public_id", "")),
        details={k: str(v) for k, v in details.items()} or None,
        actor_name="" if principal else "load_section11_standards",
    )


def _must_run(principal: Principal, partnership: Partnership, action: str) -> None:
    seat = access.seat_of(principal, action=action, chosen=str(partnership.public_id), run=True)
    if not seat.runs:  # pragma: no cover - seat_of(run=True) already refuses
        raise access.Section11Refused(principal=principal, action=action, message="Only partnership roles can do this")


def _must_assess(principal: Principal, assessment: Assessment, action: str) -> None:
    partnership = assessment.cycle.partnership
    seat = access.seat_of(principal, action=action, chosen=str(partnership.public_id))
    if not seat.may_assess(assessment):
        raise access.Section11Refused(
            principal=principal,
            action=action,
            message="Only the organisation's own assessors can change its self-assessment",
            object_id=str(assessment.public_id),
        )


def _today(now: dt.datetime) -> dt.date:
    return timezone.localdate(now)


@transaction.atomic
def install_default_standards(
    *, partnership: Partnership, principal: Principal | None, now: dt.datetime
) -> list[Standard]:
    """Give a partnership the default eight standards, once; a partnership that has standards keeps its own."""
    if Standard.objects.filter(partnership=partnership).exists():
        return list(Standard.objects.filter(partnership=partnership))
    made = [
        Standard.objects.create(partnership=partnership, number=n, title=title, text=text, source=catalogue.SOURCE)
        for n, (title, text) in enumerate(catalogue.DEFAULT_STANDARDS, start=1)
    ]
    _audit(principal, "section11.standards.installed", now, partnership, count=len(made))
    return made


@transaction.atomic
def edit_standard(
    *, principal: Principal, now: dt.datetime, standard: Standard, title: str, text: str, source: str, is_active: bool
) -> Standard:
    _must_run(principal, standard.partnership, "section11.standard.edit")
    if not title.strip() or not text.strip():
        raise _refuse("title" if not title.strip() else "text", "Enter the standard's title and what it requires")
    standard.title, standard.text, standard.source, standard.is_active = (
        title.strip(),
        text.strip(),
        source.strip(),
        is_active,
    )
    standard.save(update_fields=["title", "text", "source", "is_active"])
    _audit(principal, "section11.standard.edited", now, standard, is_active=is_active)
    return standard


@transaction.atomic
def open_cycle(
    *,
    principal: Principal,
    now: dt.datetime,
    partnership: Partnership,
    name: str,
    opens_on: dt.date,
    self_assessment_due_on: dt.date,
    moderation_due_on: dt.date,
) -> Cycle:
    """Open a cycle with the partnership's active standards and a blank self-assessment for every member."""
    _must_run(principal, partnership, "section11.cycle.open")
    errors: dict[str, list[str]] = {}
    name = name.strip()
    if not name:
        errors["name"] = ["Enter a name for the cycle, for example 2026 to 2027"]
    elif Cycle.objects.filter(partnership=partnership, name=name).exists():
        errors["name"] = ["This partnership already has a cycle with that name"]
    if self_assessment_due_on < opens_on:
        errors["self_assessment_due_on"] = ["Self-assessments must be due on or after the day the cycle opens"]
    if moderation_due_on < self_assessment_due_on:
        errors["moderation_due_on"] = ["Moderation must be due on or after the day self-assessments are due"]
    if errors:
        raise Section11ChangeRefused(errors)
    install_default_standards(partnership=partnership, principal=principal, now=now)
    standards = list(Standard.objects.filter(partnership=partnership, is_active=True))
    if not standards:
        raise _refuse("", "The partnership has no active standards: make at least one active first")
    cycle = Cycle.objects.create(
        partnership=partnership,
        name=name,
        opens_on=opens_on,
        self_assessment_due_on=self_assessment_due_on,
        moderation_due_on=moderation_due_on,
        created_at=now,
    )
    cycle.standards.set(standards)
    for organisation in access.members(partnership):
        assessment = Assessment.objects.create(cycle=cycle, organisation=organisation)
        Rating.objects.bulk_create(Rating(assessment=assessment, standard=s) for s in standards)
    _audit(principal, "section11.cycle.opened", now, cycle, name=name)
    return cycle


@transaction.atomic
def save_self_assessment(
    *, principal: Principal, now: dt.datetime, assessment: Assessment, entries: dict[int, tuple[str, str]]
) -> Assessment:
    """Save evidence and RAG per standard (keyed by rating id) while the assessment is a draft."""
    _must_assess(principal, assessment, "section11.assessment.save")
    if assessment.status != AssessmentStatus.DRAFT:
        raise _refuse("", "This self-assessment has been submitted; it can no longer be changed")
    ratings = {r.id: r for r in assessment.ratings.all()}
    for rating_id, (_evidence, rag) in entries.items():
        if rating_id not in ratings:
            raise _refuse("", "That standard is not part of this self-assessment")
        if rag and rag not in Rag.values:
            raise _refuse(f"rag_{rating_id}", "Select red, amber or green")
    for rating_id, (evidence, rag) in entries.items():
        rating = ratings[rating_id]
        rating.evidence, rating.rag = evidence.strip(), rag
        rating.save(update_fields=["evidence", "rag"])
    _audit(principal, "section11.assessment.saved", now, assessment)
    return assessment


@transaction.atomic
def submit_assessment(*, principal: Principal, now: dt.datetime, assessment: Assessment) -> Assessment:
    _must_assess(principal, assessment, "section11.assessment.submit")
    if assessment.status != AssessmentStatus.DRAFT:
        raise _refuse("", "This self-assessment has already been submitted")
    missing = [r.standard.number for r in assessment.ratings.select_related("standard") if not (r.rag and r.evidence)]
    if missing:
        numbers = ", ".join(str(n) for n in missing)
        raise _refuse("", f"Give evidence and a RAG rating for every standard before submitting (missing: {numbers})")
    assessment.status, assessment.submitted_at, assessment.submitted_by = (
        AssessmentStatus.SUBMITTED,
        now,
        principal.user,
    )
    assessment.save(update_fields=["status", "submitted_at", "submitted_by"])
    _audit(principal, "section11.assessment.submitted", now, assessment)
    return assessment


@transaction.atomic
def moderate_rating(
    *, principal: Principal, now: dt.datetime, rating: Rating, challenge: str, agreed_rag: str
) -> Rating:
    """The partnership challenges a rating and/or agrees its RAG; all agreed means the assessment is moderated."""
    assessment = rating.assessment
    _must_run(principal, assessment.cycle.partnership, "section11.rating.moderate")
    if assessment.status == AssessmentStatus.DRAFT:
        raise _refuse("", "The organisation has not submitted its self-assessment yet")
    if assessment.status == AssessmentStatus.MODERATED:
        raise _refuse("", "This self-assessment has been moderated; every RAG rating is agreed")
    challenge = challenge.strip()
    if agreed_rag and agreed_rag not in Rag.values:
        raise _refuse("agreed_rag", "Select red, amber or green")
    if not challenge and not agreed_rag:
        raise _refuse("", "Enter a challenge or select the agreed RAG rating")
    fields = []
    if challenge and challenge != rating.challenge:
        rating.challenge, rating.challenged_at = challenge, now
        fields += ["challenge", "challenged_at"]
    if agreed_rag:
        rating.agreed_rag, rating.agreed_at = agreed_rag, now
        fields += ["agreed_rag", "agreed_at"]
    rating.save(update_fields=fields)
    _audit(principal, "section11.rating.moderated", now, rating, agreed_rag=agreed_rag, challenged=bool(challenge))
    if not assessment.ratings.filter(agreed_rag="").exists():
        assessment.status, assessment.moderated_at = AssessmentStatus.MODERATED, now
        assessment.save(update_fields=["status", "moderated_at"])
        _audit(principal, "section11.assessment.moderated", now, assessment)
    return rating


@transaction.atomic
def respond_to_challenge(*, principal: Principal, now: dt.datetime, rating: Rating, response: str) -> Rating:
    _must_assess(principal, rating.assessment, "section11.rating.respond")
    if not rating.challenge:
        raise _refuse("", "The partnership has not challenged this rating")
    if rating.agreed_rag:
        raise _refuse("", "The RAG rating has been agreed; the challenge is closed")
    if not response.strip():
        raise _refuse("response", "Enter your response to the challenge")
    rating.response, rating.responded_at = response.strip(), now
    rating.save(update_fields=["response", "responded_at"])
    _audit(principal, "section11.rating.responded", now, rating)
    return rating


def _must_run_or_assess(principal: Principal, assessment: Assessment, action: str) -> None:
    seat = access.seat_of(principal, action=action, chosen=str(assessment.cycle.partnership.public_id))
    if not seat.may_change_actions(assessment):
        raise access.Section11Refused(
            principal=principal,
            action=action,
            message="Only partnership roles and the organisation's own assessors can change its actions",
            object_id=str(assessment.public_id),
        )


@transaction.atomic
def add_action(
    *,
    principal: Principal,
    now: dt.datetime,
    assessment: Assessment,
    description: str,
    owner: str,
    due_on: dt.date,
    standard: Standard | None = None,
) -> Action:
    _must_run_or_assess(principal, assessment, "section11.action.add")
    errors: dict[str, list[str]] = {}
    if not description.strip():
        errors["description"] = ["Enter what needs to be done"]
    if not owner.strip():
        errors["owner"] = ["Enter who owns the action"]
    if standard is not None and not assessment.cycle.standards.filter(id=standard.id).exists():
        errors["standard"] = ["Select a standard of this cycle"]
    if errors:
        raise Section11ChangeRefused(errors)
    action = Action.objects.create(
        assessment=assessment,
        standard=standard,
        description=description.strip(),
        owner=owner.strip(),
        due_on=due_on,
        created_at=now,
    )
    _audit(principal, "section11.action.added", now, action, due_on=due_on)
    return action


@transaction.atomic
def update_action(
    *,
    principal: Principal,
    now: dt.datetime,
    action: Action,
    evidence: str,
    completed_on: dt.date | None,
) -> Action:
    """Record progress; an action is complete when given a completion date, which needs evidence."""
    _must_run_or_assess(principal, action.assessment, "section11.action.update")
    if action.status == ActionStatus.COMPLETE:
        raise _refuse("", "This action is complete; it can no longer be changed")
    evidence = evidence.strip()
    if completed_on is not None:
        if completed_on > _today(now):
            raise _refuse("completed_on", "The completion date cannot be in the future")
        if not evidence:
            raise _refuse("evidence", "Enter the evidence that the action is complete")
    action.evidence = evidence
    if completed_on is not None:
        action.status, action.completed_on = ActionStatus.COMPLETE, completed_on
    action.save(update_fields=["evidence", "status", "completed_on"])
    _audit(principal, "section11.action.updated", now, action, status=action.status)
    return action
