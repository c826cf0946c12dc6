"""Section 11 on the partnership dashboard and in its action tracker, registered in apps.ready (ADR 0027).

Both read organisations' arrangements only (no child's data) in a fixed number of queries.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.urls import reverse

from safeguarding.partnership.actions import ActionRow, ActionSource, owner_label
from safeguarding.partnership.sections import DashboardSection

from . import queries
from .models import Action, ActionStatus, Cycle

if TYPE_CHECKING:
    from safeguarding.accounts.principal import Principal
    from safeguarding.organisations.models import Partnership

SOURCE_LABEL = "Section 11 audit"


def action_rows(partnership: Partnership) -> list[ActionRow]:
    found = Action.objects.filter(assessment__cycle__partnership=partnership).select_related("assessment__organisation")
    return [
        ActionRow(
            source=SOURCE_LABEL,
            description=action.description,
            owner=owner_label(action.assessment.organisation.name, action.owner),
            due_on=action.due_on,
            completed_on=action.completed_on if action.status == ActionStatus.COMPLETE else None,
            url=reverse("section11:assessment", kwargs={"assessment": action.assessment.public_id}) + "#actions",
        )
        for action in found.order_by("due_on", "id")
    ]


def load(principal: Principal, partnership: Partnership, today: dt.date) -> dict[str, Any] | None:
    """The latest cycle's ratings by organisation (a stacked bar each, then the table of the same figures)."""
    latest = Cycle.objects.filter(partnership=partnership, opens_on__lte=today).order_by("-opens_on").first()
    if latest is None:
        return {"cycle": None}
    comparison = queries.comparison(latest)
    submitted = sum(1 for row in comparison.rows if row.assessment.status != "DRAFT")
    return {
        "cycle": latest,
        "comparison": comparison,
        "submitted": submitted,
        "assessments": len(comparison.rows),
    }


SOURCE = ActionSource(key="section11", label="Section 11 audits", rows=action_rows)
SECTION = DashboardSection(
    key="section-11", title="Section 11 audit", template="section11/_dashboard.html", load=load, order=20
)
