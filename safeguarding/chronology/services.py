from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING

from django.db import transaction

from safeguarding.accounts.roles import Capability
from safeguarding.audit import services as audit
from safeguarding.core.dates import is_backdated

from .models import REPORTED, ChronologyEntry, Significance

if TYPE_CHECKING:
    from safeguarding.accounts.principal import Principal
    from safeguarding.organisations.models import Organisation
    from safeguarding.people.models import Person


def add_entry(
    *,
    person: Person,
    principal: Principal | None,
    occurred_on: dt.date,
    category: str,
    summary: str,
    source_type: str,
    source_id: str,
    now: dt.datetime,
    impact: str = "",
    significance: str = Significance.ROUTINE,
    backdated_reason: str = "",
    agency: Organisation | None = None,
    agency_name: str = "",
) -> ChronologyEntry:
    """Called by the service that records an event, inside its transaction.

    The agency is the recorder's organisation unless another is named (an event a partner reported).
    An event recorded more than a day after it happened is marked back-dated.
    """
    membership = principal.membership if principal else None
    if agency is None and not agency_name and membership:
        agency = membership.organisation
    return ChronologyEntry.objects.create(
        person=person,
        occurred_on=occurred_on,
        recorded_at=now,
        recorded_by=principal.user if principal else None,
        agency=agency,
        agency_name=agency_name if agency is None else "",
        category=category,
        summary=summary,
        impact=impact,
        significance=significance,
        is_backdated=is_backdated(occurred_on, recorded_on=now.date()),
        backdated_reason=backdated_reason,
        source_type=source_type,
        source_id=source_id,
    )


class ChronologyRefused(Exception):
    """A refused write; the message is safe to show and says why and what to do."""


REPORT_ROLE = (
    "Your role cannot add events to a child's chronology. Tell the child's social worker or early help "
    "practitioner what happened, or record a contact with the front door."
)


def may_report(principal: Principal) -> bool:
    """Social care and early help practitioners add events partners report to them."""
    return principal.membership is not None and (
        principal.can(Capability.RECORD_CASEWORK) or principal.can(Capability.RECORD_EARLY_HELP)
    )


@transaction.atomic
def add_reported_event(
    *,
    person: Person,
    principal: Principal,
    now: dt.datetime,
    occurred_on: dt.date,
    summary: str,
    significance: str,
    agency: Organisation | None = None,
    agency_name: str = "",
    impact: str = "",
    backdated_reason: str = "",
) -> ChronologyEntry:
    """A significant event a partner agency reported (the agency is theirs, not the recorder's)."""
    if not may_report(principal):
        raise ChronologyRefused(REPORT_ROLE)
    summary, impact, agency_name = summary.strip(), impact.strip(), agency_name.strip()
    if not summary:
        raise ChronologyRefused("Say what happened")
    if agency is None and not agency_name:
        raise ChronologyRefused("Say which agency reported it")
    if significance not in Significance.values:
        raise ChronologyRefused("Choose how significant it is for the child")
    if occurred_on > now.date():
        raise ChronologyRefused("The date it happened cannot be in the future")
    if is_backdated(occurred_on, recorded_on=now.date()) and not backdated_reason.strip():
        raise ChronologyRefused("Say why this is being recorded more than a day after it happened")
    entry = add_entry(
        person=person,
        principal=principal,
        occurred_on=occurred_on,
        category="Reported by a partner",
        summary=summary,
        impact=impact,
        significance=significance,
        source_type=REPORTED,
        source_id=str(uuid.uuid4()),
        now=now,
        backdated_reason=backdated_reason.strip(),
        agency=agency,
        agency_name=agency_name,
    )
    audit.record(
        principal=principal,
        action="chronology.reported",
        at=now,
        person=person,
        object_type="chronology.chronologyentry",
        object_id=str(entry.pk),
        details={"significance": significance, "agency": entry.agency_label},
    )
    return entry
