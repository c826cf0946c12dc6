"""Oversight services: allocation and transfer move access, decisions and supervision are recorded,
audited and in the chronology; every refused step says why and changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from safeguarding.access.models import Involvement, InvolvementKind
from safeguarding.access.policy import basis_for
from safeguarding.audit.models import AuditEvent
from safeguarding.casework import oversight
from safeguarding.casework.models import Allocation, ManagementDecision, Supervision
from safeguarding.casework.workflow import StepRefused
from safeguarding.chronology.models import ChronologyEntry
from safeguarding.work.tests import factories as w
from tests import factories as f


@pytest.fixture
def episode(world):
    return w.make_episode(
        world.child, worker=world.allocated, team=world.team_a, referral_date=timezone.localdate() - dt.timedelta(30)
    )


def _today() -> dt.date:
    return timezone.localdate()


def test_a_transfer_to_another_team_moves_access_on_the_next_request(world, episode):
    manager = f.principal_for(world.manager)
    now = timezone.now()
    assert basis_for(f.principal_for(world.allocated), world.child, now=now) is not None
    assert basis_for(f.principal_for(world.other_team), world.child, now=now) is None

    oversight.allocate(
        episode=episode,
        principal=manager,
        now=now,
        team=world.team_b,
        worker=world.other_team,
        start_date=_today(),
        reason="Long-term team has capacity",
    )
    later = timezone.now()
    assert basis_for(f.principal_for(world.allocated), world.child, now=later) is None
    assert basis_for(f.principal_for(world.colleague), world.child, now=later) is None
    assert basis_for(f.principal_for(world.other_team), world.child, now=later) is not None
    episode.refresh_from_db()
    assert (episode.allocated_worker, episode.team) == (world.other_team, world.team_b)
    old, new = Allocation.objects.filter(episode=episode).order_by("id")
    assert old.end_date == _today() - dt.timedelta(days=1) and new.end_date is None
    assert AuditEvent.objects.filter(action="episode.transferred", person=world.child, actor=world.manager).exists()
    assert ChronologyEntry.objects.filter(
        person=world.child, category="Allocation", summary__contains="Olu Otherteam, Assessment Team B"
    ).exists()


def test_a_transfer_within_the_team_keeps_the_old_workers_team_access(world, episode):
    oversight.allocate(
        episode=episode,
        principal=f.principal_for(world.manager),
        now=timezone.now(),
        team=world.team_a,
        worker=world.colleague,
        start_date=_today(),
        reason="Alex is on leave",
    )
    assert not Involvement.objects.filter(
        user=world.allocated, kind=InvolvementKind.ALLOCATED_WORKER, end_date__isnull=True
    ).exists()
    assert Involvement.objects.filter(user=world.colleague, kind=InvolvementKind.ALLOCATED_WORKER).exists()
    basis = basis_for(f.principal_for(world.allocated), world.child, now=timezone.now())
    assert basis == "team-involvement"


def test_allocating_an_unallocated_episode_needs_no_reason(world):
    episode = w.make_episode(world.child, team=world.team_a, referral_date=_today())
    oversight.allocate(
        episode=episode,
        principal=f.principal_for(world.manager),
        now=timezone.now(),
        team=world.team_a,
        worker=world.colleague,
        start_date=_today(),
    )
    assert AuditEvent.objects.filter(action="episode.allocated").exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"reason": ""}, "Say why the work is being transferred"),
        ({"worker": "health"}, "is not a social worker or manager in Assessment Team B"),
        ({"worker": "allocated", "team": "team_a"}, "already allocated to Alex Allocated"),
        ({"start_date": 1}, "cannot be in the future"),
        ({"start_date": -5}, "say why it is being recorded now"),
        ({"start_date": -40}, "cannot be before the referral"),
    ],
)
def test_an_invalid_transfer_is_refused_with_its_reason_and_changes_nothing(world, episode, change, message):
    kwargs = {
        "team": world.team_b,
        "worker": world.other_team,
        "start_date": _today(),
        "reason": "Capacity",
    }
    for key, value in change.items():
        if key == "start_date":
            kwargs[key] = _today() + dt.timedelta(days=value)
        elif key in ("worker", "team"):
            kwargs[key] = world.personas()[value] if key == "worker" else getattr(world, value)
        else:
            kwargs[key] = value
    before = (Allocation.objects.count(), Involvement.objects.count(), AuditEvent.objects.count())
    with pytest.raises(StepRefused, match=message):
        oversight.allocate(episode=episode, principal=f.principal_for(world.manager), now=timezone.now(), **kwargs)
    assert (Allocation.objects.count(), Involvement.objects.count(), AuditEvent.objects.count()) == before
    episode.refresh_from_db()
    assert episode.allocated_worker == world.allocated


@pytest.mark.parametrize("persona", ["allocated", "colleague", "other_la", "health"])
def test_only_a_manager_in_the_childs_authority_may_allocate_or_decide(world, episode, persona):
    principal = f.principal_for(world.personas()[persona])
    with pytest.raises(StepRefused):
        oversight.allocate(
            episode=episode,
            principal=principal,
            now=timezone.now(),
            team=world.team_a,
            worker=world.colleague,
            start_date=_today(),
            reason="x",
        )
    with pytest.raises(StepRefused):
        oversight.record_management_decision(
            episode=episode, principal=principal, now=timezone.now(), decided_on=_today(), decision="x", rationale="y"
        )
    assert not ManagementDecision.objects.exists()


def test_a_management_decision_is_recorded_audited_and_in_the_chronology(world, episode):
    decision = oversight.record_management_decision(
        episode=episode,
        principal=f.principal_for(world.manager),
        now=timezone.now(),
        decided_on=_today() - dt.timedelta(days=3),
        decision="Convene a strategy discussion",
        rationale="Second injury in a month",
        backdated_reason="Decided at the weekend on the phone",
    )
    assert decision.recorded_by == world.manager
    entry = ChronologyEntry.objects.get(person=world.child, category="Management decision")
    assert entry.summary == "Convene a strategy discussion" and entry.is_backdated
    assert AuditEvent.objects.filter(action="management-decision.recorded", object_id=str(decision.public_id)).exists()


def test_a_decision_needs_its_rationale(world, episode):
    with pytest.raises(StepRefused, match="Enter why you made this decision"):
        oversight.record_management_decision(
            episode=episode,
            principal=f.principal_for(world.manager),
            now=timezone.now(),
            decided_on=_today(),
            decision="Close",
            rationale="  ",
        )


def test_supervision_is_with_the_allocated_worker_by_default_and_its_discussion_stays_out_of_the_chronology(
    world, episode
):
    record = oversight.record_supervision(
        episode=episode,
        principal=f.principal_for(world.manager),
        now=timezone.now(),
        held_on=_today(),
        discussion="Worried about the mother's new partner",
        actions="Visit within 5 days",
    )
    assert (record.supervisor, record.worker) == (world.manager, world.allocated)
    assert Supervision.objects.count() == 1
    entry = ChronologyEntry.objects.get(person=world.child, category="Supervision")
    assert "Alex Allocated" in entry.summary and "partner" not in entry.summary


def test_a_closed_episode_cannot_be_transferred(world, episode):
    episode.closure_date, episode.closure_reason = _today(), "RC7"
    episode.save()
    with pytest.raises(StepRefused, match="closed on"):
        oversight.record_supervision(
            episode=episode,
            principal=f.principal_for(world.manager),
            now=timezone.now(),
            held_on=_today(),
            discussion="x",
        )
