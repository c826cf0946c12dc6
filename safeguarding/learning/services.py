"""Every change to serious incidents and their learning (ADR 0022).

Keyword-only, principal and now passed in, atomic, audited in the same transaction. Steps run in order:
awareness → notification to the national panel → rapid review → decision on a local review → sent to
the panel → (local review commissioned) → published. A step out of order raises StepRefused whose
message says why and what is allowed; bad input changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from safeguarding.audit import services as audit
from safeguarding.core.dates import is_backdated
from safeguarding.organisations.models import Organisation, Partnership
from safeguarding.partnership import access as shared_access
from safeguarding.people.models import Person

from .codes import ActionStatus, FactorDomain, Pattern, ReviewDecision
from .models import Action, Finding, PracticeEpisode, Recommendation, RootCauseAnalysis, SeriousIncident

if TYPE_CHECKING:
    from safeguarding.accounts.principal import Principal


class StepRefused(Exception):
    """A refused change; the message is safe to show. `field` names the form field it belongs to."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def _check_date(day: dt.date, *, now: dt.datetime, field: str, what: str, reason: str) -> None:
    """Future dates are refused; more than a day back needs a reason (TEAM standards)."""
    today = timezone.localdate(now)
    if day > today:
        raise StepRefused(f"{what} cannot be in the future", field)
    if is_backdated(day, recorded_on=today) and not reason.strip():
        raise StepRefused(f"Say why {what.lower()} is being recorded late", "backdated_reason")


def _may_change(principal: Principal, partnership_id: int) -> None:
    """Defence in depth: the views check first (learning.access); a service called any other way refuses too."""
    if not shared_access.can_manage(principal) or partnership_id not in {
        p.id for p in shared_access.partnerships_of(principal)
    }:
        raise StepRefused("Only the partnership's manager may change its learning from serious incidents")


def _audit(principal: Principal, action: str, now: dt.datetime, incident: SeriousIncident, **details: Any) -> None:
    # Every change ends here, inside its transaction: refusing here rolls the whole change back.
    _may_change(principal, incident.partnership_id)
    audit.record(
        principal=principal,
        action=action,
        at=now,
        object_type="learning.seriousincident",
        object_id=str(incident.public_id),
        details=details or None,
    )


def _note_backdated(incident: SeriousIncident, step: str, reason: str) -> None:
    if reason.strip():
        incident.backdated_reasons = {**incident.backdated_reasons, step: reason.strip()}


@transaction.atomic
def record_incident(
    *,
    partnership: Partnership,
    principal: Principal,
    now: dt.datetime,
    reference: str,
    aware_on: dt.date,
    summary: str,
    children: Sequence[Person] = (),
    backdated_reason: str = "",
) -> SeriousIncident:
    _check_date(aware_on, now=now, field="aware_on", what="The date you became aware", reason=backdated_reason)
    if not summary.strip():
        raise StepRefused("Enter what happened", "summary")
    if SeriousIncident.objects.filter(partnership=partnership, reference=reference.strip()).exists():
        raise StepRefused("Another incident already has this reference", "reference")
    outside = [c for c in children if c.local_authority_id != partnership.local_authority_id]
    if outside:
        raise StepRefused("Link only children of this partnership's local authority", "children")
    incident = SeriousIncident(
        partnership=partnership,
        reference=reference.strip(),
        aware_on=aware_on,
        summary=summary,
        created_at=now,
        created_by=principal.user,
    )
    _note_backdated(incident, "aware", backdated_reason)
    incident.save()
    incident.children.set(children)
    # The audit row names the incident, not the children: the log's readers need not learn who they are.
    _audit(principal, "learning.incident.recorded", now, incident, children=len(children))
    return incident


def _locked(incident: SeriousIncident) -> SeriousIncident:
    return SeriousIncident.objects.select_for_update().get(pk=incident.pk)


