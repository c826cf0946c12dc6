"""My work: the home page after sign-in. What is due and overdue on my and my team's episodes, and the
children allocated to me and my team (audited with the rows shown). The team manager's dashboard."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from safeguarding.access import queries
from safeguarding.accounts.principal import Principal
from safeguarding.accounts.roles import Capability
from safeguarding.audit import queries as audit_queries
from safeguarding.flags import queries as flag_queries
from safeguarding.people.models import Person
from safeguarding.people.views.forms_base import refuse_for_role

from . import queries as work_queries


@dataclass(frozen=True)
class Row:
    person: Person
    age: int | None
    since: dt.date | None


def _rows(principal: Principal, people: list[Person], *, now: dt.datetime, via_team: bool = False) -> list[Row]:
    """Each listed child with their age and when my (or my team's) involvement began."""
    day = timezone.localdate(now)
    since = queries.involvement_since(principal, people, now=now, via_team=via_team)
    return [Row(person=p, age=p.age_on(day), since=since.get(p.pk)) for p in people]


def has_caseload(principal: Principal) -> bool:
    """Roles that work with children directly: they can be recorded as involved."""
    return principal.can(Capability.RECORD_INVOLVEMENT)


@never_cache
@login_required
@require_GET
def my_work(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    principal: Principal = request.principal  # type: ignore[attr-defined]
    with transaction.atomic():
        lists = queries.people_for_my_work(principal, now=now) if has_caseload(principal) else None
        due = (
            work_queries.due_for_my_work(principal, lists["mine"], lists["team"], today=timezone.localdate(now))
            if lists
            else None
        )
        context = {
            "today": timezone.localdate(now),
            "health_access": _health_access(principal, lists),
            "due_mine": due.mine if due else [],
            "due_team": due.team if due else [],
            "can_dashboard": work_queries.can_see_dashboard(principal),
            "show_due": due is not None and principal.can(Capability.RECORD_CASEWORK),
            "has_caseload": lists is not None,
            "mine": _rows(principal, lists["mine"], now=now) if lists else [],
            "team": _rows(principal, lists["team"], now=now, via_team=True) if lists else [],
            "team_name": principal.membership.team.name if principal.membership and principal.membership.team else "",
            "alert_count": audit_queries.unreviewed_alert_count(principal),
            "can_audit": principal.can(Capability.VIEW_AUDIT),
            "can_manage": principal.can(Capability.MANAGE_ORGANISATIONS),
            "can_search": principal.can(Capability.SEARCH_PEOPLE),
            "can_create": principal.can(Capability.CREATE_PERSON),
        }
        return render(request, "work/my_work.html", context)


def _health_access(principal: Principal, lists: dict[str, list[Person]] | None) -> list[object]:
    """Unscheduled-care look-ups of my children not yet acted on, only for children already listed
    (and so audited) on this page."""
    if not lists:
        return []
    listed = {p.pk for p in [*lists["mine"], *lists["team"]]}
    return [n for n in flag_queries.notifications_for(principal) if n.person_id in listed]


NOT_A_MANAGER = "Only team managers can see a team's caseload dashboard."
NOT_YOUR_TEAM = "You can see the caseload only of the teams you manage."


@never_cache
@login_required
@require_GET
def team(request: HttpRequest) -> HttpResponse:
    """The team manager's dashboard: caseload by worker and stage, unallocated work, due items, decisions."""
    now = timezone.now()
    principal: Principal = request.principal  # type: ignore[attr-defined]
    if not work_queries.can_see_dashboard(principal):
        return refuse_for_role(request, principal, action="work.team", message=NOT_A_MANAGER, now=now)
    try:
        with transaction.atomic():
            board = work_queries.team_dashboard(principal, now=now, team_public_id=request.GET.get("team", "")[:40])
            return render(request, "work/team.html", {"board": board, "today": timezone.localdate(now)})
    except work_queries.NotYourTeam:
        return refuse_for_role(request, principal, action="work.team", message=NOT_YOUR_TEAM, now=now)
