"""The oversight pages as the personas use them: who may see and record, what is refused, what changes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from safeguarding.audit.models import AuditEvent
from safeguarding.casework.models import Allocation, ManagementDecision, Supervision
from safeguarding.work.tests import factories as w
from tests import factories as f

XSS = '<script>alert("x")</script>'


@pytest.fixture
def episode(world):
    return w.make_episode(
        world.child, worker=world.allocated, team=world.team_a, referral_date=timezone.localdate() - dt.timedelta(20)
    )


def _url(name, world, episode):
    return reverse(name, kwargs={"public_id": world.child.public_id, "episode": episode.public_id})


def _date(prefix: str, day: dt.date) -> dict[str, str]:
    return {f"{prefix}_0": str(day.day), f"{prefix}_1": str(day.month), f"{prefix}_2": str(day.year)}


def test_a_manager_records_a_decision_and_sees_it_on_the_oversight_page_and_the_childs_page(client, world, episode):
    f.sign_in(client, world.manager)
    data = {
        "decision": "Hold a strategy discussion " + XSS,
        "rationale": "Bruising seen at school",
        **_date("on", timezone.localdate()),
    }
    response = client.post(_url("oversight:decision-new", world, episode), data)
    assert response.status_code == 302
    assert ManagementDecision.objects.get(episode=episode).rationale == "Bruising seen at school"
    html = client.get(response["Location"]).content.decode()
    assert "Hold a strategy discussion" in html and XSS not in html and "&lt;script&gt;" in html
    child_page = client.get(reverse("people:detail", args=[world.child.public_id])).content.decode()
    assert 'id="oversight"' in child_page and "Bruising seen at school" in child_page and XSS not in child_page


def test_a_decision_without_its_rationale_is_refused_with_an_error_summary(client, world, episode):
    f.sign_in(client, world.manager)
    response = client.post(
        _url("oversight:decision-new", world, episode), {"decision": "Close", **_date("on", timezone.localdate())}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html and "Enter why you made this decision" in html
    assert not ManagementDecision.objects.exists()


def test_a_backdated_supervision_needs_a_reason_and_is_shown_as_backdated(client, world, episode):
    f.sign_in(client, world.manager)
    url = _url("oversight:supervision-new", world, episode)
    day = timezone.localdate() - dt.timedelta(days=5)
    worker = str(world.allocated.public_id)
    form = client.get(url).content.decode()
    assert f'value="{worker}" selected' in form and "Bea Colleague" in form  # the allocated worker by default
    response = client.post(url, {"discussion": "Risk from the new partner", "worker": worker, **_date("on", day)})
    assert response.status_code == 400 and "Say why this is being recorded" in response.content.decode()
    response = client.post(
        url,
        {
            "discussion": "Risk from the new partner",
            "worker": worker,
            "backdated_reason": "Notes typed up late",
            **_date("on", day),
        },
    )
    assert response.status_code == 302
    assert Supervision.objects.get().worker == world.allocated
    html = client.get(response["Location"]).content.decode()
    assert "Back-dated" in html and "Risk from the new partner" in html


def test_supervision_with_another_worker_of_the_team(client, world, episode):
    f.sign_in(client, world.manager)
    response = client.post(
        _url("oversight:supervision-new", world, episode),
        {
            "discussion": "Covering while Alex is away",
            "worker": str(world.colleague.public_id),
            **_date("on", timezone.localdate()),
        },
    )
    assert response.status_code == 302
    assert Supervision.objects.get().worker == world.colleague
    response = client.post(
        _url("oversight:supervision-new", world, episode),
        {"discussion": "x", "worker": str(world.health.public_id), **_date("on", timezone.localdate())},
    )
    assert response.status_code == 400 and "Choose the worker you supervised" in response.content.decode()


def test_a_future_date_is_refused(client, world, episode):
    f.sign_in(client, world.manager)
    response = client.post(
        _url("oversight:supervision-new", world, episode),
        {"discussion": "x", **_date("on", timezone.localdate() + dt.timedelta(days=2))},
    )
    assert response.status_code == 400 and "must be today or in the past" in response.content.decode()


def test_a_transfer_through_the_page_moves_access_on_the_next_request(client, world, episode):
    episode.allocations.update(start_date=timezone.localdate() - dt.timedelta(20))
    child_url = reverse("people:detail", args=[world.child.public_id])
    f.sign_in(client, world.other_team)
    assert client.get(child_url).status_code == 403

    f.sign_in(client, world.manager)
    form = client.get(_url("oversight:transfer", world, episode)).content.decode()
    key = f"{world.team_b.public_id}:{world.other_team.public_id}"
    assert key in form and "Olu Otherteam" in form
    response = client.post(
        _url("oversight:transfer", world, episode),
        {"allocate_to": key, "reason": "Long-term team", **_date("on", timezone.localdate())},
    )
    assert response.status_code == 302, response.content.decode()
    assert Allocation.objects.filter(episode=episode, end_date__isnull=True).get().worker == world.other_team

    f.sign_in(client, world.other_team)
    assert client.get(child_url).status_code == 200
    f.sign_in(client, world.allocated)
    assert client.get(child_url).status_code == 403


def test_a_transfer_to_the_same_worker_is_refused_with_its_reason(client, world, episode):
    f.sign_in(client, world.manager)
    response = client.post(
        _url("oversight:transfer", world, episode),
        {"allocate_to": f"{world.team_a.public_id}:{world.allocated.public_id}", **_date("on", timezone.localdate())},
    )
    assert response.status_code == 400 and "already allocated to Alex Allocated" in response.content.decode()


def test_an_unknown_choice_is_refused(client, world, episode):
    f.sign_in(client, world.manager)
    response = client.post(
        _url("oversight:transfer", world, episode), {"allocate_to": "nonsense", **_date("on", timezone.localdate())}
    )
    assert response.status_code == 400 and "Choose who will hold the work" in response.content.decode()


@pytest.mark.parametrize("name", ["oversight:decision-new", "oversight:supervision-new", "oversight:transfer"])
def test_a_social_worker_may_read_oversight_but_not_record_it(client, world, episode, name):
    f.sign_in(client, world.allocated)
    assert client.get(_url("oversight:episode", world, episode)).status_code == 200
    response = client.post(_url(name, world, episode), {"decision": "x", "rationale": "y", "discussion": "z"})
    assert response.status_code == 403
    assert AuditEvent.objects.filter(actor=world.allocated, outcome="DENIED", basis="no-capability").exists()
    assert not ManagementDecision.objects.exists() and not Supervision.objects.exists()
    assert Allocation.objects.count() == 1


@pytest.mark.parametrize("persona", ["health", "other_team", "other_la", "outsider"])
def test_others_are_refused_the_oversight_page_and_audited(client, world, episode, persona):
    user = world.personas()[persona]
    f.sign_in(client, user)
    response = client.get(_url("oversight:episode", world, episode))
    assert response.status_code in (403, 404)
    assert "Testchild" not in response.content.decode() or persona == "health"
    assert AuditEvent.objects.filter(actor=user, outcome="DENIED").exists()


def test_an_episode_of_another_child_is_not_found(client, world, episode):
    other = w.make_episode(world.sibling, team=world.team_a)
    f.sign_in(client, world.manager)
    url = reverse("oversight:episode", kwargs={"public_id": world.child.public_id, "episode": other.public_id})
    assert client.get(url).status_code == 404


def test_the_childs_page_panel_is_not_shown_to_partners(client, world, episode):
    f.sign_in(client, world.health)
    html = client.get(reverse("people:detail", args=[world.child.public_id])).content.decode()
    assert 'id="oversight"' not in html


def test_supervision_is_seen_by_the_supervised_worker_and_managers_not_by_colleagues(client, world, episode):
    from safeguarding.casework import oversight

    oversight.record_supervision(
        episode=episode,
        principal=f.principal_for(world.manager),
        now=timezone.now(),
        held_on=timezone.localdate(),
        discussion="Worker finds the father intimidating",
    )
    url = _url("oversight:episode", world, episode)
    for persona, sees in [("manager", True), ("allocated", True), ("colleague", False)]:
        f.sign_in(client, world.personas()[persona])
        html = client.get(url).content.decode()
        assert ("Worker finds the father intimidating" in html) is sees, persona
