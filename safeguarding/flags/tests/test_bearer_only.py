"""/fhir/ is served by core.middleware.BearerOnlyMiddleware without the browser middleware (ADR 0029): the
headers are still there, no session is read or written, and a signed-in browser gets nothing it would not
get with no session at all."""

from __future__ import annotations

from django.urls import reverse

from safeguarding.audit.models import AuditEvent
from safeguarding.flags.fhir import NHS_NUMBER_SYSTEM
from safeguarding.flags.models import Flag
from tests.factories import sign_in


def _search(client, nhs_number, **headers):
    return client.get(
        reverse("fhir:flag-search"), {"patient.identifier": f"{NHS_NUMBER_SYSTEM}|{nhs_number}"}, **headers
    )


def test_the_look_up_carries_the_security_headers_and_a_request_id(client, flagged):
    token = flagged.token("unscheduled")
    response = _search(client, flagged.world.child.nhs_number, HTTP_AUTHORIZATION=f"Bearer {token}")

    assert response.status_code == 200
    assert response.json()["entry"][0]["resource"]["id"] == str(Flag.objects.get().public_id)  # a UUID on SQLite too
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"  # an API's CSP
    assert "no-store" in response["Cache-Control"]
    assert response["X-Request-Id"] == AuditEvent.objects.get(action="flag.lookup").request_id


def test_a_signed_in_browser_session_is_not_a_way_in(client, flagged):
    sign_in(client, flagged.unscheduled)  # a clinician who may look flags up, but through the web

    response = _search(client, flagged.world.child.nhs_number)

    assert response.status_code == 401
    assert response.json()["issue"][0]["code"] == "login"
    assert "Set-Cookie" not in response  # the session was neither read nor refreshed
    assert not AuditEvent.objects.filter(action="flag.lookup").exists()


def test_an_unknown_fhir_path_is_a_404_and_the_site_still_has_its_sessions(client, flagged):
    assert client.get("/fhir/R4/Patient").status_code == 404

    response = client.get(reverse("accounts:sign-in"))

    assert response.status_code == 200
    assert "csrftoken" in response.cookies  # the browser middleware still runs for every other page
