"""Safeguarding training compliance: who is trained to the level their role needs, and who is due.

A worker is compliant on a day when their latest course of the required kind, at or above the required
level, was completed less than `refresh_months` before (the Intercollegiate Document and most
partnerships refresh every three years). Staff only update their highest level (domain.md §4), so a
higher level course counts for a lower requirement. Due: expiring within DUE_WITHIN days. Call the
page functions only after access.open_partnership; queries are constant in the number of staff.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, TextChoices

from safeguarding.accounts.models import Membership
from safeguarding.organisations.models import Partnership

from .models import TrainingRecord, TrainingRequirement
from .register import area_organisations

DUE_WITHIN = dt.timedelta(days=90)


class Status(TextChoices):
    COMPLIANT = "COMPLIANT", "Up to date"
    DUE = "DUE", "Due within 90 days"
    OVERDUE = "OVERDUE", "Overdue"
    NEVER = "NEVER", "No qualifying training"


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, clamped to the month's end (29 February + 12 months = 28 February)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def qualifies(record: TrainingRecord, requirement: TrainingRequirement) -> bool:
    return record.kind == requirement.kind and record.level >= requirement.minimum_level


def status_on(
    records: list[TrainingRecord], requirement: TrainingRequirement, day: dt.date
) -> tuple[str, TrainingRecord | None, dt.date | None]:
    """(status, the qualifying record it rests on, the day it expires) for one worker on `day`."""
    done = [r for r in records if qualifies(r, requirement) and r.completed_on <= day]
    if not done:
        return Status.NEVER, None, None
    latest = max(done, key=lambda r: r.completed_on)
    expires_on = add_months(latest.completed_on, requirement.refresh_months)
    if day >= expires_on:
        return Status.OVERDUE, latest, expires_on
    if expires_on - day <= DUE_WITHIN:
        return Status.DUE, latest, expires_on
    return Status.COMPLIANT, latest, expires_on


@dataclass
class WorkerLine:
    membership: Membership
    requirement: TrainingRequirement
    status: str
    record: TrainingRecord | None
    expires_on: dt.date | None

    @property
    def status_label(self) -> str:
        return str(Status(self.status).label)


@dataclass
class Group:
    name: str
    counts: dict[str, int] = field(default_factory=lambda: {s.value: 0 for s in Status})

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def compliant(self) -> int:
        # Due means still in date: it counts as compliant until it expires.
        return self.counts[Status.COMPLIANT] + self.counts[Status.DUE]

    @property
    def percent(self) -> int:
        return round(100 * self.compliant / self.total) if self.total else 0


@dataclass
class Compliance:
    day: dt.date
    lines: list[WorkerLine]
    by_organisation: list[Group]
    by_team: list[Group]

    @property
    def attention(self) -> list[WorkerLine]:
        """Overdue and never trained first, then due, each soonest first."""
        order = {Status.NEVER: 0, Status.OVERDUE: 1, Status.DUE: 2}
        needing = [line for line in self.lines if line.status != Status.COMPLIANT]
        return sorted(
            needing, key=lambda x: (order[Status(x.status)], x.expires_on or dt.date.min, str(x.membership.user))
        )


def requirements_for(partnership: Partnership) -> dict[str, TrainingRequirement]:
    """Each staff role's requirement: the partnership's own where it set one, else the default."""
    chosen: dict[str, TrainingRequirement] = {}
    query = Q(partnership__isnull=True) | Q(partnership=partnership)
    for requirement in TrainingRequirement.objects.filter(query):
        if requirement.role not in chosen or requirement.partnership_id is not None:
            chosen[requirement.role] = requirement
    return chosen


def current_staff(partnership: Partnership, day: dt.date) -> list[Membership]:
    """Every membership current on `day` in an organisation of the area that exists on `day`."""
    bodies = [org.id for org in area_organisations(partnership) if org.is_current_on(day)]
    found = Membership.objects.filter(organisation_id__in=bodies, is_active=True).select_related("user")
    return [m for m in found if m.is_current(day)]


def compliance_on(partnership: Partnership, day: dt.date) -> Compliance:
    requirements = requirements_for(partnership)
    bodies = [org.id for org in area_organisations(partnership) if org.is_current_on(day)]
    memberships = [
        m
        for m in Membership.objects.filter(organisation_id__in=bodies, is_active=True, role__in=list(requirements))
        .select_related("user", "organisation", "team")
        .order_by("organisation__name", "team__name", "user__last_name", "user__first_name")
        if m.is_current(day)
    ]
    records: dict[int, list[TrainingRecord]] = defaultdict(list)
    for done in TrainingRecord.objects.filter(worker_id__in={m.user_id for m in memberships}):
        records[done.worker_id].append(done)
    lines = []
    by_org: dict[str, Group] = {}
    by_team: dict[str, Group] = {}
    for m in memberships:
        requirement = requirements[m.role]
        status, record, expires_on = status_on(records[m.user_id], requirement, day)
        lines.append(WorkerLine(m, requirement, status, record, expires_on))
        by_org.setdefault(m.organisation.name, Group(m.organisation.name)).counts[status] += 1
        team = f"{m.team.name}, {m.organisation.name}" if m.team else f"No team, {m.organisation.name}"
        by_team.setdefault(team, Group(team)).counts[status] += 1
    return Compliance(day, lines, list(by_org.values()), list(by_team.values()))


def export_rows(compliance: Compliance) -> list[list[Any]]:
    rows: list[list[Any]] = [
        [
            "Name",
            "Organisation",
            "Team",
            "Role",
            "Required",
            "Last qualifying course",
            "Completed on",
            "Expires on",
            "Status",
        ]
    ]
    for line in compliance.attention:
        m, req = line.membership, line.requirement
        rows.append(
            [
                str(m.user),
                m.organisation.name,
                m.team.name if m.team else "",
                m.get_role_display(),
                f"{req.get_kind_display()} level {req.minimum_level}",
                line.record.course if line.record else "",
                line.record.completed_on.isoformat() if line.record else "",
                line.expires_on.isoformat() if line.expires_on else "",
                line.status_label,
            ]
        )
    return rows
