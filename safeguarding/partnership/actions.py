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
    rows = [row for source in sources() for row in source.rows(partnership)]

    def order(row: ActionRow) -> tuple[int, dt.date]:
        if row.is_overdue_on(today):
            return (0, row.due_on)
        if row.completed_on is None:
            return (1, row.due_on)
        return (2, row.completed_on)

    return sorted(rows, key=order)
