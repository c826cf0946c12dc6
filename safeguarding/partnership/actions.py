"""The partnership's one action tracker, drawn from every app that tracks actions, without importing them.

Section 11 audits, serious-incident reviews and multi-agency case audits each keep their own actions
(with the evidence their own process needs). Each registers an ActionSource in its AppConfig.ready();
the partnership dashboard and the tracker page list every source's actions together, overdue first.
A source must answer in a constant number of queries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from safeguarding.organisations.models import Partnership


@dataclass(frozen=True)
class ActionRow:
    source: str  # e.g. "Section 11 audit", "Serious incident review", "Case audit"
    description: str
    owner: str  # the owning organisation's name (and person, where recorded)
    due_on: dt.date
    completed_on: dt.date | None
    url: str  # where the action is worked on

    def is_overdue_on(self, day: dt.date) -> bool:
        return self.completed_on is None and self.due_on < day


@dataclass(frozen=True)
class ActionSource:
    key: str
    label: str
    rows: Callable[[Partnership], list[ActionRow]]


_SOURCES: dict[str, ActionSource] = {}


def register(source: ActionSource) -> None:
    _SOURCES[source.key] = source


def sources() -> list[ActionSource]:
    return sorted(_SOURCES.values(), key=lambda s: s.key)


def all_actions(partnership: Partnership, today: dt.date) -> list[ActionRow]:
    """Every source's actions: overdue first (oldest due first), then open by due date, then completed."""
    return overdue_first([row for source in sources() for row in source.rows(partnership)], today)


def overdue_first(rows: list[ActionRow], today: dt.date) -> list[ActionRow]:
    def order(row: ActionRow) -> tuple[int, dt.date]:
        if row.is_overdue_on(today):
            return (0, row.due_on)
        if row.completed_on is None:
            return (1, row.due_on)
        return (2, row.completed_on)

    return sorted(rows, key=order)


def owner_label(organisation: str, person: str = "") -> str:
    """The owner as every source writes it: the organisation's name, then the person in brackets."""
    return f"{organisation} ({person})" if person.strip() else organisation


def owner_organisation(row: ActionRow, organisations: list[str]) -> str:
    """The organisation part of the row's owner: the longest of `organisations` it starts with, else the owner."""
    matches = [name for name in organisations if row.owner == name or row.owner.startswith(f"{name} (")]
    return max(matches, key=len) if matches else row.owner


def status_of(row: ActionRow, today: dt.date) -> str:
    if row.completed_on is not None:
        return "Complete"
    return "Overdue" if row.is_overdue_on(today) else "Open"


def by_source(partnership: Partnership) -> list[tuple[ActionSource, list[ActionRow]]]:
    """Each registered source with its rows (one call of each source's `rows`)."""
    return [(source, source.rows(partnership)) for source in sources()]


def tracked(
    found: list[tuple[ActionSource, list[ActionRow]]],
    today: dt.date,
    *,
    source: str = "",
    owner: str = "",
    organisations: list[str],
) -> list[ActionRow]:
    """The rows of `by_source`, overdue first, optionally only one source's (by key) and one owner's (by name)."""
    rows = overdue_first([row for s, rows in found if not source or s.key == source for row in rows], today)
    if owner:
        rows = [row for row in rows if owner_organisation(row, organisations) == owner]
    return rows


@dataclass
class SourceCounts:
    """One bar of the action status chart: a source's actions that are overdue, open (in time) and complete."""

    label: str
    overdue: int = 0
    open: int = 0
    complete: int = 0

    @property
    def total(self) -> int:
        return self.overdue + self.open + self.complete

    def segments(self, width: int = 400) -> list[tuple[int, int, str, str, int]]:
        """(x, width, fill, label, count) of each non-empty part of a stacked bar `width` wide."""
        parts = [
            (self.overdue, "#d4351c", "overdue"),
            (self.open, "#1d70b8", "open"),
            (self.complete, "#00703c", "complete"),
        ]
        out, x, done = [], 0, 0
        for count, fill, label in parts:
            if not count:
                continue
            done += count
            end = round(width * done / self.total)
            out.append((x, end - x, fill, label, count))
            x = end
        return out


def counts_by_source(found: list[tuple[ActionSource, list[ActionRow]]], today: dt.date) -> list[SourceCounts]:
    """One SourceCounts per registered source (labelled as registered), including those with no rows."""
    counts = []
    for source, rows in found:
        bar = SourceCounts(source.label)
        for row in rows:
            status = status_of(row, today)
            if status == "Overdue":
                bar.overdue += 1
            elif status == "Open":
                bar.open += 1
            else:
                bar.complete += 1
        counts.append(bar)
    return counts
