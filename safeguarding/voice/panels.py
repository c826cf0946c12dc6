"""The child's voice on the child's page, first (Munro: the child's voice before the professionals')."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from safeguarding.accounts.roles import Capability
from safeguarding.people import panels
from safeguarding.people.codes import PersonKind

from . import queries

if TYPE_CHECKING:
    from safeguarding.accounts.principal import Principal
    from safeguarding.people.models import Person


def load(principal: Principal, person: Person, now: dt.datetime) -> dict[str, Any] | None:
    """The latest words and the last visit (four queries, whatever the record holds)."""
    if person.kind == PersonKind.ADULT:
        return None
    return {
        "person": person,
        "entries": queries.voice_for_person(person, limit=1),
        "last_visit": queries.last_visit(person),
        "last_seen_alone": queries.last_seen_alone(person),
        "can_record": principal.can(Capability.RECORD_VOICE),
    }


PANEL = panels.Panel(
    key="voice", title="The child's voice", template="voice/_panel.html", load=load, position=panels.FIRST, order=10
)
