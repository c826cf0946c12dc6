"""The connector's status page: who may see it, what it says plainly, and that it shows no child's data."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from safeguarding.accounts.roles import Role
from safeguarding.audit.models import AuditEvent
from safeguarding.flags.tests.factories import days_ago, make_plan
from safeguarding.national import services
from tests import factories as f

from .factories import FailingAdapter

URL = reverse("national:status")
REFUSED = ["allocated", "colleague", "other_team", "health", "health_other", "auditor", "other_la", "outsider"]


def test_the_disabled_adapter_is_stated_plainly(client, world):
    make_plan(world, world.child, start=days_ago(5))
    f.sign_in(client, world.admin)
    page = client.get(URL).content.decode()
    assert "Not connected to the national service" in page
    assert "Disabled: nothing is sent to or received from the national service." in page
    assert "Waiting to be sent (the disabled adapter sends nothing)" in page
    assert AuditEvent.objects.filter(actor=world.admin, action="national.status.view", outcome="ALLOWED").exists()


@pytest.mark.parametrize("persona", ["admin", "manager"])
def test_administrators_and_returns_roles_see_counts_and_reasons_but_no_childs_data(client, exchange, persona):
    w = exchange.world
    exchange.national.unknown_nhs_numbers = {w.sibling.nhs_number}
    make_plan(w, w.child, start=days_ago(20))
    make_plan(w, w.sibling, start=days_ago(10))
    services.send_pending(now=timezone.now())
    exchange.national.consume()
    exchange.national.emit_raw(b'{"schema": "nonsense"}')
    services.receive_pending(now=timezone.now())
    f.sign_in(client, w.personas()[persona])
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Not connected to the national service" in page  # the file adapter is not the national service
    assert "<strong>file</strong>" in page
    assert "NHS number not known to the national service" in page
    assert "schema must be open-safeguarding/national-flags/1" in page
    for secret in (w.child.nhs_number, w.sibling.nhs_number, "Testchild", "Testsibling", "Example"):
        assert secret not in page
    assert "Never" not in page.split("Last sent")[1].split("</div>")[0]
    matching = reverse("dataquality:nhs-numbers")
    assert (matching in page) == (persona == "manager")  # the link only for those who may follow it


def test_a_failing_sender_is_shown_with_its_reason(client, exchange):
    w = exchange.world
    make_plan(w, w.child, start=days_ago(20))
    services.send_pending(now=timezone.now(), adapter=FailingAdapter())
    f.sign_in(client, w.admin)
    page = client.get(URL).content.decode()
    assert "Sending is failing" in page and "The mailbox did not answer" in page
    assert "1 change will be sent again on the next run" in page


def test_another_authoritys_administrator_sees_only_their_own_counts(client, exchange):
    w = exchange.world
    make_plan(w, w.child, start=days_ago(20))
    services.send_pending(now=timezone.now(), adapter=FailingAdapter())
    their_admin = f.make_user("sue", org=w.other_la, role=Role.SYSTEM_ADMIN)
    f.sign_in(client, their_admin)
    page = client.get(URL).content.decode()
    assert "Southmere Council" in page and "Sending is failing" not in page


@pytest.mark.parametrize("persona", REFUSED)
def test_everyone_else_is_refused_and_the_refusal_is_audited(client, world, persona):
    user = world.personas()[persona]
    f.sign_in(client, user)
    response = client.get(URL)
    assert response.status_code == 403
    assert b"national connector" in response.content
    assert AuditEvent.objects.filter(actor=user, action="national.status.view", outcome="DENIED").exists()


def test_a_health_trusts_administrator_is_refused(client, world):
    trust_admin = f.make_user("tam", org=world.trust, role=Role.SYSTEM_ADMIN)
    f.sign_in(client, trust_admin)
    assert client.get(URL).status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "sign-in" in response["Location"]
