"""Due dates from named local standards. Pure functions of (standard, start)."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from .catalogue import CATALOGUE
from .models import LocalStandard, Unit
from .working_days import add_working_days


@dataclass(frozen=True)
class Standard:
    code: str
    title: str
    amount: int
    unit: str
    source: str
    is_local_variation: bool

    def describe(self) -> str:
        unit = Unit(self.unit).label
        if self.amount == 1:
            unit = unit.rstrip("s")
        return f"{self.amount} {unit}"


def add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_date(standard: Standard, start: dt.date) -> dt.date:
    if standard.unit == Unit.WORKING_DAYS:
        return add_working_days(start, standard.amount)
    if standard.unit == Unit.CALENDAR_DAYS:
        return start + dt.timedelta(days=standard.amount)
    if standard.unit == Unit.MONTHS:
        return add_months(start, standard.amount)
    if standard.unit == Unit.HOURS:
        return start + dt.timedelta(days=max(1, -(-standard.amount // 24)) - 1)
    raise ValueError(f"unknown unit {standard.unit}")


def standard_for(local_authority_id: int, code: str) -> Standard:
    """The authority's setting for `code`, or the national default."""
    definition = CATALOGUE[code]
    local = LocalStandard.objects.filter(local_authority_id=local_authority_id, code=code).first()
    if local is None:
        return Standard(definition.code, definition.title, definition.amount, definition.unit, definition.source, False)
    return Standard(definition.code, definition.title, local.amount, local.unit, definition.source, True)
