"""Sections other apps add to the partnership dashboard, without partnership importing those apps.

Like people.panels for the child's page: an app registers a DashboardSection in its AppConfig.ready();
the dashboard calls each section's `load` for the chosen partnership and shows those that return a
context (None: nothing to show). `load` must answer in a constant number of queries and return no
child's personal data (the dashboard is for partnership roles, who do not open children's records).
The dashboard renders `template` with that context plus `partnership`, `today`, `principal`, `can_manage`
and `section`, under an h2 of `title` (so the template's own headings start at h3); ADR 0027.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from safeguarding.accounts.principal import Principal
    from safeguarding.organisations.models import Partnership


@dataclass(frozen=True)
class DashboardSection:
    key: str  # the section's id on the page
    title: str
    template: str
    load: Callable[[Principal, Partnership, dt.date], dict[str, Any] | None]
    order: int = 50


@dataclass(frozen=True)
class LoadedSection:
    section: DashboardSection
    context: dict[str, Any]


_REGISTRY: dict[str, DashboardSection] = {}


def register(section: DashboardSection) -> None:
    _REGISTRY[section.key] = section


def load_sections(principal: Principal, partnership: Partnership, today: dt.date) -> list[LoadedSection]:
    loaded = []
    for section in sorted(_REGISTRY.values(), key=lambda s: (s.order, s.key)):
        context = section.load(principal, partnership, today)
        if context is not None:
            loaded.append(LoadedSection(section, context))
    return loaded
