"""The contract other apps code against: open_referral and close_episode."""

from __future__ import annotations

import pytest

from safeguarding.access.models import Involvement, InvolvementKind
from safeguarding.audit.models import AuditEvent
from safeguarding.casework import services
from safeguarding.casework.codes import Stage
from safeguarding.casework.models import Allocation, Episode
from safeguarding.chronology.models import ChronologyEntry

from . import factories as cf


def test_open_referral_allocates_involves_audits_and_adds_to_the_chronology(world):
    episode = services.open_referral(
        person=world.sibling,
        principal=cf.principal(world.manager),
        now=cf.now(),
        referral_date=cf.days_ago(0),
        referral_source="6",
        worker=world.colleague,
        team=world.team_a,
        summary="Police attended a domestic incident",
    )
    assert episode.stage == Stage.REFERRAL and episode.is_open
    assert Allocation.objects.get(episode=episode).worker == world.colleague
    kinds = set(Involvement.objects.filter(person=world.sibling).values_list("kind", flat=True))
    assert {InvolvementKind.TEAM, InvolvementKind.ALLOCATED_WORKER} <= kinds
    assert AuditEvent.objects.filter(action="episode.opened", person=world.sibling).exists()
    entry = ChronologyEntry.objects.get(person=world.sibling, source_type="casework.episode")
    assert "Police attended" in entry.summary and not entry.is_backdated


def test_open_referral_defaults_to_the_principals_team_and_may_be_unallocated(world):
    episode = services.open_referral(
        person=world.sibling,
        principal=cf.principal(world.colleague),
        now=cf.now(),
        referral_date=cf.days_ago(0),
        referral_source="2A",
    )
    assert episode.team == world.team_a and episode.allocated_worker is None


def test_a_second_open_episode_is_refused(world):
    cf.referral(world)
    with pytest.raises(services.StepRefused, match="already has an open episode"):
        cf.referral(world)
    assert Episode.objects.filter(person=world.child).count() == 1


def test_close_episode_at_referral_is_no_further_action(world):
    episode = cf.referral(world, ago=0)
    closed = services.close_episode(
        episode=episode,
        principal=cf.principal(world.allocated),
        now=cf.now(),
        closure_date=cf.days_ago(0),
        reason="RC7",
    )
    assert closed.stage == Stage.CLOSED and closed.referral_nfa and closed.closure_reason == "RC7"
    assert AuditEvent.objects.filter(action="episode.closed", person=world.child).exists()
    assert Allocation.objects.get(episode=episode).end_date == cf.days_ago(0)
