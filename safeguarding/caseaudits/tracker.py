"""What case audits add to the partnership: actions for the one action tracker, and a dashboard section.

Registered in CaseauditsConfig.ready() (partnership.actions, partnership.sections). Both answer in a fixed
number of queries and carry no child's personal data: themes, counts and grades only.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.urls import reverse

from safeguarding.partnership.actions import ActionRow, ActionSource
from safeguarding.partnership.sections import DashboardSection

from . import queries
from .codes import AuditStatus
from .models import Action, CaseAudit, Finding, Theme

if TYPE_CHECKING:
    from safeguarding.accounts.principal import Principal
    from safeguarding.organisations.models import Partnership

SOURCE = "Case audit"


def action_rows(partnership: Partnership) -> list[ActionRow]:
    actions = Action.objects.filter(theme__audit__partnership=partnership).select_related(
        "owner_organisation", "theme__audit"
    )
    return [
        ActionRow(
            source=SOURCE,
            description=f"{a.theme.audit.reference} ({a.theme.title}): {a.description}",
            owner=f"{a.owner_organisation.name} ({a.owner_name})",
            due_on=a.due_on,
            completed_on=a.completed_on,
            url=reverse("caseaudits:action", args=[a.theme.audit.public_id, a.public_id]),
        )
        for a in actions.order_by("due_on", "id")
    ]


ACTION_SOURCE = ActionSource(key="caseaudits", label="Case audits", rows=action_rows)


def load_section(principal: Principal, partnership: Partnership, today: dt.date) -> dict[str, Any] | None:
    """The latest audits' themes (findings and open actions per theme) and the latest closed audit's grades."""
    audits = list(
        CaseAudit.objects.filter(partnership=partnership)
        .exclude(status=AuditStatus.PLANNED)
        .select_related("tool__scale")
        .order_by("-sampled_at", "-id")[:3]
    )
    if not audits:
        return None
    themes: list[dict[str, Any]] = []
    counts: dict[int, int] = {}
    for theme_id in Finding.objects.filter(theme__audit__in=audits).values_list("theme_id", flat=True):
        counts[theme_id] = counts.get(theme_id, 0) + 1
    open_actions: dict[int, int] = {}
    overdue: dict[int, int] = {}
    for theme_id, due_on, completed_on in Action.objects.filter(theme__audit__in=audits).values_list(
        "theme_id", "due_on", "completed_on"
    ):
        if completed_on is None:
            open_actions[theme_id] = open_actions.get(theme_id, 0) + 1
            if due_on < today:
                overdue[theme_id] = overdue.get(theme_id, 0) + 1
    by_id = {a.pk: a for a in audits}
    for theme in Theme.objects.filter(audit__in=audits).order_by("audit_id", "id"):
        audit = by_id[theme.audit_id]
        themes.append(
            {
                "audit": audit,
                "title": theme.title,
                "findings": counts.get(theme.pk, 0),
                "open_actions": open_actions.get(theme.pk, 0),
                "overdue": overdue.get(theme.pk, 0),
                "url": reverse("caseaudits:themes", args=[audit.public_id]),
            }
        )
    closed = next((a for a in audits if a.status == AuditStatus.CLOSED), None)
    return {
        "audits": audits,
        "themes": themes,
        "closed": closed,
        "domains": queries.domain_distributions(closed) if closed else [],
        "grades": queries.grades_of(closed) if closed else [],
    }


SECTION = DashboardSection(
    key="case-audit-themes",
    title="Case audit themes",
    template="caseaudits/_dashboard_section.html",
    load=load_section,
    order=60,
)
