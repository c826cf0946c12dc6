"""The child's page: the flags health sees, and who in unscheduled care has looked them up (both sides see
the last 25 accesses, as in CP-IS). Two queries, whatever the record holds: each look-up comes with its
notification (a one-to-one, joined), not in a third query."""

from __future__ import annotations

import datetime as dt
from typing import Any

from safeguarding.accounts.principal import Principal
from safeguarding.people import panels
from safeguarding.people.models import Person

from .models import AccessEvent, Flag, Notification

SHOWN = 25


def _notification(event: AccessEvent) -> Notification | None:
    try:
        return event.notification  # joined by select_related: no query, even when there is none
    except Notification.DoesNotExist:
        return None


def load(principal: Principal, person: Person, now: dt.datetime) -> dict[str, Any] | None:
    flags = list(Flag.objects.filter(person=person).order_by("-start_date"))
    accesses = list(
        AccessEvent.objects.filter(person=person).select_related("notification").order_by("-at", "-id")[:SHOWN]
    )
    if not flags and not accesses:
        return None
    rows = [(event, _notification(event)) for event in accesses]
    return {"person": person, "flags": flags, "accesses": rows}


PANEL = panels.Panel(
    key="health-flags", title="Child protection flag", template="flags/_panel.html", load=load, order=70
)
