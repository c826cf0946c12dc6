"""The FHIR answers are written as plain JSON (fhir.py); each kind must be what fhir.resources' R4B models accept
and would write themselves, byte for byte, so that dropping the models from the request path changed nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.capabilitystatement import CapabilityStatement
from fhir.resources.R4B.operationoutcome import OperationOutcome

from safeguarding.flags.fhir import NHS_NUMBER_SYSTEM
from safeguarding.flags.models import LocalAuthorityContact
from safeguarding.standards.models import LocalStandard

from .factories import days_ago, make_plan


def _search(client, token, nhs_number):
    return client.get(
        reverse("fhir:flag-search"),
        {"patient.identifier": f"{NHS_NUMBER_SYSTEM}|{nhs_number}"},
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def _same_as_the_model_writes(model, content: bytes) -> None:
    resource = model.model_validate_json(content)  # raises if the models would refuse it
    assert resource.model_dump_json(exclude_none=True).encode() == content


def test_a_bundle_with_active_and_ended_flags_is_what_the_models_write(client, flagged):
    world = flagged.world
    make_plan(world, world.sibling, start=days_ago(400), end=days_ago(100))
    make_plan(world, world.sibling, start=days_ago(50))
    response = _search(client, flagged.token("unscheduled"), world.sibling.nhs_number)
    assert response.status_code == 200
    assert [e["resource"]["status"] for e in response.json()["entry"]] == ["active", "inactive"]
    _same_as_the_model_writes(Bundle, response.content)


def test_an_empty_bundle_is_what_the_models_write(client, flagged):
    response = _search(client, flagged.token("unscheduled"), flagged.world.sibling.nhs_number)
    assert response.json()["total"] == 0
    _same_as_the_model_writes(Bundle, response.content)


def test_an_authority_without_numbers_is_named_without_contacts(client, flagged):
    LocalAuthorityContact.objects.all().delete()
    response = _search(client, flagged.token("unscheduled"), flagged.world.child.nhs_number)
    organisation = response.json()["entry"][0]["resource"]["contained"][0]
    assert organisation["name"] == "Northbridge Council" and "contact" not in organisation
    _same_as_the_model_writes(Bundle, response.content)


@pytest.mark.parametrize("token", ["osg_0123abcd_" + "x" * 43, None])
def test_operation_outcomes_are_what_the_models_write(client, flagged, token):
    response = _search(client, token or flagged.token("unscheduled"), "123" if token is None else "9990000018")
    assert response.status_code in (400, 401)
    _same_as_the_model_writes(OperationOutcome, response.content)


def test_the_capability_statement_is_what_the_models_write(client, db):
    response = client.get(reverse("fhir:metadata"))
    _same_as_the_model_writes(CapabilityStatement, response.content)


def test_an_authoritys_own_retention_applies_at_once(client, flagged):
    """The retention setting is read in the look-up's one statement: a change shows on the next look-up."""
    world = flagged.world
    make_plan(world, world.sibling, start=days_ago(800), end=days_ago(500))  # beyond the default 12 months
    assert _search(client, flagged.token("unscheduled"), world.sibling.nhs_number).json()["total"] == 0
    LocalStandard.objects.create(
        local_authority=world.la, code="CP_FLAG_RETENTION", amount=24, unit="MONTHS", updated_at=timezone.now()
    )
    body = _search(client, flagged.token("unscheduled"), world.sibling.nhs_number).json()
    assert body["total"] == 1
    assert body["entry"][0]["resource"]["period"]["end"] == (timezone.localdate() - dt.timedelta(days=500)).isoformat()
