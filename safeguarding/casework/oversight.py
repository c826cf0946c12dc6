"""Management oversight: allocation and transfer of work, management decisions, case supervision.

Each service is keyword-only with `principal` and `now` passed in, runs in one transaction,
audits the write and adds the event to the child's chronology. Only roles that may authorise
casework (team managers) take these steps; a refused step raises StepRefused (its message is safe
to show) and writes nothing.

Allocation moves access: the worker and team who hand the work on have their involvement ended
(on the day before the handover, so they lose access from the handover day, on their next
request), and the new worker and team are recorded as involved from the handover day.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from safeguarding.access import services as access_services
from safeguarding.access.models import Involvement, InvolvementKind
from safeguarding.accounts.models import Membership
from safeguarding.accounts.roles import Capability, role_can
from safeguarding.audit import services as audit
from safeguarding.chronology import services as chronology
from safeguarding.chronology.models import Significance
from safeguarding.core.dates import is_backdated

from .models import Allocation, Episode, ManagementDecision, Supervision
from .workflow import StepRefused

if TYPE_CHECKING:
    from safeguarding.accounts.models import User
    from safeguarding.accounts.principal import Principal
    from safeguarding.organisations.models import Team

NOT_A_MANAGER = "Only a team manager can allocate or transfer work, record management decisions and supervision."
TEXT_MAX = 10_000


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _check(principal: Principal, episode: Episode) -> None:
    if not principal.can(Capability.AUTHORISE_CASEWORK):
        raise StepRefused(NOT_A_MANAGER)
    if principal.membership is None or principal.membership.organisation_id != episode.local_authority_id:
        raise StepRefused("Only managers in the child's own local authority can oversee this work.")
    if episode.closure_date is not None:
        raise StepRefused(f"This episode closed on {_day(episode.closure_date)}: it can no longer be changed.")


def _check_date(day: dt.date | None, *, episode: Episode, now: dt.datetime, backdated_reason: str, what: str) -> None:
    """Refuse a missing or future date, one before the referral, and one more than a day ago without a reason."""
    if day is None:
        raise StepRefused(f"Enter the date {what}.")
    today = timezone.localdate(now)
    if day > today:
        raise StepRefused(f"The date {what} cannot be in the future.")
    if day < episode.referral_date:
        raise StepRefused(f"The date {what} cannot be before the referral ({_day(episode.referral_date)}).")
    if is_backdated(day, recorded_on=today) and not backdated_reason.strip():
        raise StepRefused(f"The date {what} is more than a day ago: say why it is being recorded now.")


def _text(value: str, message: str, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise StepRefused(message)
    if len(value) > TEXT_MAX:
        raise StepRefused(f"Keep this to {TEXT_MAX:,} characters or fewer.")
    return value


def _recorded(principal: Principal, now: dt.datetime, backdated_reason: str) -> dict[str, Any]:
    return {"recorded_at": now, "recorded_by": principal.user, "backdated_reason": backdated_reason.strip()}


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
    details: dict[str, Any] | None = None,
    backdated_reason: str = "",
    significance: str = Significance.ROUTINE,
) -> None:
    audit.record(
        principal=principal,
        action=action,
        at=now,
        person=episode.person,
        object_type=record._meta.label_lower,
        object_id=str(record.public_id),
        details={"episode": str(episode.public_id), **(details or {})},
    )
    chronology.add_entry(
        person=episode.person,
        principal=principal,
        occurred_on=occurred_on,
        category=category,
        summary=summary,
        source_type=record._meta.label_lower,
        source_id=str(record.public_id),
        now=now,
        significance=significance,
        backdated_reason=backdated_reason.strip(),
    )


# ---- allocation and transfer ----------------------------------------------------------------


def caseworkers_in(team: Team) -> list[User]:
    """The people who can hold casework in a team (its current social workers and managers)."""
    members = (
        Membership.objects.filter(team=team, is_active=True)
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    )
    seen: dict[int, User] = {}
    for m in members:
        if role_can(m.role, Capability.RECORD_CASEWORK):
            seen.setdefault(m.user_id, m.user)
    return list(seen.values())


def _end_involvements(person_id: int, principal: Principal, now: dt.datetime, handover: dt.date, **holder: Any) -> None:
    """End the holder's open involvements of one kind, the day before the handover (or on their first day)."""
    open_now = Involvement.objects.filter(person_id=person_id, end_date__isnull=True, **holder).select_related("person")
    for involvement in open_now:
        last_day = max(involvement.start_date, handover - dt.timedelta(days=1))
        access_services.end_involvement(involvement=involvement, principal=principal, end_date=last_day, now=now)


def _involve(
    episode: Episode, principal: Principal, now: dt.datetime, start: dt.date, *, kind: str, **holder: Any
) -> None:
    current = Involvement.objects.filter(person=episode.person, kind=kind, end_date__isnull=True, **holder)
    if not current.exists():
        access_services.record_involvement(
            person=episode.person, principal=principal, kind=kind, now=now, start_date=start, **holder
        )


