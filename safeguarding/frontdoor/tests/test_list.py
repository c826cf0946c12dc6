"""The front door list: only for the MASH and managers, audited with the children shown, overdue first."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from safeguarding.audit.models import AuditEvent
from safeguarding.frontdoor import services
from tests import factories as f

from .factories import make_contact, make_request

LIST = reverse("frontdoor:list")


def test_the_mash_sees_the_contacts_waiting_with_minimal_details_and_the_read_is_audited(client, world, mash):
    team, officer = mash
    make_contact(world, worries="A private worry that the list must not show")
    f.sign_in(client, officer)
    response = client.get(LIST)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Testchild Example" in body and "Awaiting screening" in body
    assert "private worry" not in body
    event = AuditEvent.objects.filter(actor=officer, action="frontdoor.list").latest("id")
    assert event.details["shown"] == [str(world.child.public_id)]


@pytest.mark.parametrize("persona", ["allocated", "health", "auditor", "admin", "other_la", "outsider"])
def test_roles_outside_the_front_door_are_refused_and_audited(client, world, persona):
    make_contact(world)
    user = world.personas()[persona]
    f.sign_in(client, user)
    response = client.get(LIST)
    assert response.status_code == 403 and b"Testchild" not in response.content
    assert AuditEvent.objects.filter(actor=user, action="frontdoor.list", outcome="DENIED").exists()


def test_a_manager_sees_only_children_they_may_open(client, world):
    other_la_child = f.make_person(world.other_la, given_name="Farchild", family_name="Example")
    make_contact(world)
    make_contact(world, person=other_la_child, by=world.other_la_worker)
    f.sign_in(client, world.manager)
    body = client.get(LIST).content.decode()
    assert "Testchild" in body and "Farchild" not in body


def test_overdue_information_requests_come_first_then_overdue_decisions(client, world, mash):
    team, officer = mash
    now = timezone.now()
    fresh = f.make_person(world.la, given_name="Freshchild", family_name="Example")
    late = f.make_person(world.la, given_name="Latechild", family_name="Example")
    waiting = f.make_person(world.la, given_name="Waitingchild", family_name="Example")
    make_contact(world, person=fresh, now=now)
    make_contact(world, person=late, now=now - dt.timedelta(days=6), received_at=now - dt.timedelta(days=6))
    asked = make_contact(
        world, person=waiting, now=now - dt.timedelta(hours=5), received_at=now - dt.timedelta(hours=5)
    )
    make_request(world, asked, now=now - dt.timedelta(hours=5))
    f.sign_in(client, officer)
    body = client.get(LIST).content.decode()
    assert body.index("Waitingchild") < body.index("Latechild") < body.index("Freshchild")
    assert "1 overdue" in body and "Overdue" in body


def test_decided_contacts_stay_until_feedback_is_sent(client, world, mash):
    team, officer = mash
    contact = make_contact(world)
    now = timezone.now()
    manager = f.principal_for(world.manager)
    services.decide_contact(contact=contact, principal=manager, now=now, decision="ADVICE", rationale="Advice")
    f.sign_in(client, officer)
    assert "Feedback to send" in client.get(LIST).content.decode()
    services.record_feedback(contact=contact, principal=manager, now=now, feedback="Advice given", method="PHONE")
    assert "Nothing is waiting" in client.get(LIST).content.decode()


def test_the_list_uses_the_same_number_of_queries_however_long_it_is(client, world, mash):
    team, officer = mash
    f.sign_in(client, officer)
    make_contact(world)
    client.get(LIST)
    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    for i in range(5):
        child = f.make_person(world.la, given_name=f"Child{i}", family_name="Example")
        make_request(world, make_contact(world, person=child))
    with CaptureQueriesContext(connection) as many:
        client.get(LIST)
    assert len(many) == len(few)
