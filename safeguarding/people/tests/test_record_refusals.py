"""Every page of a child's record is refused, and the refusal audited, for everyone without a reason to see it."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import ALLOWED_TO_OPEN, REFUSED_TO_OPEN
from safeguarding.access.models import NamedAccess
from safeguarding.audit.models import AuditEvent
from tests import factories as f

RECORD_PAGES = {
    "people:detail": "person.view",
    "chronology:events": "person.chronology.view",
    "people:access-log": "person.access-log.view",
    "people:genogram-svg": "person.genogram.view",
}
# Who may learn that the record exists (403), and whose role may use emergency access.
KNOWS_IT_EXISTS = {"other_team", "health_other", "auditor", "admin"}
MAY_BREAK_GLASS = {"other_team", "health_other"}


@pytest.mark.parametrize("persona", sorted(REFUSED_TO_OPEN))
@pytest.mark.parametrize("page", sorted(RECORD_PAGES))
def test_it_refuses_and_audits_everyone_without_a_reason_to_see_the_record(client, world, page, persona):
    user = world.personas()[persona]
    f.sign_in(client, user)
    response = client.get(reverse(page, kwargs={"public_id": world.child.public_id}))
    html = response.content.decode()
    assert "Testchild" not in html and world.child.nhs_number not in html
    if persona in KNOWS_IT_EXISTS:
        assert response.status_code == 403
        assert "You do not have access to this record" in html
        break_glass = reverse("access:break-glass", kwargs={"public_id": world.child.public_id})
        assert (break_glass in html) == (persona in MAY_BREAK_GLASS)
        assert ("Request emergency access" in html) == (persona in MAY_BREAK_GLASS)
    else:
        assert response.status_code == 404
        assert "Page not found" in html
    denied = AuditEvent.objects.get(actor=user, outcome="DENIED")
    assert denied.action == RECORD_PAGES[page]
    assert denied.person == world.child and denied.object_id == str(world.child.public_id)
    assert not AuditEvent.objects.filter(actor=user, outcome="ALLOWED").exists()


@pytest.mark.parametrize("persona", sorted(ALLOWED_TO_OPEN))
@pytest.mark.parametrize("page", sorted(RECORD_PAGES))
def test_it_opens_every_page_for_everyone_with_a_reason(client, world, page, persona):
    user = world.personas()[persona]
    f.sign_in(client, user)
    response = client.get(reverse(page, kwargs={"public_id": world.child.public_id}))
    assert response.status_code == 200
    assert b"Testchild" in response.content
    assert AuditEvent.objects.filter(actor=user, action=RECORD_PAGES[page], outcome="ALLOWED", person=world.child)


@pytest.mark.parametrize("page", sorted(RECORD_PAGES))
def test_a_restricted_record_is_not_found_by_anyone_not_named_on_it(client, world, page):
    world.child.is_restricted = True
    world.child.save(update_fields=["is_restricted"])
    NamedAccess.objects.create(
        person=world.child, user=world.colleague, granted_by=world.manager, granted_at=timezone.now(), reason="Test"
    )
    url = reverse(page, kwargs={"public_id": world.child.public_id})
    for persona in ("allocated", "manager", "other_team", "auditor"):
        f.sign_in(client, world.personas()[persona])
        assert client.get(url).status_code == 404, persona
    f.sign_in(client, world.colleague)
    assert client.get(url).status_code == 200
    assert AuditEvent.objects.filter(person=world.child, outcome="DENIED").count() == 4


@pytest.mark.parametrize("page", sorted(RECORD_PAGES))
def test_an_unknown_or_malformed_id_is_not_found_and_audited(client, world, page):
    f.sign_in(client, world.allocated)
    url = reverse(page, kwargs={"public_id": "00000000-0000-4000-8000-000000000000"})
    assert client.get(url).status_code == 404
    assert AuditEvent.objects.filter(actor=world.allocated, outcome="DENIED", basis="no-such-record").count() == 1


def test_the_refusal_page_is_also_the_page_for_a_refused_search(client, world):
    f.sign_in(client, world.auditor)
    response = client.get(reverse("people:search"))
    assert response.status_code == 403
    html = response.content.decode()
    assert "Your role cannot search for people" in html and "emergency access" not in html