@transaction.atomic
def record_notification(
    *,
    incident: SeriousIncident,
    principal: Principal,
    now: dt.datetime,
    notified_on: dt.date,
    backdated_reason: str = "",
) -> SeriousIncident:
    incident = _locked(incident)
    if incident.notified_on is not None:
        raise StepRefused("The national panel has already been notified of this incident")
    if notified_on < incident.aware_on:
        raise StepRefused("The notification cannot be before the partnership became aware", "notified_on")
    _check_date(notified_on, now=now, field="notified_on", what="The notification date", reason=backdated_reason)
    incident.notified_on = notified_on
    _note_backdated(incident, "notified", backdated_reason)
    incident.save(update_fields=["notified_on", "backdated_reasons"])
    _audit(principal, "learning.incident.notified", now, incident)
    return incident


@transaction.atomic
def record_rapid_review(
    *,
    incident: SeriousIncident,
    principal: Principal,
    now: dt.datetime,
    held_on: dt.date,
    agencies: str,
    backdated_reason: str = "",
) -> SeriousIncident:
    incident = _locked(incident)
    if incident.notified_on is None:
        raise StepRefused("Record the notification to the national panel first: a rapid review follows it")
    if incident.rapid_review_held_on is not None:
        raise StepRefused("The rapid review has already been recorded")
    if held_on < incident.notified_on:
        raise StepRefused("The rapid review cannot be before the notification", "held_on")
    _check_date(held_on, now=now, field="held_on", what="The rapid review date", reason=backdated_reason)
    if not agencies.strip():
        raise StepRefused("Enter the agencies that took part", "agencies")
    incident.rapid_review_held_on, incident.rapid_review_agencies = held_on, agencies.strip()
    _note_backdated(incident, "rapid_review", backdated_reason)
    incident.save(update_fields=["rapid_review_held_on", "rapid_review_agencies", "backdated_reasons"])
    _audit(principal, "learning.rapid_review.recorded", now, incident)
    return incident


@transaction.atomic
def record_decision(
    *, incident: SeriousIncident, principal: Principal, now: dt.datetime, decision: str, rationale: str
) -> SeriousIncident:
    incident = _locked(incident)
    if incident.rapid_review_held_on is None:
        raise StepRefused("Record the rapid review first: it decides whether a local review is needed")
    if incident.decision:
        raise StepRefused("The decision on a local review has already been recorded")
    if decision not in ReviewDecision.values:
        raise StepRefused("Select whether a local review is needed", "decision")
    if not rationale.strip():
        raise StepRefused("Enter the reasons for the decision", "rationale")
    incident.decision, incident.decision_rationale = decision, rationale.strip()
    incident.save(update_fields=["decision", "decision_rationale"])
    _audit(principal, "learning.decision.recorded", now, incident, decision=decision)
    return incident


@transaction.atomic
def record_sent_to_panel(
    *, incident: SeriousIncident, principal: Principal, now: dt.datetime, sent_on: dt.date, backdated_reason: str = ""
) -> SeriousIncident:
    incident = _locked(incident)
    if not incident.decision or incident.rapid_review_held_on is None:
        raise StepRefused("Record the rapid review and its decision first: the panel receives both")
    if incident.sent_to_panel_on is not None:
        raise StepRefused("The rapid review has already been sent to the panel")
    if sent_on < incident.rapid_review_held_on:
        raise StepRefused("It cannot be sent before the rapid review was held", "sent_on")
    _check_date(sent_on, now=now, field="sent_on", what="The date it was sent", reason=backdated_reason)
    incident.sent_to_panel_on = sent_on
    _note_backdated(incident, "sent", backdated_reason)
    incident.save(update_fields=["sent_to_panel_on", "backdated_reasons"])
    _audit(principal, "learning.rapid_review.sent", now, incident)
    return incident


