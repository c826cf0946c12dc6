"""Serious-incident reviews on the partnership dashboard and in its action tracker (ADR 0027).

Registered in apps.ready. Neither names a child nor reads one: incidents are shown by reference and stage
only, and actions by what, who and when. Each answers in a fixed number of queries.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import TYPE_CHECKING, Any

from django.urls import reverse

from safeguarding.partnership.actions import ActionRow, ActionSource, owner_label
from safeguarding.partnership.sections import DashboardSection

from . import rules
from .codes import ActionStatus
from .models import Action, SeriousIncident

if TYPE_CHECKING:
    from safeguarding.accounts.principal import Principal
    from safeguarding.organisations.models import Partnership

SOURCE_LABEL = "Serious incident review"


def action_rows(partnership: Partnership) -> list[ActionRow]:
    found = Action.objects.filter(recommendation__incident__partnership=partnership).select_related(
        "owner_organisation", "recommendation__incident"
    )
    return [
        ActionRow(
            source=SOURCE_LABEL,
            description=f"{action.description} ({action.recommendation.incident.reference})",
            owner=owner_label(action.owner_organisation.name, action.owner_name),
            due_on=action.due_on,
            completed_on=action.completed_on if action.status == ActionStatus.DONE else None,
            url=reverse("learning:incident", args=[action.recommendation.incident.public_id]) + "#recommendations",
        )
        for action in found.order_by("due_on", "id")
    ]


def load(principal: Principal, partnership: Partnership, today: dt.date) -> dict[str, Any] | None:
    """Every incident by its next step, overdue first, and how many are at each stage."""
    standards = rules.standards_for(partnership.local_authority_id)
    incidents = list(SeriousIncident.objects.filter(partnership=partnership).order_by("aware_on", "id"))
    rows = [(incident, rules.next_step(incident, standards, today)) for incident in incidents]
    rows.sort(key=lambda r: (not r[1].overdue, r[1].due_on is None, r[1].due_on or today))
    stages = Counter(step.label for _, step in rows)
    return {
        "rows": rows,
        "stages": sorted(stages.items(), key=lambda kv: _STAGE_ORDER.get(kv[0], 99)),
        "overdue": sum(1 for _, step in rows if step.overdue),
    }


_STAGE_ORDER = {
    label: n
    for n, label in enumerate(
        (
            "Notify the national panel",
            "Hold the rapid review",
            "Decide whether a local review is needed",
            "Send the rapid review to the panel",
            "Commission the local review",
            "Publish the report or learning briefing",
            "Complete",
        )
    )
}

SOURCE = ActionSource(key="learning", label="Serious incident reviews", rows=action_rows)
SECTION = DashboardSection(
    key="serious-incidents", title="Serious incident reviews", template="learning/_dashboard.html", load=load, order=40
)
