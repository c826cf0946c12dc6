"""Early help records in each state, made through the services (so audit and chronology are real)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from safeguarding.casework import services as casework
from safeguarding.casework.models import Episode
from safeguarding.earlyhelp import services
from safeguarding.earlyhelp.models import EarlyHelpEpisode, TeamAroundFamilyMember
from tests import factories as f

DAY = dt.timedelta(days=1)


def now() -> dt.datetime:
    return timezone.now()


def offered(world: Any, *, team: Any = None, person: Any = None) -> EarlyHelpEpisode:
    """An offer held by team A (the allocated worker's team), awaiting consent."""
    with transaction.atomic():
        return services.offer_early_help(
            person=person or world.child,
            principal=f.principal_for(world.manager),
            now=now(),
            offered_on=now().date(),
            reason="Help with routines and school attendance",
            team=team if team is not None else world.team_a,
        )


def consented(world: Any, **kwargs: Any) -> EarlyHelpEpisode:
    episode = offered(world, **kwargs)
    services.record_consent(
        episode=episode,
        principal=f.principal_for(world.manager),
        now=now(),
        decision="GIVEN",
        by_whom="Testparent Example",
        relationship="PARENT",
        decided_on=now().date(),
    )
    return episode


def assessing(world: Any, **kwargs: Any) -> EarlyHelpEpisode:
    episode = consented(world, **kwargs)
    services.start_assessment(
        episode=episode, principal=f.principal_for(world.manager), now=now(), started_on=now().date()
    )
    return EarlyHelpEpisode.objects.get(pk=episode.pk)


def assessed(world: Any, **kwargs: Any) -> EarlyHelpEpisode:
    episode = assessing(world, **kwargs)
    services.complete_assessment(
        episode=episode,
        principal=f.principal_for(world.manager),
        now=now(),
        completed_on=now().date(),
        strengths="Loving grandparent nearby",
        needs="Morning routines; attendance",
        child_view="I want to get to school on time",
    )
    return EarlyHelpEpisode.objects.get(pk=episode.pk)


def planned(world: Any, **kwargs: Any) -> EarlyHelpEpisode:
    episode = assessed(world, **kwargs)
    services.start_plan(
        episode=episode,
        principal=f.principal_for(world.manager),
        now=now(),
        started_on=now().date(),
        first_review_on=now().date() + 42 * DAY,
        change="Testchild gets to school on time every day",
        due_on=now().date() + 90 * DAY,
        who="Parent, with the family support worker",
    )
    return EarlyHelpEpisode.objects.get(pk=episode.pk)


def member(world: Any, episode: EarlyHelpEpisode, *, user: Any = None) -> TeamAroundFamilyMember:
    return services.add_taf_member(
        episode=episode,
        principal=f.principal_for(world.manager),
        now=now(),
        joined_on=now().date(),
        role="School nurse",
        user=user,
        name="" if user else "Nurse Testname",
        organisation_name="" if user else "Northbridge Primary School",
    )


def stepped_down(world: Any, *, person: Any = None) -> Episode:
    """A social care episode for the child, closed after assessment with a referral to early help (RC9)."""
    principal = f.principal_for(world.manager)
    person = person or world.child
    start = now().date() - 10 * DAY
    backdated = "Test history"
    with transaction.atomic():
        episode = casework.open_referral(
            person=person,
            principal=principal,
            now=now(),
            referral_date=start,
            referral_source="3A",
            team=world.team_a,
            summary="Concerns about neglect from the GP",
            backdated_reason=backdated,
        )
        assessment = casework.start_assessment(
            episode=episode,
            principal=principal,
            now=now(),
            start_date=start,
            timescale_working_days=20,
            timescale_reason="Straightforward",
            backdated_reason=backdated,
        )
        casework.complete_assessment(
            assessment=assessment,
            principal=principal,
            now=now(),
            completed_on=start + 5 * DAY,
            factors=["16A"],
            outcome="EARLY_HELP",
            backdated_reason=backdated,
        )
        return casework.close_episode(
            episode=Episode.objects.get(pk=episode.pk),
            principal=principal,
            now=now(),
            closure_date=start + 6 * DAY,
            reason="RC9",
            note="Needs can be met by early help",
            backdated_reason=backdated,
        )