@transaction.atomic
def commission_review(
    *,
    incident: SeriousIncident,
    principal: Principal,
    now: dt.datetime,
    commissioned_on: dt.date,
    reviewer: str,
    backdated_reason: str = "",
) -> SeriousIncident:
    incident = _locked(incident)
    if incident.decision != ReviewDecision.LCSPR:
        raise StepRefused("A local review can be commissioned only when the rapid review decided one is needed")
    if incident.sent_to_panel_on is None:
        raise StepRefused("Send the rapid review to the panel first")
    if incident.review_commissioned_on is not None:
        raise StepRefused("The local review has already been commissioned")
    if commissioned_on < incident.sent_to_panel_on:
        raise StepRefused("It cannot be commissioned before the rapid review was sent", "commissioned_on")
    _check_date(commissioned_on, now=now, field="commissioned_on", what="The date", reason=backdated_reason)
    if not reviewer.strip():
        raise StepRefused("Enter who is leading the review", "reviewer")
    incident.review_commissioned_on, incident.reviewer = commissioned_on, reviewer.strip()
    _note_backdated(incident, "commissioned", backdated_reason)
    incident.save(update_fields=["review_commissioned_on", "reviewer", "backdated_reasons"])
    _audit(principal, "learning.review.commissioned", now, incident)
    return incident


@transaction.atomic
def publish(
    *,
    incident: SeriousIncident,
    principal: Principal,
    now: dt.datetime,
    published_on: dt.date,
    learning_briefing: str,
    report_url: str = "",
    backdated_reason: str = "",
) -> SeriousIncident:
    incident = _locked(incident)
    if incident.sent_to_panel_on is None:
        raise StepRefused("Send the rapid review to the panel before publishing its learning")
    if incident.decision == ReviewDecision.LCSPR and incident.review_commissioned_on is None:
        raise StepRefused("Commission the local review first: its report is what is published")
    if incident.published_on is not None:
        raise StepRefused("The learning has already been published")
    _check_date(published_on, now=now, field="published_on", what="The publication date", reason=backdated_reason)
    if not learning_briefing.strip():
        raise StepRefused("Enter the learning briefing", "learning_briefing")
    if incident.decision == ReviewDecision.LCSPR and not report_url:
        raise StepRefused("Enter the link to the published report", "report_url")
    incident.published_on, incident.learning_briefing, incident.report_url = (
        published_on,
        learning_briefing.strip(),
        report_url,
    )
    _note_backdated(incident, "published", backdated_reason)
    incident.save(update_fields=["published_on", "learning_briefing", "report_url", "backdated_reasons"])
    _audit(principal, "learning.incident.published", now, incident)
    return incident


def _require_rapid_review(incident: SeriousIncident, what: str) -> None:
    if incident.rapid_review_held_on is None:
        raise StepRefused(f"Record the rapid review first: {what} come from reviewing the case")


@transaction.atomic
def add_practice_episode(
    *,
    incident: SeriousIncident,
    principal: Principal,
    now: dt.datetime,
    occurred_on: dt.date,
    what_happened: str,
    why_it_made_sense: str,
    contributory_factors: str = "",
) -> PracticeEpisode:
    _require_rapid_review(incident, "key practice episodes")
    if occurred_on > timezone.localdate(now):
        raise StepRefused("The episode's date cannot be in the future", "occurred_on")
    if not what_happened.strip():
        raise StepRefused("Enter what happened", "what_happened")
    if not why_it_made_sense.strip():
        raise StepRefused("Enter why it made sense to the practitioners at the time", "why_it_made_sense")
    episode = PracticeEpisode.objects.create(
        incident=incident,
        occurred_on=occurred_on,
        what_happened=what_happened.strip(),
        why_it_made_sense=why_it_made_sense.strip(),
        contributory_factors=contributory_factors.strip(),
    )
    _audit(principal, "learning.episode.added", now, incident)
    return episode


@transaction.atomic
def add_finding(
    *,
    incident: SeriousIncident,
    principal: Principal,
    now: dt.datetime,
    pattern: str,
    statement: str,
    evidence: str,
    question_for_partnership: str = "",
) -> Finding:
    _require_rapid_review(incident, "findings")
    if pattern not in Pattern.values:
        raise StepRefused("Select the kind of underlying pattern", "pattern")
    if not statement.strip():
        raise StepRefused("Enter the finding", "statement")
    if not evidence.strip():
        raise StepRefused("Enter the evidence for the finding", "evidence")
    finding = Finding.objects.create(
        incident=incident,
        pattern=pattern,
        statement=statement.strip(),
        evidence=evidence.strip(),
        question_for_partnership=question_for_partnership.strip(),
    )
    _audit(principal, "learning.finding.added", now, incident)
    return finding


