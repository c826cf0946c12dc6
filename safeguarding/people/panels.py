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

from django.db.models import Model

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


def defer_all_but(prefix: str, model: type[Model], keep: tuple[str, ...]) -> list[str]:
    """For .defer(): every column of the related `prefix` but `keep` (and its key). A panel shows a worker's or
    an agency's name, not the whole row: fewer columns to compile, fetch and build on every page."""
    return [f"{prefix}__{f.name}" for f in model._meta.concrete_fields if not f.primary_key and f.name not in keep]


USER_NAME = ("first_name", "last_name", "username")  # str(user) and get_full_name()
NAME = ("name",)  # an organisation's or a team's name


_REGISTRY: dict[str, Panel] = {}
_SHARED = "_panel_shared_reads"


def shared(person: Person, key: str, read: Callable[[Person], Any]) -> Any:
    """`read(person)`, made once per page however many panels ask for it (ADR 0028).

    Two panels that show the same rows (social care and oversight both start from the child's episodes)
    read them once: the result is kept on the opened Person, which lives for one request."""
    cache: dict[str, Any] = person.__dict__.setdefault(_SHARED, {})
    if key not in cache:
        cache[key] = read(person)
    return cache[key]


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
