"""Records often lag practice: a date more than a day ago needs a reason and is shown as back-dated;
a future date for something that has happened is refused."""

from __future__ import annotations

import pytest

from safeguarding.casework import services
from safeguarding.casework.models import Episode
from safeguarding.chronology.models import ChronologyEntry

from . import factories as cf


def _open(world, days_ago: int, reason: str = "") -> Episode:
    return services.open_referral(
        person=world.child,
        principal=cf.principal(world.allocated),
        now=cf.now(),
        referral_date=cf.days_ago(days_ago),
        referral_source="3A",
        backdated_reason=reason,
    )


def test_a_future_date_is_refused(world):
    with pytest.raises(services.StepRefused, match="cannot be in the future"):
        _open(world, -1)
    assert not Episode.objects.exists()


def test_yesterday_needs_no_reason(world):
    assert _open(world, 1).backdated_reason == ""


def test_two_days_ago_needs_a_reason(world):
    with pytest.raises(services.StepRefused, match="more than a day ago: say why"):
        _open(world, 2)
    assert not Episode.objects.exists()


def test_a_reason_allows_it_and_the_chronology_shows_it_back_dated(world):
    episode = _open(world, 10, "Typed up after the strategy meeting")
    assert episode.backdated_reason == "Typed up after the strategy meeting"
    entry = ChronologyEntry.objects.get(source_type="casework.episode", source_id=str(episode.public_id))
    assert entry.is_backdated and entry.backdated_reason == "Typed up after the strategy meeting"


def test_every_step_checks_its_date(world):
    episode = cf.referral(world, ago=30)
    with pytest.raises(services.StepRefused, match="more than a day ago"):
        services.start_assessment(
            episode=episode,
            principal=cf.principal(world.allocated),
            now=cf.now(),
            start_date=cf.days_ago(20),
            timescale_working_days=10,
            timescale_reason="x",
        )
    with pytest.raises(services.StepRefused, match="before the referral"):
        services.start_assessment(
            episode=episode,
            principal=cf.principal(world.allocated),
            now=cf.now(),
            start_date=cf.days_ago(40),
            timescale_working_days=10,
            timescale_reason="x",
            backdated_reason="late",
        )
