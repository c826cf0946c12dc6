"""Derive a person's flags from their record: plans (CPP, or UCPP for an unborn child) and looked-after periods.

Called by the receivers inside the writer's transaction, and by `manage.py rebuild_flags`. It is
idempotent: it computes the flags the record implies and makes the stored flags agree, so running it
twice changes nothing. Overlapping or back-to-back periods of the same type become one flag (a change
of legal status, s20 then s38 then s31, is one looked-after flag, as CP-IS holds one LAC record).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from safeguarding.audit import services as audit
from safeguarding.care.models import LookedAfterPeriod
from safeguarding.casework.models import ChildProtectionPlan
from safeguarding.people.codes import PersonKind
from safeguarding.people.identifiers import InvalidNhsNumber, clean_nhs_number
from safeguarding.people.models import Person

from .models import Flag, PlanType

ACTOR = "Flags derived from the record"


@dataclass
class Span:
    start: dt.date
    end: dt.date | None
    local_authority_id: int


def merge(spans: list[Span]) -> list[Span]:
    """Join spans that overlap or touch (one ends the day the next starts). The later span's authority wins."""
    merged: list[Span] = []
    for span in sorted(spans, key=lambda s: s.start):
        last = merged[-1] if merged else None
        if last is not None and (last.end is None or span.start <= last.end):
            if last.end is not None and (span.end is None or span.end > last.end):
                last.end = span.end
            last.local_authority_id = span.local_authority_id
        else:
            merged.append(Span(span.start, span.end, span.local_authority_id))
    return merged


def _valid(nhs_number: str) -> str:
    try:
        return clean_nhs_number(nhs_number)
    except InvalidNhsNumber:
        return ""  # no flag without a valid number: the data quality page (issue 4 §4) finds these


def wanted_flags(person: Person) -> tuple[str, dict[tuple[str, dt.date], Span]]:  # key: (plan type, start)
    """The NHS number the person's flags are held against and the flags their record implies."""
    if person.kind == PersonKind.UNBORN:
        plan_type: str = PlanType.UCPP
        pregnant = person.pregnant_person
        nhs_number = _valid(pregnant.nhs_number) if pregnant else ""
    else:
        plan_type = PlanType.CPP
        nhs_number = _valid(person.nhs_number)
    plans = ChildProtectionPlan.objects.filter(episode__person=person).values_list(
        "start_date", "end_date", "episode__local_authority_id"
    )
    wanted: dict[tuple[str, dt.date], Span] = {(plan_type, s.start): s for s in merge([Span(*row) for row in plans])}
    if person.kind == PersonKind.CHILD:
        periods = LookedAfterPeriod.objects.filter(person=person).values_list(
            "start_date", "end_date", "local_authority_id"
        )
        wanted |= {(str(PlanType.LAC), s.start): s for s in merge([Span(*row) for row in periods])}
    return nhs_number, (wanted if nhs_number else {})


def sync_person(person: Person, *, now: dt.datetime) -> int:
    """Make the stored flags of `person` agree with their record. Returns how many flags changed."""
    nhs_number, wanted = wanted_flags(person)
    existing = {(f.plan_type, f.start_date): f for f in Flag.objects.filter(person=person)}
    changed = 0
    for key, flag in existing.items():
        span = wanted.get(key)
        if span is None:
            flag.delete()
            _audit(flag, "flag.withdrawn", now)
            changed += 1
        elif (flag.end_date, flag.local_authority_id, flag.nhs_number) != (
            span.end,
            span.local_authority_id,
            nhs_number,
        ):
            action = "flag.ended" if span.end and not flag.end_date else "flag.changed"
            flag.end_date, flag.local_authority_id, flag.nhs_number = span.end, span.local_authority_id, nhs_number
            flag.updated_at = now
            flag.save(update_fields=["end_date", "local_authority", "nhs_number", "updated_at"])
            _audit(flag, action, now)
            changed += 1
    for (plan_type, start), span in wanted.items():
        if (plan_type, start) not in existing:
            flag = Flag.objects.create(
                person=person,
                nhs_number=nhs_number,
                plan_type=plan_type,
                start_date=start,
                end_date=span.end,
                local_authority_id=span.local_authority_id,
                updated_at=now,
            )
            _audit(flag, "flag.created", now)
            changed += 1
    return changed


def _audit(flag: Flag, action: str, now: dt.datetime) -> None:
    audit.record(
        principal=None,
        actor_name=ACTOR,
        action=action,
        at=now,
        person=flag.person,
        object_type="flag",
        object_id=str(flag.public_id),
        details={"plan_type": flag.plan_type, "start_date": str(flag.start_date), "end_date": str(flag.end_date or "")},
    )
