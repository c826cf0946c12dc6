"""Who may see and change section 11 work (ADRs 0023, 0027), on the partnership's one access helper.

Partnership managers (MANAGE_PARTNERSHIP) run the audit: cycles, standards, moderation. Readers
(VIEW_PARTNERSHIP: partnership members, designated and named professionals) see every organisation's
self-assessment, the actions and the comparison, and change nothing. A member organisation's own assessors
(COMPLETE_SECTION11) complete its self-assessment, respond to challenges and manage its actions; without
VIEW_PARTNERSHIP they see only their own organisation's. Every page is audited (`section11.*`), every
refusal as DENIED.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q

from safeguarding.accounts.roles import Capability
from safeguarding.audit import services as audit
from safeguarding.organisations.models import Organisation, Partnership
from safeguarding.partnership import access as shared

if TYPE_CHECKING:
    import datetime as dt

    from safeguarding.accounts.principal import Principal

    from .models import Assessment

RUN = shared.MANAGE
READ = shared.READ
ASSESS = Capability.COMPLETE_SECTION11


class Section11Refused(shared.PartnershipRefused):
    """The principal may not see or change this. Audit with record_refusal and answer 403."""

    object_type = "section11"


record_refusal = shared.record_refusal


def members(partnership: Partnership) -> list[Organisation]:
    """The organisations that self-assess: the local authority and every member organisation."""
    query = Q(partnerships=partnership) | Q(id=partnership.local_authority_id)
    return list(Organisation.objects.filter(query).distinct().order_by("name"))


@dataclass(frozen=True)
class Seat:
    """Where the principal sits: the partnership, whether they run it, read all of it, or assess for one body."""

    partnership: Partnership
    runs: bool
    organisation_id: int
    reads_all: bool = False
    assesses: bool = False

    @property
    def sees_all(self) -> bool:
        return self.runs or self.reads_all

    def may_see(self, assessment: Assessment) -> bool:
        return self.sees_all or (self.assesses and assessment.organisation_id == self.organisation_id)

    def may_assess(self, assessment: Assessment) -> bool:
        return self.assesses and not self.runs and assessment.organisation_id == self.organisation_id

    def may_change_actions(self, assessment: Assessment) -> bool:
        return self.runs or self.may_assess(assessment)


def seat_of(principal: Principal, *, action: str, chosen: str = "", run: bool = False) -> Seat:
    """The principal's seat, or Section11Refused (not yet audited)."""
    org_id = principal.organisation_id
    runs, assesses = principal.can(RUN), principal.can(ASSESS)
    reads_all = shared.can_read(principal)
    if org_id is None or not (runs or (not run and (reads_all or assesses))):
        if run:
            message = shared.MANAGE_REFUSED if reads_all or assesses else "Only partnership roles can do this"
        else:
            message = "Only partnership roles and assessors can see section 11 audits"
        raise Section11Refused(principal=principal, action=action, message=message)
    partnerships = shared.chosen_from(shared.partnerships_of(principal), chosen)
    if not partnerships:
        raise Section11Refused(principal=principal, action=action, message=shared.NOT_IN_PARTNERSHIP)
    return Seat(partnerships[0], runs, org_id, reads_all=reads_all, assesses=assesses)


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
