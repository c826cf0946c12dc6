"""Who may see, run and grade case audits, audited (ADR 0026).

Three kinds of seat in a partnership (the partnership the principal's organisation leads or belongs to):
  manage   MANAGE_PARTNERSHIP: tools, audits, samples, assignments, moderation, themes, actions;
  read     VIEW_PARTNERSHIP (or manage): every audit page, read-only;
  conduct  CONDUCT_CASE_AUDIT: the cases they are assigned to, and their own grading.
A role with none of these is refused 403; an audit of another partnership (or a case the principal may not
see in it) is answered 404. Both refusals are audited DENIED. Opening a child's record is never decided
here: the pages ask access.queries (views.children_shown).
"""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Q

from safeguarding.accounts.roles import Capability
from safeguarding.audit import services as audit
from safeguarding.audit.models import Outcome
from safeguarding.organisations.models import Partnership

from .models import Assignment, AuditCase, CaseAudit

if TYPE_CHECKING:
    import datetime as dt

    from safeguarding.accounts.principal import Principal


class Need(enum.Enum):
    MANAGE = "manage"
    READ = "read"
    HOME = "home"  # read, or conduct (the list of one's own assignments)
    CASE = "case"  # read, or conduct on this case
    GRADE = "grade"  # conduct on this case (one's own assignment)


MESSAGES = {
    Need.MANAGE: "Only partnership roles can run case audits",
    Need.READ: "Only partnership roles can see the partnership's case audits",
    Need.HOME: "Only partnership roles and case auditors can see case audits",
    Need.CASE: "Only partnership roles and this case's auditors can see it",
    Need.GRADE: "Only this case's auditors can grade it",
}


class CaseAuditRefused(Exception):
    def __init__(self, *, principal: Principal, action: str, message: str, status: int = 403, object_id: str = ""):
        super().__init__(message)
        self.principal, self.action, self.message, self.status, self.object_id = (
            principal,
            action,
            message,
            status,
            object_id,
        )


def record_refusal(refusal: CaseAuditRefused, *, now: dt.datetime) -> None:
    with transaction.atomic():
        audit.record(
            principal=refusal.principal,
            action=refusal.action,
            at=now,
            outcome=Outcome.DENIED,
            object_type="caseaudits" if refusal.object_id else "partnership",
            object_id=refusal.object_id,
            reason=refusal.message,
        )


@dataclass(frozen=True)
class Seat:
    partnership: Partnership
    manages: bool
    reads: bool
    conducts: bool
    user_id: int


def partnerships_of(principal: Principal) -> list[Partnership]:
    org_id = principal.organisation_id
    if org_id is None:
        return []
    query = Q(organisations=org_id) | Q(local_authority_id=org_id)
    return list(Partnership.objects.filter(query).distinct().select_related("local_authority").order_by("name"))


def _capabilities(principal: Principal) -> tuple[bool, bool, bool]:
    manages = principal.can(Capability.MANAGE_PARTNERSHIP)
    reads = manages or principal.can(Capability.VIEW_PARTNERSHIP)
    return manages, reads, principal.can(Capability.CONDUCT_CASE_AUDIT)


def _allowed(need: Need, manages: bool, reads: bool, conducts: bool) -> bool:
    return {
        Need.MANAGE: manages,
        Need.READ: reads,
        Need.HOME: reads or conducts,
        Need.CASE: reads or conducts,
        Need.GRADE: conducts,
    }[need]


def _seat(principal: Principal, need: Need, action: str) -> tuple[Seat, list[Partnership]]:
    manages, reads, conducts = _capabilities(principal)
    if not _allowed(need, manages, reads, conducts):
        raise CaseAuditRefused(principal=principal, action=action, message=MESSAGES[need])
    partnerships = partnerships_of(principal)
    if not partnerships:
        raise CaseAuditRefused(
            principal=principal, action=action, message="Your organisation is not in a safeguarding partnership"
        )
    seat = Seat(partnerships[0], manages, reads, conducts, principal.user.pk)
    return seat, partnerships


def _uuid(value: object) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def _not_found(principal: Principal, action: str, value: object) -> CaseAuditRefused:
    return CaseAuditRefused(
        principal=principal, action=action, message="Page not found", status=404, object_id=str(value)[:80]
    )


def open_partnership(principal: Principal, *, need: Need, action: str, now: dt.datetime) -> Seat:
    seat, _ = _seat(principal, need, action)
    audit.record(
        principal=principal, action=action, at=now, object_type="partnership", object_id=str(seat.partnership.public_id)
    )
    return seat


def open_audit(
    principal: Principal, public_id: object, *, need: Need, action: str, now: dt.datetime
) -> tuple[Seat, CaseAudit]:
    seat, partnerships = _seat(principal, need, action)
    pid = _uuid(public_id)
    found = (
        CaseAudit.objects.select_related("partnership__local_authority", "tool__scale")
        .filter(public_id=pid, partnership__in=partnerships)
        .first()
        if pid
        else None
    )
    if found is None:
        raise _not_found(principal, action, public_id)
    seat = Seat(found.partnership, seat.manages, seat.reads, seat.conducts, seat.user_id)
    audit.record(
        principal=principal, action=action, at=now, object_type="caseaudits.audit", object_id=str(found.public_id)
    )
    return seat, found


def open_case(
    principal: Principal, audit_id: object, case_id: object, *, need: Need, action: str, now: dt.datetime
) -> tuple[Seat, AuditCase, Assignment | None]:
    """The case and the principal's own assignment on it (None for readers who are not its auditors).

    A conductor who is not assigned to the case (and cannot read the partnership's audits) gets a 404:
    they may not learn which cases are in an audit they are not part of. A reader who is not its auditor
    may see the case but not grade it (403).
    """
    seat, partnerships = _seat(principal, need, action)
    aid, cid = _uuid(audit_id), _uuid(case_id)
    case = (
        AuditCase.objects.select_related("audit__partnership__local_authority", "audit__tool__scale")
        .filter(public_id=cid, audit__public_id=aid, audit__partnership__in=partnerships)
        .first()
        if aid and cid
        else None
    )
    if case is None:
        raise _not_found(principal, action, case_id)
    mine = (
        Assignment.objects.filter(
            case=case, auditor=principal.user, organisation_id=principal.organisation_id or 0
        ).first()
        if seat.conducts
        else None
    )
    if mine is None and not seat.reads and need in (Need.CASE, Need.GRADE):
        raise _not_found(principal, action, case_id)
    if need is Need.GRADE and mine is None:
        raise CaseAuditRefused(
            principal=principal, action=action, message=MESSAGES[Need.GRADE], object_id=str(case.public_id)
        )
    seat = Seat(case.audit.partnership, seat.manages, seat.reads, seat.conducts, seat.user_id)
    audit.record(
        principal=principal, action=action, at=now, object_type="caseaudits.case", object_id=str(case.public_id)
    )
    return seat, case, mine
