"""Synthetic accountability and training data for a generated area (the demo calls `fill`; ADR 0020).

Every role of the catalogue gets a history of holders from 2008 (or from when its body existed) to the
as-of date, kept with the body that held it (a primary care trust's designated nurse stays with the
trust), with occasional gaps and acting holders; one statutory role is left vacant today so the dashboard
shows its alert. Every current member of staff whose role needs training gets records drawn so that
most are in date, some due, some overdue and a few never trained. Writes bypass the services (like the
rest of the generator) and are deterministic for a seed. Call inside transaction.atomic().
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from decimal import Decimal

from safeguarding.accounts.models import Membership
from safeguarding.organisations.models import Organisation, Partnership
from safeguarding.synthetic import names

from . import catalogue
from .compliance import add_months, requirements_for
from .models import AccountableRole, RoleHolding, TrainingKind, TrainingRecord, TrainingRequirement, TrainingSource
from .register import area_organisations, roles_for

HISTORY_FROM = dt.date(2008, 1, 1)
HOURS = {1: "2", 2: "4", 3: "8", 4: "24", 5: "24"}
COURSES = {
    TrainingKind.INTERCOLLEGIATE: "Safeguarding children level {level}",
    TrainingKind.MULTI_AGENCY: "Multi-agency safeguarding (partnership tier {level})",
}
PROVIDERS = ("Partnership training team", "Trust safeguarding team", "e-Learning for Healthcare", "Regional college")


def _name(rng: random.Random) -> str:
    heritage = names.pick_heritage(names.pick_group(rng), rng)
    return f"{names.given_name(heritage, rng.choice('MF'), 'adult', rng)} {names.family_name(heritage, rng)}"


def fill(partnership: Partnership, *, seed: int, as_of: dt.date, now: dt.datetime) -> Counter[str]:
    """Fill the register and training records of one generated area. Returns counts of rows written."""
    rng = random.Random(f"partnership/{seed}/{partnership.public_id}")
    if not AccountableRole.objects.filter(partnership=None).exists():
        catalogue.install(AccountableRole, TrainingRequirement)
    counts: Counter[str] = Counter()
    holdings = _holdings(partnership, rng, as_of, now)
    RoleHolding.objects.bulk_create(holdings)
    counts["role holdings"] = len(holdings)
    records = _training(partnership, rng, as_of, now)
    TrainingRecord.objects.bulk_create(records)
    counts["training records"] = len(records)
    return counts


def _holdings(partnership: Partnership, rng: random.Random, as_of: dt.date, now: dt.datetime) -> list[RoleHolding]:
    rows: list[RoleHolding] = []
    roles = roles_for(partnership)
    bodies = area_organisations(partnership)
    vacant_role: AccountableRole | None = rng.choice([r for r in roles if r.scope == "ORGANISATION"] or roles)

    def add(
        role: AccountableRole, body: Organisation, starts_on: dt.date, ends_on: dt.date | None, acting: bool
    ) -> None:
        rows.append(
            RoleHolding(
                role=role,
                partnership=partnership,
                organisation=body,
                holder_name=_name(rng),
                is_acting=acting,
                starts_on=starts_on,
                ends_on=ends_on,
                note="Synthetic history",
                recorded_at=now,
            )
        )

    for role in roles:
        holders = (
            [b for b in bodies if b.type in role.held_by_types] if role.held_by_types else [partnership.local_authority]
        )
        for body in holders:
            day = max(body.valid_from or HISTORY_FROM, HISTORY_FROM)
            end = min(body.valid_to or as_of, as_of)
            while day <= end:
                last = day + dt.timedelta(days=rng.randint(2 * 365, 6 * 365))
                if last >= end:  # the last holder: still in post unless the body has closed
                    ends_on = body.valid_to if body.valid_to and body.valid_to <= as_of else None
                    if ends_on is None and role == vacant_role:  # left recently: today's vacancy alert
                        vacant_role, ends_on = None, as_of - dt.timedelta(days=rng.randint(20, 90))
                    if ends_on is None or ends_on >= day:
                        add(role, body, day, ends_on, False)
                    break
                add(role, body, day, last, False)
                day = last + dt.timedelta(days=1)
                if rng.random() < 0.15:  # a gap before the next holder, covered by an acting holder half the time
                    gap_end = min(day + dt.timedelta(days=rng.randint(30, 180)), end)
                    if rng.random() < 0.5:
                        add(role, body, day, gap_end, True)
                    day = gap_end + dt.timedelta(days=1)
    return rows


def _training(partnership: Partnership, rng: random.Random, as_of: dt.date, now: dt.datetime) -> list[TrainingRecord]:
    requirements = requirements_for(partnership)
    bodies = [b.id for b in area_organisations(partnership) if b.is_current_on(as_of)]
    memberships = Membership.objects.filter(organisation_id__in=bodies, is_active=True, role__in=list(requirements))
    rows: list[TrainingRecord] = []
    seen: set[tuple[int, str, dt.date]] = set()
    for m in memberships.order_by("id"):
        requirement = requirements[m.role]
        draw = rng.random()
        if draw < 0.06:
            continue  # never trained
        months = requirement.refresh_months
        if draw < 0.18:
            age = rng.randint(months * 30 + 1, months * 30 + 400)  # overdue
        elif draw < 0.28:
            age = rng.randint(months * 30 - 85, months * 30 - 5)  # due soon
        else:
            age = rng.randint(30, months * 30 - 120)
        completed_on = as_of - dt.timedelta(days=age)
        level = requirement.minimum_level
        for day in (add_months(completed_on, -months), completed_on):  # the course before, and the latest
            course = COURSES[TrainingKind(requirement.kind)].format(level=level)
            key = (m.user_id, course, day)
            if key in seen:
                continue
            seen.add(key)
            rows.append(
                TrainingRecord(
                    worker_id=m.user_id,
                    organisation_id=m.organisation_id,
                    team_id=m.team_id,
                    course=course,
                    completed_on=day,
                    hours=Decimal(HOURS[level]),
                    provider=rng.choice(PROVIDERS),
                    kind=requirement.kind,
                    level=level,
                    source=TrainingSource.SYNTHETIC,
                    recorded_at=now,
                )
            )
    return rows