@transaction.atomic
def allocate(
    *,
    episode: Episode,
    principal: Principal,
    now: dt.datetime,
    team: Team,
    worker: User | None,
    start_date: dt.date,
    reason: str = "",
    backdated_reason: str = "",
) -> Allocation:
    """Allocate the episode to `worker` in `team`, or transfer it to them; `worker=None` leaves it with the team
    unallocated. A transfer (the work moves away from someone) needs a reason."""
    _check(principal, episode)
    if team.organisation_id != episode.local_authority_id or not team.is_active:
        raise StepRefused("Choose a current team in the child's local authority.")
    if worker is not None and worker not in caseworkers_in(team):
        raise StepRefused(f"{worker.get_full_name()} is not a social worker or manager in {team.name}.")
    if worker == episode.allocated_worker and team.pk == episode.team_id:
        holder = worker.get_full_name() if worker else "nobody (unallocated)"
        raise StepRefused(f"This work is already allocated to {holder} in {team.name}. Choose someone else.")
    current = episode.allocations.filter(end_date__isnull=True).order_by("-start_date").first()
    _check_date(start_date, episode=episode, now=now, backdated_reason=backdated_reason, what="of the handover")
    if current is not None and start_date < current.start_date:
        raise StepRefused(f"The handover cannot be before the current allocation began ({_day(current.start_date)}).")
    is_transfer = episode.allocated_worker is not None or (episode.team_id is not None and team.pk != episode.team_id)
    reason = _text(reason, "Say why the work is being transferred.", required=is_transfer)

    old_worker, old_team = episode.allocated_worker, episode.team
    if current is not None:
        current.end_date = max(current.start_date, start_date - dt.timedelta(days=1))
        current.save(update_fields=["end_date"])
    if old_worker is not None and old_worker != worker:
        _end_involvements(
            episode.person_id, principal, now, start_date, kind=InvolvementKind.ALLOCATED_WORKER, user=old_worker
        )
    if old_team is not None and old_team.pk != team.pk:
        _end_involvements(episode.person_id, principal, now, start_date, kind=InvolvementKind.TEAM, team=old_team)
    _involve(episode, principal, now, start_date, kind=InvolvementKind.TEAM, team=team)
    if worker is not None:
        _involve(episode, principal, now, start_date, kind=InvolvementKind.ALLOCATED_WORKER, user=worker)

    allocation = Allocation(
        episode=episode,
        worker=worker,
        team=team,
        start_date=start_date,
        reason=reason,
        **_recorded(principal, now, backdated_reason),
    )
    allocation.save()
    episode.allocated_worker, episode.team = worker, team
    episode.save(update_fields=["allocated_worker", "team"])

    holder = f"{worker.get_full_name()}, {team.name}" if worker else f"{team.name} (not yet allocated to a worker)"
    summary = f"Work transferred to {holder}" if is_transfer else f"Allocated to {holder}"
    _log(
        episode=episode,
        record=allocation,
        principal=principal,
        now=now,
        action="episode.transferred" if is_transfer else "episode.allocated",
        occurred_on=start_date,
        category="Allocation",
        summary=summary,
        details={
            "from_worker": str(old_worker.public_id) if old_worker else None,
            "from_team": old_team.name if old_team else None,
            "to_worker": str(worker.public_id) if worker else None,
            "to_team": team.name,
        },
        backdated_reason=backdated_reason,
    )
    return allocation


# ---- management decisions and supervision ---------------------------------------------------------


@transaction.atomic
def record_management_decision(
    *,
    episode: Episode,
    principal: Principal,
    now: dt.datetime,
    decided_on: dt.date,
    decision: str,
    rationale: str,
    backdated_reason: str = "",
) -> ManagementDecision:
    """A manager's decision on the child's episode, with the rationale (Munro: judgement, recorded)."""
    _check(principal, episode)
    _check_date(decided_on, episode=episode, now=now, backdated_reason=backdated_reason, what="of the decision")
    record = ManagementDecision(
        episode=episode,
        decided_on=decided_on,
        decision=_text(decision, "Enter the decision."),
        rationale=_text(rationale, "Enter why you made this decision."),
        **_recorded(principal, now, backdated_reason),
    )
    record.save()
    _log(
        episode=episode,
        record=record,
        principal=principal,
        now=now,
        action="management-decision.recorded",
        occurred_on=decided_on,
        category="Management decision",
        summary=record.decision,
        backdated_reason=backdated_reason,
        significance=Significance.SIGNIFICANT,
    )
    return record


def supervisions_visible_to(principal: Principal, supervisions: QuerySet[Supervision]) -> QuerySet[Supervision]:
    """Supervision is between a worker and their supervisor: managers see it all, others only their own."""
    if principal.can(Capability.AUTHORISE_CASEWORK):
        return supervisions
    return supervisions.filter(Q(worker=principal.user) | Q(supervisor=principal.user))


@transaction.atomic
def record_supervision(
    *,
    episode: Episode,
    principal: Principal,
    now: dt.datetime,
    held_on: dt.date,
    discussion: str,
    actions: str = "",
    worker: User | None = None,
    backdated_reason: str = "",
) -> Supervision:
    """Case supervision about this child between the supervisor (the principal) and the worker
    (default: the allocated worker). The chronology says it happened; what was discussed stays here."""
    _check(principal, episode)
    _check_date(held_on, episode=episode, now=now, backdated_reason=backdated_reason, what="of the supervision")
    worker = worker or episode.allocated_worker
    if worker is not None and worker == principal.user:
        raise StepRefused("You cannot supervise yourself: choose the worker you supervised.")
    record = Supervision(
        episode=episode,
        held_on=held_on,
        supervisor=principal.user,
        worker=worker,
        discussion=_text(discussion, "Enter what was discussed."),
        actions=_text(actions, "", required=False),
        **_recorded(principal, now, backdated_reason),
    )
    record.save()
    with_whom = f" with {worker.get_full_name()}" if worker else ""
    _log(
        episode=episode,
        record=record,
        principal=principal,
        now=now,
        action="supervision.recorded",
        occurred_on=held_on,
        category="Supervision",
        summary=f"Case supervision{with_whom}, led by {principal.user.get_full_name()}",
        details={"worker": str(worker.public_id) if worker else None},
        backdated_reason=backdated_reason,
    )
    return record
