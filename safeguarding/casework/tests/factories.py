"""Build episodes at each stage through the services (so every fixture is a state the table allows)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from safeguarding.casework import services
from safeguarding.casework.codes import AssessmentOutcome, ConferenceDecision, Section47Outcome, StrategyOutcome
from safeguarding.casework.models import Episode
from tests import factories as f

BACKDATED = "Typed up from notes"


def now() -> dt.datetime:
    return timezone.now()


def days_ago(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)


def principal(user: Any) -> Any:
    return f.principal_for(user)


def referral(world: Any, *, ago: int = 60, **kwargs: Any) -> Episode:
    kwargs.setdefault("team", world.team_a)
    kwargs.setdefault("worker", world.allocated)
    return services.open_referral(
        person=kwargs.pop("person", world.child),
        principal=principal(world.manager),
        now=now(),
        referral_date=days_ago(ago),
        referral_source="2A",
        backdated_reason=BACKDATED if ago > 1 else "",
        **kwargs,
    )


def assessing(world: Any, *, ago: int = 60) -> Episode:
    episode = referral(world, ago=ago)
    services.start_assessment(
        episode=episode,
        principal=principal(world.allocated),
        now=now(),
        start_date=days_ago(ago - 1),
        timescale_working_days=20,
        timescale_reason="Two visits and a school meeting",
        backdated_reason=BACKDATED,
    )
    return Episode.objects.get(pk=episode.pk)


def assessed(world: Any, *, ago: int = 60, outcome: str = AssessmentOutcome.CHILD_IN_NEED) -> Episode:
    episode = assessing(world, ago=ago)
    services.complete_assessment(
        assessment=episode.assessments.get(),
        principal=principal(world.allocated),
        now=now(),
        completed_on=days_ago(ago - 10),
        factors=["3B", "16A"],
        outcome=outcome,
        backdated_reason=BACKDATED,
    )
    return Episode.objects.get(pk=episode.pk)


def in_section47(world: Any, *, ago: int = 60) -> Episode:
    episode = assessing(world, ago=ago)
    services.hold_strategy_discussion(
        episode=episode,
        principal=principal(world.allocated),
        now=now(),
        held_on=days_ago(ago - 2),
        agencies="Police, school, health visitor",
        outcome=StrategyOutcome.SECTION_47,
        rationale="Injury seen at school",
        backdated_reason=BACKDATED,
    )
    services.start_section47(
        episode=episode,
        principal=principal(world.allocated),
        now=now(),
        start_date=days_ago(ago - 2),
        backdated_reason=BACKDATED,
    )
    return Episode.objects.get(pk=episode.pk)


def conference_due(world: Any, *, ago: int = 60) -> Episode:
    episode = in_section47(world, ago=ago)
    services.complete_section47(
        enquiry=episode.section47s.get(),
        principal=principal(world.allocated),
        now=now(),
        completed_on=days_ago(ago - 8),
        outcome=Section47Outcome.CONFERENCE,
        backdated_reason=BACKDATED,
    )
    return Episode.objects.get(pk=episode.pk)


def on_plan(world: Any, *, ago: int = 60, category: str = "NEG") -> Episode:
    episode = conference_due(world, ago=ago)
    services.hold_initial_conference(
        episode=episode,
        principal=principal(world.allocated),
        now=now(),
        held_on=days_ago(ago - 15),
        decision=ConferenceDecision.PLAN,
        category=category,
        rationale="Neglect of basic care over months",
        backdated_reason=BACKDATED,
    )
    return Episode.objects.get(pk=episode.pk)
