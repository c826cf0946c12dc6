"""The child's-page section for management oversight: the latest decision and supervision on the
child's current (or latest) episode, with links to the oversight page and its forms.

Registered from safeguarding.work.apps.WorkConfig.ready() (casework's AppConfig is not this
module's owner's file). Two queries, whatever the size of the record (the episode comes from the social
care panel's read, people.panels.shared); called only after the child's page has opened and audited the
record (people.panels).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from safeguarding.accounts.models import User
from safeguarding.accounts.roles import Capability
from safeguarding.people import panels

from . import oversight
from .models import ManagementDecision, Supervision
from .panels import open_else_latest

if TYPE_CHECKING:
    from safeguarding.accounts.principal import Principal
    from safeguarding.people.models import Person


def load(principal: Principal, person: Person, now: dt.datetime) -> dict[str, Any] | None:
    if not (principal.can(Capability.RECORD_CASEWORK) or principal.can(Capability.AUTHORISE_CASEWORK)):
        return None  # partners see the journey through casework's own panel, not its supervision
    episode = open_else_latest(person)  # the social care panel's read: no query of its own
    if episode is None:
        return None
    return {
        "person": person,
        "episode": episode,
        "decision": ManagementDecision.objects.filter(episode=episode)
        .select_related("recorded_by")
        .defer(*panels.defer_all_but("recorded_by", User, panels.USER_NAME))
        .order_by("-decided_on", "-id")
        .first(),
        "supervision": oversight.supervisions_visible_to(principal, Supervision.objects.filter(episode=episode))
        .select_related("supervisor", "worker")
        .defer(
            "discussion",  # not shown on the child's page
            *panels.defer_all_but("supervisor", User, panels.USER_NAME),
            *panels.defer_all_but("worker", User, panels.USER_NAME),
        )
        .order_by("-held_on", "-id")
        .first(),
        "can_oversee": principal.can(Capability.AUTHORISE_CASEWORK) and episode.is_open,
    }


def register() -> None:
    panels.register(
        panels.Panel(
            key="oversight",
            title="Management oversight",
            template="casework/oversight/_panel.html",
            load=load,
            order=70,
        )
    )
