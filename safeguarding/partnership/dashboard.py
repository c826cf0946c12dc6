"""The partnership dashboard's own sections, registered beside other apps' (sections.py, ADR 0027).

Vacant statutory roles, training compliance and the action status are DashboardSections like the section 11
and serious-incident ones, so one ordered list makes the page. Each loads in a fixed number of queries.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from . import actions, compliance, register
from .sections import DashboardSection

if TYPE_CHECKING:
    from safeguarding.accounts.principal import Principal
    from safeguarding.organisations.models import Partnership

OVERDUE_LISTED = 10


def roles(principal: Principal, partnership: Partnership, today: dt.date) -> dict[str, Any]:
    return {"vacancies": register.vacancies(partnership, today)}


def training(principal: Principal, partnership: Partnership, today: dt.date) -> dict[str, Any]:
    found = compliance.compliance_on(partnership, today)
    return {"training": found, "attention_count": len(found.attention)}


def action_status(principal: Principal, partnership: Partnership, today: dt.date) -> dict[str, Any]:
    found = actions.by_source(partnership)
    rows = actions.overdue_first([row for _, rows in found for row in rows], today)
    overdue = [row for row in rows if row.is_overdue_on(today)]
    return {
        "counts": actions.counts_by_source(found, today),
        "overdue": overdue[:OVERDUE_LISTED],
        "overdue_count": len(overdue),
        "total": len(rows),
    }


SECTIONS = (
    DashboardSection("statutory-roles", "Statutory roles", "partnership/_dashboard_roles.html", roles, order=10),
    DashboardSection("training", "Safeguarding training", "partnership/_dashboard_training.html", training, order=30),
    DashboardSection("actions", "Actions", "partnership/_dashboard_actions.html", action_status, order=45),
)
