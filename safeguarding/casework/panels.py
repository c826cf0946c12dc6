"""The child's-page section for social care: the current (or latest) episode's stage, worker and key
dates, a re-referral flag, and a link to refer when no episode is open.

Called by the child's page after it has opened and audited the record (people.panels); one query,
whatever the size of the record.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from safeguarding.accounts.roles import Capability
from safeguarding.people import panels
from safeguarding.standards.rules import add_months

from . import queries
from .codes import AbuseCategory

if TYPE_CHECKING:
    from safeguarding.accounts.principal import Principal
    from safeguarding.people.models import Person


def load(principal: Principal, person: Person, now: dt.datetime) -> dict[str, Any] | None:
    episodes = queries.episodes_for_panel(person)
    can_refer = principal.can(Capability.RECORD_CASEWORK) and principal.organisation_id == person.local_authority_id
    if not episodes and not can_refer:
        return None
    current = episodes[0] if episodes else None
    previous = episodes[1] if len(episodes) > 1 else None
    re_referral = (
        current is not None
        and previous is not None
        and previous.referral_date >= add_months(current.referral_date, -queries.RE_REFERRAL_MONTHS)
    )
    plan = None
    if current is not None and current.is_open and current.open_plan_start:  # type: ignore[attr-defined]
        category = AbuseCategory(current.open_plan_category).label  # type: ignore[attr-defined]
        plan = {"start_date": current.open_plan_start, "category": category}  # type: ignore[attr-defined]
    return {
        "person": person,
        "episode": current,
        "previous": previous if re_referral else None,
        "plan": plan,
        "can_refer": can_refer and (current is None or not current.is_open),
        "today": timezone.localdate(now),
    }


PANEL = panels.Panel(
    key="social-care", title="Children's social care", template="casework/_panel.html", load=load, order=20
)
