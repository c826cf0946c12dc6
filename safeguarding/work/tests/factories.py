"""Casework records made directly for tests of due items, My work, the dashboard and oversight.

Tests of those pages need episodes at every stage without driving the whole workflow (that is
casework's own tests' job), so these create rows directly, as tests/factories.make_person does.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from safeguarding.accounts.models import User
from safeguarding.casework.codes import ConferenceDecision, ConferenceKind, Stage, StrategyOutcome
from safeguarding.casework.models import (
    Allocation,
    Assessment,
    ChildInNeedPlan,
    ChildInNeedReview,
    ChildProtectionPlan,
    Conference,
    CoreGroupMeeting,
    Episode,
    StrategyDiscussion,
)
from safeguarding.organisations.models import Team
from safeguarding.people.models import Person
from tests import factories as f


def _recorded(by: User | None) -> dict[str, Any]:
    return {"recorded_at": timezone.now(), "recorded_by": by or f.person_creator()}


def make_episode(
    person: Person,
    *,
    worker: User | None = None,
    team: Team | None = None,
    referral_date: dt.date = dt.date(2026, 11, 2),
    stage: str = Stage.REFERRAL,
    allocation_start: dt.date | None = None,
) -> Episode:
    """An open episode with its current allocation (no involvements: the test adds what it needs)."""
    episode = Episode.objects.create(
        person=person,
        local_authority=person.local_authority,
        referral_date=referral_date,
        referral_source="3A",
        primary_need="N1",
        stage=stage,
        allocated_worker=worker,
        team=team,
        **_recorded(worker),
    )
    if team is not None:
        Allocation.objects.create(
            episode=episode, worker=worker, team=team, start_date=allocation_start or referral_date, **_recorded(worker)
        )
    return episode


def make_assessment(episode: Episode, *, start_date: dt.date, days: int = 20, **kwargs: Any) -> Assessment:
    return Assessment.objects.create(
        episode=episode,
        start_date=start_date,
        timescale_working_days=days,
        timescale_reason="Test reason",
        **_recorded(None),
        **kwargs,
    )


def make_strategy(episode: Episode, *, held_on: dt.date) -> StrategyDiscussion:
    return StrategyDiscussion.objects.create(
        episode=episode,
        held_on=held_on,
        agencies="Police, health",
        outcome=StrategyOutcome.SECTION_47,
        rationale="Test",
        **_recorded(None),
    )


def make_cp_plan(episode: Episode, *, start_date: dt.date) -> ChildProtectionPlan:
    plan = ChildProtectionPlan.objects.create(
        episode=episode, start_date=start_date, initial_category="NEG", latest_category="NEG", **_recorded(None)
    )
    Conference.objects.create(
        episode=episode,
        kind=ConferenceKind.INITIAL,
        plan=plan,
        held_on=start_date,
        decision=ConferenceDecision.PLAN,
        category="NEG",
        rationale="Test",
        **_recorded(None),
    )
    return plan


def make_review_conference(plan: ChildProtectionPlan, *, held_on: dt.date) -> Conference:
    return Conference.objects.create(
        episode=plan.episode,
        kind=ConferenceKind.REVIEW,
        plan=plan,
        held_on=held_on,
        decision=ConferenceDecision.PLAN,
        category="NEG",
        rationale="Test",
        **_recorded(None),
    )


def make_core_group(plan: ChildProtectionPlan, *, held_on: dt.date) -> CoreGroupMeeting:
    return CoreGroupMeeting.objects.create(plan=plan, held_on=held_on, progress="Test", **_recorded(None))


def make_cin_plan(episode: Episode, *, start_date: dt.date) -> ChildInNeedPlan:
    return ChildInNeedPlan.objects.create(episode=episode, start_date=start_date, outcomes="Test", **_recorded(None))


def make_cin_review(plan: ChildInNeedPlan, *, held_on: dt.date) -> ChildInNeedReview:
    return ChildInNeedReview.objects.create(plan=plan, held_on=held_on, progress="Test", **_recorded(None))
