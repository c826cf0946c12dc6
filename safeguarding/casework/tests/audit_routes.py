"""Casework's routes for tests/test_audit_completeness.py: each builder puts world.child's episode in a
state where the page may be shown, and returns the URL kwargs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from safeguarding.casework import services
from safeguarding.casework.models import Episode

from . import factories as cf

PERSON_ROUTES = {"casework:referral-new"}


def _kwargs(episode: Episode, **extra: Any) -> dict[str, Any]:
    return {"public_id": episode.person.public_id, "episode": episode.public_id, **extra}


def _at(make: Callable[[Any], Episode]) -> Callable[[Any], dict[str, Any]]:
    return lambda world: _kwargs(make(world))


def _cin(world: Any) -> Episode:
    episode = cf.assessed(world)
    services.start_cin_plan(
        episode=episode,
        principal=cf.principal(world.allocated),
        now=cf.now(),
        start_date=cf.days_ago(0),
        outcomes="Gets to school every day",
    )
    return Episode.objects.get(pk=episode.pk)


def _strategy_decided(world: Any) -> Episode:
    episode = cf.assessing(world)
    services.hold_strategy_discussion(
        episode=episode,
        principal=cf.principal(world.allocated),
        now=cf.now(),
        held_on=cf.days_ago(0),
        agencies="Police",
        outcome="S47",
        rationale="Disclosure at school",
    )
    return episode


def _conference(world: Any) -> dict[str, Any]:
    episode = cf.on_plan(world)
    return _kwargs(episode, conference=episode.conferences.get().public_id)


def _cp_plan(world: Any) -> dict[str, Any]:
    episode = cf.on_plan(world)
    return _kwargs(episode, plan=episode.cp_plans.get().public_id)


def _cin_plan(world: Any) -> dict[str, Any]:
    episode = _cin(world)
    return _kwargs(episode, plan=episode.cin_plans.get().public_id)


RECORD_ROUTES: dict[str, Callable[[Any], dict[str, Any]]] = {
    "casework:episode": _at(cf.referral),
    "casework:conference": _conference,
    "casework:cp-plan": _cp_plan,
    "casework:cin-plan": _cin_plan,
    "casework:primary-need": _at(cf.referral),
    "casework:assessment-start": _at(cf.referral),
    "casework:assessment-complete": _at(cf.assessing),
    "casework:assessment-authorise": _at(cf.assessed),
    "casework:cin-plan-new": _at(cf.assessed),
    "casework:cin-review-new": _at(_cin),
    "casework:cin-plan-end": _at(_cin),
    "casework:strategy-new": _at(cf.assessing),
    "casework:s47-start": _at(_strategy_decided),
    "casework:s47-outcome": _at(cf.in_section47),
    "casework:conference-initial": _at(cf.conference_due),
    "casework:conference-review": _at(cf.on_plan),
    "casework:core-group-new": _at(cf.on_plan),
    "casework:category-change": _at(cf.on_plan),
    "casework:cp-plan-end": _at(cf.on_plan),
    "casework:close": _at(cf.assessed),
}
