"""FHIR R4: Flag search by NHS number and the CapabilityStatement; bad numbers and callers refused cleanly."""

from __future__ import annotations

import pytest
from django.urls import reverse

from safeguarding.audit.models import AuditEvent
from safeguarding.flags.fhir import NHS_NUMBER_SYSTEM
from safeguarding.flags.models import AccessEvent, Notification
from safeguarding.people.identifiers import synthetic_nhs_number

from .factories import OFFICE, OUT_OF_HOURS

_VALID = synthetic_nhs_number(7)
WRONG_CHECK_DIGIT = _VALID[:9] + str((int(_VALID[9]) + 1) % 10)


def _search(client, token, nhs_number, system=NHS_NUMBER_SYSTEM):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.get(reverse("fhir:flag-search"), {"patient.identifier": f"{system}|{nhs_number}"}, **headers)


def test_a_flag_is_returned_as_a_searchset_bundle_with_the_authoritys_numbers(client, flagged):
    response = _search(client, flagged.token("unscheduled"), flagged.world.child.nhs_number)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json"
    bundle = response.json()
    assert bundle["resourceType"] == "Bundle" and bundle["type"] == "searchset" and bundle["total"] == 1
    flag = bundle["entry"][0]["resource"]
    assert flag["resourceType"] == "Flag" and flag["status"] == "active"
    assert flag["code"]["coding"][0]["code"] == "CPP"
    assert flag["subject"]["identifier"] == {"system": NHS_NUMBER_SYSTEM, "value": flagged.world.child.nhs_number}
    organisation = flag["contained"][0]
    assert organisation["name"] == "Northbridge Council"
    phones = [c["telecom"][0]["value"] for c in organisation["contact"]]
    assert phones == [OFFICE, OUT_OF_HOURS]


def test_nothing_but_the_minimum_is_disclosed(client, flagged):
    body = _search(client, flagged.token("unscheduled"), flagged.world.child.nhs_number).content
    for secret in (
        b"Testchild",
        b"Example",
        b"NEG",
        b"Neglect",
        b"Alex",
        b"Allocated",
        str(flagged.world.child.public_id).encode(),
    ):
        assert secret not in body


def test_no_flag_is_an_empty_bundle(client, flagged):
    response = _search(client, flagged.token("unscheduled"), flagged.world.sibling.nhs_number)
    assert response.status_code == 200
    assert response.json()["total"] == 0 and "entry" not in response.json()
    assert AccessEvent.objects.count() == 0


@pytest.mark.parametrize(
    "number", [WRONG_CHECK_DIGIT, "999000123", "99900012345", "999000123A", "0000000000", "", "９９９０００１２３４"]
)
def test_a_bad_nhs_number_is_a_400_operation_outcome_and_audited(client, flagged, number):
    response = _search(client, flagged.token("unscheduled"), number)
    assert response.status_code == 400
    body = response.json()
    assert body["resourceType"] == "OperationOutcome" and body["issue"][0]["code"] == "invalid"
    assert AuditEvent.objects.filter(action="flag.lookup", outcome="DENIED", basis="invalid-nhs-number").count() == 1


def test_another_identifier_system_is_refused(client, flagged):
    response = _search(client, flagged.token("unscheduled"), flagged.world.child.nhs_number, system="urn:other")
    assert response.status_code == 400 and response.json()["resourceType"] == "OperationOutcome"


@pytest.mark.parametrize(
    "header", [None, "Bearer osg_nottoken", "Basic dXNlcjpwYXNz", "Bearer osg_0123abcd_" + "x" * 43]
)
def test_an_unauthenticated_caller_gets_401_operation_outcome(client, flagged, header):
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    url = reverse("fhir:flag-search")
    response = client.get(url, {"patient.identifier": f"{NHS_NUMBER_SYSTEM}|{flagged.world.child.nhs_number}"}, **extra)
    assert response.status_code == 401
    assert response.json()["resourceType"] == "OperationOutcome"
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert b"Northbridge" not in response.content


def test_a_session_is_not_enough_for_the_fhir_api(client, flagged):
    from tests import factories as f

    f.sign_in(client, flagged.unscheduled)
    assert _search(client, None, flagged.world.child.nhs_number).status_code == 401


def test_a_revoked_token_stops_working(client, flagged):
    from django.utils import timezone

    from safeguarding.accounts import tokens

    token = flagged.token("unscheduled")
    tokens.revoke_token(prefix=tokens.prefix_of(token), operator="test", now=timezone.now())
    assert _search(client, token, flagged.world.child.nhs_number).status_code == 401


def test_metadata_is_a_capability_statement(client, db):
    response = client.get(reverse("fhir:metadata"))
    assert response.status_code == 200
    statement = response.json()
    assert statement["resourceType"] == "CapabilityStatement" and statement["fhirVersion"] == "4.0.1"
    assert statement["rest"][0]["resource"][0]["type"] == "Flag"


def test_the_fhir_lookup_from_unscheduled_care_notifies_once(client, flagged, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _search(client, flagged.token("unscheduled"), flagged.world.child.nhs_number)
    assert Notification.objects.get().delivered_at is not None
