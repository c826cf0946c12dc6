"""Who may see and change section 11 work (ADR 0023).

Partnership roles (MANAGE_PARTNERSHIP, in an organisation of the partnership) run the audit: cycles,
standards, moderation, comparison. A member organisation's own assessors complete its self-assessment
and see only their own organisation's. Until the lead adds a COMPLETE_SECTION11 capability, an assessor is
a member of the organisation whose role has MANAGE_LINE (team managers, designated and named professionals).
Every page is audited (`section11.*`), every refusal as DENIED.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Q

from safeguarding.accounts.roles import Capability
from safeguarding.audit import services as audit
from safeguarding.audit.models import Outcome
from safeguarding.organisations.models import Organisation, Partnership

if TYPE_CHECKING:
    import datetime as dt

    from safeguarding.accounts.principal import Principal

    from .models import Assessment

RUN = Capability.MANAGE_PARTNERSHIP
ASSESS = Capability.COMPLETE_SECTION11


class Section11Refused(Exception):
    """The principal may not see or change this. Audit with record_refusal and answer 403."""

    def __init__(self, *, principal: Principal, action: str, message: str, object_id: str = "") -> None:
        super().__init__(message)
        self.principal, self.action, self.message, self.object_id = principal, action, message, object_id


def record_refusal(refusal: Section11Refused, *, now: dt.datetime) -> None:
    with transaction.atomic():
        audit.record(
            principal=refusal.principal,
            action=refusal.action,
            at=now,
            outcome=Outcome.DENIED,
            object_type="section11",
            object_id=refusal.object_id,
            reason=refusal.message,
        )


def members(partnership: Partnership) -> list[Organisation]:
    """The organisations that self-assess: the local authority and every member organisation."""
    query = Q(partnerships=partnership) | Q(id=partnership.local_authority_id)
    return list(Organisation.objects.filter(query).distinct().order_by("name"))


@dataclass(frozen=True)
class Seat:
    """Where the principal sits: the partnership, and whether they run it or assess for one organisation."""

    partnership: Partnership
    runs: bool
    organisation_id: int

    def may_see(self, assessment: Assessment) -> bool:
        return self.runs or assessment.organisation_id == self.organisation_id

    def may_assess(self, assessment: Assessment) -> bool:
        return not self.runs and assessment.organisation_id == self.organisation_id


def _partnerships_of(org_id: int) -> list[Partnership]:
    query = Q(organisations=org_id) | Q(local_authority_id=org_id)
    return list(Partnership.objects.filter(query).distinct().select_related("local_authority").order_by("name"))


def seat_of(principal: Principal, *, action: str, chosen: str = "", run: bool = False) -> Seat:
    """The principal's seat, or Section11Refused (not yet audited)."""
    org_id = principal.organisation_id
    runs = principal.can(RUN)
    if org_id is None or not (runs or (principal.can(ASSESS) and not run)):
        message = (
            "Only partnership roles can do this"
            if run
            else "Only partnership roles and assessors can see section 11 audits"
        )
        raise Section11Refused(principal=principal, action=action, message=message)
    partnerships = _partnerships_of(org_id)
    if chosen:
        try:
            wanted = uuid.UUID(chosen)
        except ValueError:
            wanted = None
        partnerships = [p for p in partnerships if p.public_id == wanted]
    if not partnerships:
        raise Section11Refused(
            principal=principal, action=action, message="Your organisation is not in this safeguarding partnership"
        )
    return Seat(partnership=partnerships[0], runs=runs, organisation_id=org_id)


def open_seat(
    principal: Principal, *, action: str, now: dt.datetime, chosen: str = "", run: bool = False, object_id: str = ""
) -> Seat:
    """seat_of, audited as `action` (ALLOWED)."""
    seat = seat_of(principal, action=action, chosen=chosen, run=run)
    audit.record(
        principal=principal,
        action=action,
        at=now,
        object_type="section11",
        object_id=object_id or str(seat.partnership.public_id),
    )
    return seat
