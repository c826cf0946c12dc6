"""Due dates of the serious incident steps, from the partnership's local standards (domain.md §5.3).

Both clocks start when the partnership became aware, as the catalogue's NOTIFIABLE_INCIDENT and
RAPID_REVIEW standards say (Working Together 2023); working days skip England's bank holidays.
A local child safeguarding practice review should be published within 6 months of being commissioned.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from safeguarding.standards.rules import Standard, add_months, due_date, standard_for

from .codes import ActionStatus
from .models import Action, SeriousIncident

LCSPR_MONTHS = 6


@dataclass(frozen=True)
class Standards:
    notification: Standard
    rapid_review: Standard


def standards_for(local_authority_id: int) -> Standards:
    return Standards(
        standard_for(local_authority_id, "NOTIFIABLE_INCIDENT"), standard_for(local_authority_id, "RAPID_REVIEW")
    )


def notification_due(incident: SeriousIncident, standards: Standards) -> dt.date:
    return due_date(standards.notification, incident.aware_on)


def rapid_review_due(incident: SeriousIncident, standards: Standards) -> dt.date:
    return due_date(standards.rapid_review, incident.aware_on)


def review_publication_due(incident: SeriousIncident) -> dt.date | None:
    if incident.review_commissioned_on is None:
        return None
    return add_months(incident.review_commissioned_on, LCSPR_MONTHS)


@dataclass(frozen=True)
class NextStep:
    label: str
    due_on: dt.date | None
    overdue: bool


def next_step(incident: SeriousIncident, standards: Standards, today: dt.date) -> NextStep:
    """The first step not yet done, with its due date (None when no standard sets one)."""
    due: dt.date | None
    if incident.notified_on is None:
        label, due = "Notify the national panel", notification_due(incident, standards)
    elif incident.rapid_review_held_on is None:
        label, due = "Hold the rapid review", rapid_review_due(incident, standards)
    elif not incident.decision:
        label, due = "Decide whether a local review is needed", rapid_review_due(incident, standards)
    elif incident.sent_to_panel_on is None:
        label, due = "Send the rapid review to the panel", rapid_review_due(incident, standards)
    elif incident.decision == "LCSPR" and incident.review_commissioned_on is None:
        label, due = "Commission the local review", None
    elif incident.published_on is None:
        label, due = "Publish the report or learning briefing", review_publication_due(incident)
    else:
        return NextStep("Complete", None, False)
    return NextStep(label, due, due is not None and due < today)


def action_is_overdue(action: Action, today: dt.date) -> bool:
    return action.status != ActionStatus.DONE and action.due_on < today


def action_state(action: Action, today: dt.date) -> str:
    """Open, In progress, Done with evidence, or Overdue: what the tracker shows."""
    if action.status == ActionStatus.DONE:
        return "Done"
    if action.due_on < today:
        return "Overdue"
    return ActionStatus(action.status).label
