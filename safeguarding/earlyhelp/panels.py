"""Early help on the child's page: the open (or latest) early help, with a link to it."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch

from safeguarding.accounts.roles import Capability
from safeguarding.people import panels
from safeguarding.people.codes import PersonKind

from .models import EarlyHelpEpisode, LeadProfessional

if TYPE_CHECKING:
    from safeguarding.accounts.principal import Principal
    from safeguarding.people.models import Person


def latest_for_panel(person: Person) -> EarlyHelpEpisode | None:
    """The child's open early help, else the most recent, with its current lead professional (two queries).

    The panel shows only whether there was a step-down and whether a team holds it, so neither the social care
    episodes nor the team are joined (the template reads their ids)."""
    leads = LeadProfessional.objects.filter(ended_on__isnull=True).select_related("user", "organisation")
    return (
        EarlyHelpEpisode.objects.filter(person=person)
        .prefetch_related(Prefetch("lead_professionals", queryset=leads, to_attr="current_leads"))
        .order_by("closure_date", "-offered_on", "-id")  # open (NULL closure) first on both databases
        .first()
    )


def load(principal: Principal, person: Person, now: dt.datetime) -> dict[str, Any] | None:
    """Two queries, whatever the record holds. Nothing for adults; an offer link for children without any."""
    if person.kind == PersonKind.ADULT:
        return None
    episode = latest_for_panel(person)
    can_record = principal.can(Capability.RECORD_EARLY_HELP)
    if episode is None and not can_record:
        return None
    leads = getattr(episode, "current_leads", []) if episode else []
    return {
        "person": person,
        "episode": episode,
        "lead": leads[0] if leads else None,
        "can_offer": can_record and (episode is None or not episode.is_open),
    }


PANEL = panels.Panel(key="early-help", title="Early help", template="earlyhelp/_panel.html", load=load, order=40)
