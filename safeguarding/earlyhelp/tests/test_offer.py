"""offer_early_help: the contract the front door calls when a contact is decided as early help."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from safeguarding.audit.models import AuditEvent
from safeguarding.chronology.models import ChronologyEntry
from safeguarding.earlyhelp import services
from safeguarding.earlyhelp.codes import Status
from safeguarding.earlyhelp.models import EarlyHelpEpisode
from tests import factories as f


def test_an_offer_is_audited_and_appears_in_the_chronology(world):
    now = timezone.now()
    episode = services.offer_early_help(
        person=world.child,
        principal=f.principal_for(world.manager),
        now=now,
        offered_on=now.date(),
        reason="Help with routines after school",
    )
    assert episode.status == Status.OFFERED
    assert episode.team is None  # from the front door: waits for an early help team to pick it up
    assert AuditEvent.objects.filter(action="earlyhelp.offered", person=world.child).exists()
    entry = ChronologyEntry.objects.get(person=world.child, category="Early help")
    assert "Help with routines after school" in entry.summary


def test_a_second_open_offer_is_refused(world):
    now = timezone.now()
    principal = f.principal_for(world.manager)
    services.offer_early_help(person=world.child, principal=principal, now=now, offered_on=now.date(), reason="One")
    with pytest.raises(services.StepRefused, match="already has early help"):
        services.offer_early_help(person=world.child, principal=principal, now=now, offered_on=now.date(), reason="Two")
    assert EarlyHelpEpisode.objects.count() == 1


def test_a_role_without_the_capability_is_refused(world):
    now = timezone.now()
    with pytest.raises(services.StepRefused, match="cannot record early help"):
        services.offer_early_help(
            person=world.child, principal=f.principal_for(world.health), now=now, offered_on=now.date(), reason="x"
        )
    assert not EarlyHelpEpisode.objects.exists()


def test_back_dating_needs_a_reason_and_the_future_is_refused(world):
    now = timezone.now()
    principal = f.principal_for(world.manager)
    kwargs = {"person": world.child, "principal": principal, "now": now, "reason": "x"}
    with pytest.raises(services.StepRefused, match="more than a day ago"):
        services.offer_early_help(offered_on=now.date() - dt.timedelta(days=5), **kwargs)
    with pytest.raises(services.StepRefused, match="future"):
        services.offer_early_help(offered_on=now.date() + dt.timedelta(days=1), **kwargs)
    episode = services.offer_early_help(
        offered_on=now.date() - dt.timedelta(days=5), backdated_reason="Typed up after the meeting", **kwargs
    )
    assert ChronologyEntry.objects.get(source_id=str(episode.public_id)).is_backdated


def test_early_help_is_offered_on_the_childs_record_not_an_adults(world):
    now = timezone.now()
    with pytest.raises(services.StepRefused, match="child's record"):
        services.offer_early_help(
            person=world.parent, principal=f.principal_for(world.manager), now=now, offered_on=now.date(), reason="x"
        )
    assert not EarlyHelpEpisode.objects.exists()