@transaction.atomic
def add_root_cause_analysis(
    *,
    incident: SeriousIncident,
    principal: Principal,
    now: dt.datetime,
    problem: str,
    domain: str,
    whys: Iterable[str],
    root_cause: str,
) -> RootCauseAnalysis:
    _require_rapid_review(incident, "root cause analyses")
    if not problem.strip():
        raise StepRefused("Enter the care or service delivery problem", "problem")
    if domain not in FactorDomain.values:
        raise StepRefused("Select the contributory factor domain", "domain")
    answers = [w.strip() for w in whys if w.strip()]
    if not answers:
        raise StepRefused("Enter at least the first answer to 'why?'", "why_1")
    if not root_cause.strip():
        raise StepRefused("Enter the root cause", "root_cause")
    analysis = RootCauseAnalysis.objects.create(
        incident=incident, problem=problem.strip(), domain=domain, whys=answers[:5], root_cause=root_cause.strip()
    )
    _audit(principal, "learning.rca.added", now, incident)
    return analysis


@transaction.atomic
def add_recommendation(
    *, incident: SeriousIncident, principal: Principal, now: dt.datetime, text: str
) -> Recommendation:
    _require_rapid_review(incident, "recommendations")
    if not text.strip():
        raise StepRefused("Enter the recommendation", "text")
    recommendation = Recommendation.objects.create(incident=incident, text=text.strip())
    _audit(principal, "learning.recommendation.added", now, incident)
    return recommendation


@transaction.atomic
def add_action(
    *,
    recommendation: Recommendation,
    principal: Principal,
    now: dt.datetime,
    description: str,
    owner_organisation: Organisation,
    owner_name: str,
    due_on: dt.date,
) -> Action:
    incident = recommendation.incident
    if not incident.partnership.organisations.filter(pk=owner_organisation.pk).exists() and (
        owner_organisation.pk != incident.partnership.local_authority_id
    ):
        raise StepRefused("Select an agency of this partnership", "owner_organisation")
    if not description.strip():
        raise StepRefused("Enter what will be done", "description")
    if not owner_name.strip():
        raise StepRefused("Enter the name of the person who owns the action", "owner_name")
    action = Action.objects.create(
        recommendation=recommendation,
        description=description.strip(),
        owner_organisation=owner_organisation,
        owner_name=owner_name.strip(),
        due_on=due_on,
    )
    _audit(principal, "learning.action.added", now, incident, action_id=str(action.public_id))
    return action


@transaction.atomic
def update_action(
    *,
    action: Action,
    principal: Principal,
    now: dt.datetime,
    status: str,
    evidence: str = "",
    completed_on: dt.date | None = None,
) -> Action:
    action = Action.objects.select_for_update().select_related("recommendation__incident").get(pk=action.pk)
    if action.status == ActionStatus.DONE:
        raise StepRefused("This action is closed: it was done, with evidence")
    if status not in ActionStatus.values:
        raise StepRefused("Select the action's status", "status")
    if status == ActionStatus.DONE:
        if not evidence.strip():
            raise StepRefused("Enter the evidence that the action is done", "evidence")
        if completed_on is None:
            raise StepRefused("Enter the date the action was done", "completed_on")
        if completed_on > timezone.localdate(now):
            raise StepRefused("The date it was done cannot be in the future", "completed_on")
    action.status, action.evidence = status, evidence.strip()
    action.completed_on = completed_on if status == ActionStatus.DONE else None
    action.save(update_fields=["status", "evidence", "completed_on"])
    _audit(
        principal,
        "learning.action.updated",
        now,
        action.recommendation.incident,
        action_id=str(action.public_id),
        status=status,
    )
    return action
