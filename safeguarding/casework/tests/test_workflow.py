"""The transition table: every step not allowed at a stage is refused, says why and what is allowed,
and writes nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from safeguarding.audit.models import AuditEvent
from safeguarding.casework import services, workflow
from safeguarding.casework.codes import Stage
from safeguarding.casework.models import Episode
from safeguarding.chronology.models import ChronologyEntry

from . import factories as cf


def closed(world: Any) -> Episode:
    episode = cf.assessed(world, outcome="NFA")
    services.close_episode(
        episode=episode,
        principal=cf.principal(world.allocated),
        now=cf.now(),
        closure_date=cf.days_ago(0),
        reason="RC8",
    )
    return Episode.objects.get(pk=episode.pk)


def child_in_need(world: Any) -> Episode:
    episode = cf.assessed(world)
    services.start_cin_plan(
        episode=episode,
        principal=cf.principal(world.allocated),
        now=cf.now(),
        start_date=cf.days_ago(0),
        outcomes="Regular school attendance",
    )
    return Episode.objects.get(pk=episode.pk)


STATES: dict[str, Callable[[Any], Episode]] = {
    "referral": cf.referral,
    "assessing": cf.assessing,
    "assessed": cf.assessed,
    "child_in_need": child_in_need,
    "section_47": cf.in_section47,
    "conference_due": cf.conference_due,
    "child_protection": cf.on_plan,
    "closed": closed,
}

# What the page offers at each state (the table read as a user would see it).
EXPECTED = {
    "referral": {"start-assessment", "primary-need", "strategy-discussion", "close"},
    "assessing": {"complete-assessment", "primary-need", "strategy-discussion", "close"},
    "assessed": {"authorise-assessment", "primary-need", "start-cin-plan", "strategy-discussion", "close"},
    "child_in_need": {
        "authorise-assessment",
        "primary-need",
        "review-cin-plan",
        "end-cin-plan",
        "strategy-discussion",
        "close",
    },
    "section_47": {"complete-assessment", "primary-need", "complete-section-47", "close"},
    "conference_due": {"complete-assessment", "primary-need", "initial-conference", "close"},
    "child_protection": {
        "complete-assessment",
        "primary-need",
        "core-group",
        "review-conference",
        "change-category",
        "end-cp-plan",
        "close",
    },
    "closed": set(),
}
ACTIONS = sorted({step.action for step in workflow.TABLE.values()} - {"start-assessment-again"})


def _actions(episode: Episode) -> set[str]:
    return {step.action.removesuffix("-again") for step in workflow.allowed(episode)}


@pytest.mark.parametrize("state", sorted(STATES))
def test_each_state_offers_exactly_its_steps(world, state):
    assert _actions(STATES[state](world)) == EXPECTED[state]


@pytest.mark.parametrize("state", sorted(STATES))
def test_every_other_step_is_refused_with_why_and_what_is_allowed(world, state):
    episode = STATES[state](world)
    allowed_labels = [step.label.lower() for step in workflow.allowed(episode)]
    for action in ACTIONS:
        if action in EXPECTED[state]:
            continue
        with pytest.raises(services.StepRefused) as refused:
            workflow.check(episode, action)
        message = str(refused.value)
        if state == "closed":
            assert "Nothing more can be recorded on a closed episode" in message
        else:
            assert "Allowed now:" in message, (action, message)
            assert all(label in message for label in allowed_labels), (action, message)


def _refused_writes_nothing(call: Callable[[], Any]) -> str:
    before = (AuditEvent.objects.count(), ChronologyEntry.objects.count())
    with pytest.raises(services.StepRefused) as refused:
        call()
    assert (AuditEvent.objects.count(), ChronologyEntry.objects.count()) == before
    return str(refused.value)


def test_a_section_47_needs_a_strategy_discussion_first(world):
    episode = cf.assessing(world)
    message = _refused_writes_nothing(
        lambda: services.start_section47(
            episode=episode, principal=cf.principal(world.allocated), now=cf.now(), start_date=cf.days_ago(0)
        )
    )
    assert "starts from a strategy discussion" in message
    assert Episode.objects.get(pk=episode.pk).stage == Stage.ASSESSMENT


def test_a_conference_cannot_be_held_at_referral(world):
    episode = cf.referral(world)
    message = _refused_writes_nothing(
        lambda: services.hold_initial_conference(
            episode=episode,
            principal=cf.principal(world.allocated),
            now=cf.now(),
            held_on=cf.days_ago(0),
            decision="PLAN",
            category="NEG",
            rationale="x",
        )
    )
    assert "Referral received" in message and "start an assessment" in message


def test_nothing_can_be_recorded_on_a_closed_episode(world):
    episode = closed(world)
    message = _refused_writes_nothing(
        lambda: services.hold_strategy_discussion(
            episode=episode,
            principal=cf.principal(world.allocated),
            now=cf.now(),
            held_on=cf.days_ago(0),
            agencies="Police",
            outcome="S47",
            rationale="x",
        )
    )
    assert "Closed" in message and "Nothing more" in message


def test_a_second_assessment_is_refused_while_one_is_under_way(world):
    episode = child_in_need(world)  # the first assessment is completed but not yet authorised
    message = _refused_writes_nothing(
        lambda: services.start_assessment(
            episode=episode,
            principal=cf.principal(world.allocated),
            now=cf.now(),
            start_date=cf.days_ago(0),
            timescale_working_days=10,
            timescale_reason="Change in circumstances",
        )
    )
    assert "already under way" in message


def test_an_unknown_step_is_refused(world):
    with pytest.raises(services.StepRefused, match="no step called"):
        workflow.check(cf.referral(world), "adopt")
