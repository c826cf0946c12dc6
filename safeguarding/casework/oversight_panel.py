"""The child's-page section for management oversight: the latest decision and supervision on the
child's current (or latest) episode, with links to the oversight page and its forms.

Registered from safeguarding.work.apps.WorkConfig.ready() (casework's AppConfig is not this
module's owner's file). Three queries, whatever the size of the record; called only after the
child's page has opened and audited the record (people.panels).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db.models import F

from safeguarding.accounts.roles import Capability
from safeguarding.people import panels

from . import oversight
from .models import Episode, ManagementDecision, Supervision

if TYPE_CHECKING:
    from safeguarding.accounts.principal import Principal
    from safeguarding.people.models import Person


def load(principal: Principal, person: Person, now: dt.datetime) -> dict[str, Any] | None:
    if not (principal.can(Capability.RECORD_CASEWORK) or principal.can(Capability.AUTHORISE_CASEWORK)):
        return None  # partners see the journey through casework's own panel, not its supervision
    episode = (
        Episode.objects.filter(person=person)
        .select_related("allocated_worker", "team")
        .order_by(F("closure_date").desc(nulls_first=True), "-referral_date", "-id")  # the open one, else the latest
        .first()
    )
    if episode is None:
        return None
    return {
        "person": person,
        "episode": episode,
        "decision": ManagementDecision.objects.filter(episode=episode)
        .select_related("recorded_by")
        .order_by("-decided_on", "-id")
        .first(),
        "supervision": oversight.supervisions_visible_to(principal, Supervision.objects.filter(episode=episode))
        .select_related("supervisor", "worker")
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
