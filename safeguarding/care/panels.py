"""The child's page: looked-after status (one query)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from safeguarding.accounts.principal import Principal
from safeguarding.accounts.roles import Capability
from safeguarding.people import panels
from safeguarding.people.codes import PersonKind
from safeguarding.people.models import Person

from .models import LookedAfterPeriod


def load(principal: Principal, person: Person, now: dt.datetime) -> dict[str, Any] | None:
    if person.kind != PersonKind.CHILD:
        return None
    latest = LookedAfterPeriod.objects.filter(person=person).order_by("-start_date", "-id").first()
    can_record = principal.can(Capability.RECORD_CASEWORK)
    if latest is None and not can_record:
        return None
    return {"person": person, "latest": latest, "can_record": can_record}


PANEL = panels.Panel(key="looked-after", title="Looked after", template="care/_panel.html", load=load, order=65)
