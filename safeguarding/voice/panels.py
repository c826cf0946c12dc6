"""The child's voice on the child's page, first (Munro: the child's voice before the professionals')."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db.models import OuterRef, Subquery

from safeguarding.accounts.models import User
from safeguarding.accounts.roles import Capability
from safeguarding.organisations.models import Organisation
from safeguarding.people import panels
from safeguarding.people.codes import PersonKind

from .models import Visit, VoiceEntry

if TYPE_CHECKING:
    from safeguarding.accounts.principal import Principal
    from safeguarding.people.models import Person


def load(principal: Principal, person: Person, now: dt.datetime) -> dict[str, Any] | None:
    """The latest words and the last visit, with when the child was last seen alone (two queries, whatever
    the record holds). The panel does not show what the words informed, so their links are not loaded."""
    if person.kind == PersonKind.ADULT:
        return None
    entries = list(
        VoiceEntry.objects.filter(person=person)
        .select_related("recorded_by", "agency")
        .defer(
            *panels.defer_all_but("recorded_by", User, panels.USER_NAME),
            *panels.defer_all_but("agency", Organisation, panels.NAME),
        )
        .order_by("-recorded_on", "-recorded_at", "-id")[:1]
    )
    alone = Visit.objects.filter(person=OuterRef("person_id"), is_seen_alone=True).order_by(
        "-visited_on", "-recorded_at", "-id"
    )
    last_visit = (
        Visit.objects.filter(person=person)
        .annotate(last_seen_alone_on=Subquery(alone.values("visited_on")[:1]))
        .order_by("-visited_on", "-recorded_at", "-id")
        .first()
    )
    return {
        "person": person,
        "entries": entries,
        "last_visit": last_visit,
        "last_seen_alone_on": last_visit.last_seen_alone_on if last_visit else None,  # type: ignore[attr-defined]
        "can_record": principal.can(Capability.RECORD_VOICE),
    }


PANEL = panels.Panel(
    key="voice", title="The child's voice", template="voice/_panel.html", load=load, position=panels.FIRST, order=10
)
