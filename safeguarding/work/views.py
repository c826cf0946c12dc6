"""My work: the home page after sign-in. Children allocated to me and my team (audited with the rows shown)."""

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
from safeguarding.people.models import Person


@dataclass(frozen=True)
class Row:
    person: Person
    age: int | None


def _rows(people: list[Person], day: dt.date) -> list[Row]:
    return [Row(person=p, age=p.age_on(day)) for p in people]


def has_caseload(principal: Principal) -> bool:
    """Roles that work with children directly: they can be recorded as involved."""
    return principal.can(Capability.RECORD_INVOLVEMENT)


@never_cache
@login_required
@require_GET
def my_work(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    principal: Principal = request.principal  # type: ignore[attr-defined]
    day = timezone.localdate(now)
    with transaction.atomic():
        lists = queries.people_for_my_work(principal, now=now) if has_caseload(principal) else None
        context = {
            "has_caseload": lists is not None,
            "mine": _rows(lists["mine"], day) if lists else [],
            "team": _rows(lists["team"], day) if lists else [],
            "team_name": principal.membership.team.name if principal.membership and principal.membership.team else "",
            "alert_count": audit_queries.unreviewed_alert_count(principal),
            "can_audit": principal.can(Capability.VIEW_AUDIT),
            "can_manage": principal.can(Capability.MANAGE_ORGANISATIONS),
            "can_search": principal.can(Capability.SEARCH_PEOPLE),
            "can_create": principal.can(Capability.CREATE_PERSON),
        }
        return render(request, "work/my_work.html", context)
