"""The child's-page section for social care: the current (or latest) episode's stage, worker and key
dates, a re-referral flag, and a link to refer when no episode is open.

Called by the child's page after it has opened and audited the record (people.panels); one query,
whatever the size of the record, shared with the oversight panel (people.panels.shared).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from safeguarding.accounts.models import User
from safeguarding.accounts.roles import Capability
from safeguarding.organisations.models import Team
from safeguarding.people import panels
from safeguarding.standards.rules import add_months

from .codes import AbuseCategory
from .models import ChildProtectionPlan, Episode
from .queries import RE_REFERRAL_MONTHS

if TYPE_CHECKING:
    from safeguarding.accounts.principal import Principal
    from safeguarding.people.models import Person


def _read_episodes(person: Person) -> list[Episode]:
    """Every episode of the child's (a handful in a childhood), latest referral first, each annotated with its
    running child protection plan's start and category (`open_plan_start`, `open_plan_category`; None if none).
    One query, shared by the social care and oversight panels."""
    running = ChildProtectionPlan.objects.filter(episode=OuterRef("pk"), end_date__isnull=True)
    return list(
        Episode.objects.filter(person=person)
        .select_related("team", "allocated_worker")
        .defer(
            *panels.defer_all_but("team", Team, panels.NAME),
            *panels.defer_all_but("allocated_worker", User, panels.USER_NAME),
        )
        .annotate(
            open_plan_start=Subquery(running.values("start_date")[:1]),
            open_plan_category=Subquery(running.values("latest_category")[:1]),
        )
        .order_by("-referral_date", "-id")
    )


def episodes(person: Person) -> list[Episode]:
    """The child's episodes, latest referral first (read once per page: people.panels.shared)."""
    return panels.shared(person, "casework.episodes", _read_episodes)  # type: ignore[no-any-return]


def open_else_latest(person: Person) -> Episode | None:
    """The open episode (there is at most one), else the one closed last."""
    rows = episodes(person)
    if not rows:
        return None
    return min(
        rows,
        key=lambda e: (
            e.closure_date is not None,
            -(e.closure_date or dt.date.min).toordinal(),
            -e.referral_date.toordinal(),
            -e.pk,
        ),
    )


def load(principal: Principal, person: Person, now: dt.datetime) -> dict[str, Any] | None:
    latest = episodes(person)[:2]
    can_refer = principal.can(Capability.RECORD_CASEWORK) and principal.organisation_id == person.local_authority_id
    if not latest and not can_refer:
        return None
    current = latest[0] if latest else None
    previous = latest[1] if len(latest) > 1 else None
    re_referral = (
        current is not None
        and previous is not None
        and previous.referral_date >= add_months(current.referral_date, -RE_REFERRAL_MONTHS)
    )
    plan = None
    if current is not None and current.is_open and current.open_plan_start:  # type: ignore[attr-defined]
        category = AbuseCategory(current.open_plan_category).label  # type: ignore[attr-defined]
        plan = {"start_date": current.open_plan_start, "category": category}  # type: ignore[attr-defined]
    return {
        "person": person,
        "episode": current,
        "previous": previous if re_referral else None,
        "plan": plan,
        "can_refer": can_refer and (current is None or not current.is_open),
        "today": timezone.localdate(now),
    }


PANEL = panels.Panel(
    key="social-care", title="Children's social care", template="casework/_panel.html", load=load, order=20
)
