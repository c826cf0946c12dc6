"""The latest information-sharing decisions on the child's page (one query, whatever the record holds)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from safeguarding.people import panels
from safeguarding.people.codes import PersonKind

from . import services
from .models import SharingDecision

if TYPE_CHECKING:
    from safeguarding.accounts.principal import Principal
    from safeguarding.people.models import Person

SHOWN = 3


def load(principal: Principal, person: Person, now: dt.datetime) -> dict[str, Any] | None:
    if person.kind == PersonKind.ADULT:
        return None
    decisions = list(  # the panel shows who it went to, not who decided or the agency: join only the recipient
        SharingDecision.objects.filter(person=person)
        .select_related("recipient_organisation")
        .order_by("-decided_on", "-id")[:SHOWN]
    )
    can_record = principal.can(services.CAPABILITY)
    if not decisions and not can_record:
        return None
    return {"person": person, "decisions": decisions, "can_record": can_record}


PANEL = panels.Panel(key="sharing", title="Information sharing", template="sharing/_panel.html", load=load, order=80)
