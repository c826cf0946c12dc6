"""The child's page: the flags health sees, and who in unscheduled care has looked them up (both sides see
the last 25 accesses, as in CP-IS). Three queries, whatever the record holds."""

from __future__ import annotations

import datetime as dt
from typing import Any

from safeguarding.accounts.principal import Principal
from safeguarding.people import panels
from safeguarding.people.models import Person

from .models import AccessEvent, Flag, Notification


def load(principal: Principal, person: Person, now: dt.datetime) -> dict[str, Any] | None:
    flags = list(Flag.objects.filter(person=person).order_by("-start_date"))
    accesses = list(AccessEvent.objects.filter(person=person).order_by("-at", "-id")[:25])
    if not flags and not accesses:
        return None
    pending = {
        n.access_event_id: n
        for n in Notification.objects.filter(access_event__in=accesses).only(
            "public_id", "access_event_id", "acted_on_at"
        )
    }
    rows = [(event, pending.get(event.pk)) for event in accesses]
    return {"person": person, "flags": flags, "accesses": rows}


PANEL = panels.Panel(
    key="health-flags", title="Child protection flag", template="flags/_panel.html", load=load, order=70
)
