"""Every flag endpoint and page × unscheduled care, scheduled care, social care, partner, outsider, other LA."""

from __future__ import annotations

import pytest
from django.urls import reverse

from safeguarding.audit.models import AuditEvent
from safeguarding.flags.fhir import NHS_NUMBER_SYSTEM
from tests import factories as f

from .factories import notification_for

PERSONAS = ["unscheduled", "scheduled", "social_care", "partner", "outsider", "other_la"]

FHIR_SEARCH = {
    "unscheduled": 200,
    "scheduled": 200,
    "social_care": 403,
    "partner": 403,
    "outsider": 401,
    "other_la": 403,
}
LOOKUP = {"unscheduled": 200, "scheduled": 200, "social_care": 403, "partner": 403, "outsider": 403, "other_la": 403}
INBOX = {"unscheduled": 403, "scheduled": 403, "social_care": 200, "partner": 403, "outsider": 403, "other_la": 200}
NOTIFICATION = {
    "unscheduled": 403,
    "scheduled": 403,
    "social_care": 200,
    "partner": 404,
    "outsider": 404,
    "other_la": 404,
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_fhir_flag_search(client, flagged, persona):
    token = flagged.token(persona)  # the outsider has no membership, so no token
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    query = {"patient.identifier": f"{NHS_NUMBER_SYSTEM}|{flagged.world.child.nhs_number}"}
    response = client.get(reverse("fhir:flag-search"), query, **headers)
    assert response.status_code == FHIR_SEARCH[persona]
    assert response.json()["resourceType"] == ("Bundle" if response.status_code == 200 else "OperationOutcome")
    if response.status_code == 200:
        assert response.json()["total"] == 1
    if token:  # every authenticated call is audited, allowed or not
        user = flagged.personas()[persona]
        outcome = "ALLOWED" if response.status_code == 200 else "DENIED"
        assert AuditEvent.objects.filter(actor=user, action="flag.lookup", outcome=outcome).count() == 1


@pytest.mark.parametrize("persona", PERSONAS)
def test_fhir_metadata_is_open_to_all(client, flagged, persona):
    assert client.get(reverse("fhir:metadata")).status_code == 200


@pytest.mark.parametrize("persona", PERSONAS)
def test_lookup_page(client, flagged, persona):
    user = flagged.personas()[persona]
    f.sign_in(client, user)
    response = client.post(reverse("flags:lookup"), {"nhs_number": flagged.world.child.nhs_number})
    assert response.status_code == LOOKUP[persona]
    assert (b"Child protection plan" in response.content) == (response.status_code == 200)
    outcome = "ALLOWED" if response.status_code == 200 else "DENIED"
    assert AuditEvent.objects.filter(actor=user, action="flag.lookup", outcome=outcome).count() == 1


@pytest.mark.parametrize("persona", PERSONAS)
def test_inbox(client, flagged, persona):
    notification_for(flagged.world, flagged.world.child)
    user = flagged.personas()[persona]
    f.sign_in(client, user)
    response = client.get(reverse("flags:inbox"))
    assert response.status_code == INBOX[persona]
    shows_child = b"Testchild" in response.content
    assert shows_child == (persona == "social_care")
    if response.status_code == 403:
        assert AuditEvent.objects.filter(actor=user, action="notification.inbox.view", outcome="DENIED").exists()
    else:
        event = AuditEvent.objects.get(actor=user, action="notification.inbox.view", outcome="ALLOWED")
        assert (str(flagged.world.child.public_id) in event.details["shown"]) == shows_child


@pytest.mark.parametrize("persona", PERSONAS)
def test_notification_page(client, flagged, persona):
    notification = notification_for(flagged.world, flagged.world.child)
    user = flagged.personas()[persona]
    f.sign_in(client, user)
    url = reverse("flags:notification", args=[flagged.world.child.public_id, notification.public_id])
    response = client.get(url)
    assert response.status_code == NOTIFICATION[persona]
    if response.status_code != 200:
        assert b"Testchild" not in response.content
        assert AuditEvent.objects.filter(actor=user, outcome="DENIED").exists()
