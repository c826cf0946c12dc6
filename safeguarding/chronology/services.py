from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from .models import ChronologyEntry, Significance

if TYPE_CHECKING:
    from safeguarding.accounts.principal import Principal
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
) -> ChronologyEntry:
    """Called by the service that records an event, inside its transaction.

    An event recorded more than a day after it happened is marked back-dated.
    """
    membership = principal.membership if principal else None
    return ChronologyEntry.objects.create(
        person=person,
        occurred_on=occurred_on,
        recorded_at=now,
        recorded_by=principal.user if principal else None,
        agency_id=membership.organisation_id if membership else None,
        category=category,
        summary=summary,
        impact=impact,
        significance=significance,
        is_backdated=occurred_on < now.date() - dt.timedelta(days=1),
        backdated_reason=backdated_reason,
        source_type=source_type,
        source_id=source_id,
    )
