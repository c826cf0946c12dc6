"""Sections other apps add to the child's page, without people importing those apps.

An app registers a Panel in its AppConfig.ready(). The child's page calls each panel's `load`
after the record has been opened (and audited) by access.queries.open_person, inside the same
transaction, so a panel only loads what belongs to an already-opened record. `load` must use a
constant number of queries (the page's query count must not grow with the record) and returns
None when it has nothing to show.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from safeguarding.accounts.principal import Principal

    from .models import Person

FIRST = "first"  # above the summary: the child's voice, shown first (Munro)
MAIN = "main"  # after the summary: the journey, plans, contacts


@dataclass(frozen=True)
class Panel:
    key: str  # the section's id on the page (for the contents list and #links)
    title: str
    template: str
    load: Callable[[Principal, Person, dt.datetime], dict[str, Any] | None]
    position: str = MAIN
    order: int = 50


@dataclass(frozen=True)
class Loaded:
    panel: Panel
    context: dict[str, Any]

    @property
    def key(self) -> str:
        return self.panel.key

    @property
    def title(self) -> str:
        return self.panel.title

    @property
    def template(self) -> str:
        return self.panel.template


_REGISTRY: dict[str, Panel] = {}


def register(panel: Panel) -> None:
    _REGISTRY[panel.key] = panel


def load_panels(principal: Principal, person: Person, now: dt.datetime) -> dict[str, list[Loaded]]:
    """The panels with something to show, by position, in order."""
    loaded: dict[str, list[Loaded]] = {FIRST: [], MAIN: []}
    for panel in sorted(_REGISTRY.values(), key=lambda p: (p.order, p.key)):
        context = panel.load(principal, person, now)
        if context is not None:
            loaded[panel.position].append(Loaded(panel, context))
    return loaded
