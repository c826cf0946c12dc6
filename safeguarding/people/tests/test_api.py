"""API v1: bearer tokens, person search and read, through the same access layer and audit."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from conftest import ALLOWED_TO_OPEN
from safeguarding.accounts.models import Membership
from safeguarding.accounts.tokens import create_token, revoke_token
from safeguarding.audit.models import AuditEvent


def token_for(user) -> str:
    return create_token(membership=user.memberships.first(), name="test", now=timezone.now())


def get(client, path, token=None, **params):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.get(f"/api/v1{path}", params, **headers)


CALLERS = sorted(ALLOWED_TO_OPEN | {"other_team", "health_other", "auditor", "admin", "other_la"})


@pytest.mark.parametrize("persona", CALLERS)
def test_reading_the_child_follows_need_to_know_and_is_audited_once(client, world, persona):
    user = world.personas()[persona]
    token = token_for(user)
    before = AuditEvent.objects.count()
    response = get(client, f"/people/{world.child.public_id}", token)
    expected = 200 if persona in ALLOWED_TO_OPEN else 404 if persona == "other_la" else 403
    assert response.status_code == expected
    assert response["Content-Type"].startswith("application/json")
    events = list(AuditEvent.objects.order_by("id")[before:])
    assert len(events) == 1
    assert events[0].channel == "API" and events[0].actor == user
    assert events[0].outcome == ("ALLOWED" if expected == 200 else "DENIED")
    if expected == 200:
        assert response.json()["nhs_number"] == world.child.nhs_number
    else:
        assert "Testchild" not in response.content.decode()
        assert set(response.json()) == {"error"}


@pytest.mark.parametrize("persona", CALLERS)
def test_search_is_scoped_and_audited(client, world, persona):
    token = token_for(world.personas()[persona])
    response = get(client, "/people", token, name="Testchild Example")
    if persona in {"auditor", "admin"}:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    ids = [hit["id"] for hit in response.json()]
    assert (str(world.child.public_id) in ids) == (persona != "other_la")
    assert AuditEvent.objects.filter(action="person.search", channel="API").count() == 1


@pytest.mark.parametrize("bad", ["9990123455", "999012345", "99901234AB", "0000000000"])
def test_bad_nhs_numbers_are_refused_with_422_and_read_nothing(client, world, bad):
    response = get(client, "/people", token_for(world.allocated), nhs_number=bad)
    assert response.status_code == 422
    assert response.json()["error"]["message"]
    assert not AuditEvent.objects.filter(action="person.search").exists()


def test_an_impossible_date_is_a_422(client, world):
    response = get(client, "/people", token_for(world.allocated), date_of_birth="2020-02-31")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid"


def test_no_criteria_is_a_422(client, world):
    assert get(client, "/people", token_for(world.allocated)).status_code == 422


@pytest.mark.parametrize("header", [None, "Bearer nonsense", "Bearer osg_abcd_wrong", "Basic abc"])
def test_it_needs_a_valid_token(client, world, header):
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    response = client.get(f"/api/v1/people/{world.child.public_id}", **extra)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert response.json()["error"]["code"] == "unauthenticated"


def test_a_revoked_token_or_ended_membership_stops_working(client, world):
    token = token_for(world.allocated)
    assert get(client, "/me", token).status_code == 200
    revoke_token(prefix=token.split("_")[1], now=timezone.now())
    assert get(client, "/me", token).status_code == 401
    token = token_for(world.colleague)
    Membership.objects.filter(user=world.colleague).update(ends_on=dt.date(2020, 1, 1))
    assert get(client, "/me", token).status_code == 401


def test_names_come_back_verbatim_as_json(client, world):
    world.child.given_name = "<script>alert(1)</script>"
    world.child.save()
    response = get(client, f"/people/{world.child.public_id}", token_for(world.allocated))
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json()["given_name"] == "<script>alert(1)</script>"


def test_an_unknown_record_is_a_404_and_audited(client, world):
    response = get(client, "/people/00000000-0000-4000-8000-000000000000", token_for(world.allocated))
    assert response.status_code == 404
    assert AuditEvent.objects.filter(outcome="DENIED", basis="no-such-record", channel="API").exists()


def test_create_api_token_prints_a_working_token_and_refuses_users_without_a_membership(world, capsys, client):
    call_command("create_api_token", "--user", "alex")
    token = capsys.readouterr().out.strip()
    assert get(client, "/me", token).json()["username"] == "alex"
    assert AuditEvent.objects.filter(action="auth.token-created", actor=world.allocated).exists()
    with pytest.raises(CommandError, match="no current membership"):
        call_command("create_api_token", "--user", "zed")


def test_only_a_hash_of_the_token_is_stored(world):
    from safeguarding.accounts.models import ApiToken

    token = token_for(world.allocated)
    stored = ApiToken.objects.get()
    assert token not in (stored.token_hash, stored.prefix) and len(stored.token_hash) == 64


def test_the_openapi_document_describes_the_api(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    doc = json.loads(response.content)
    assert doc["openapi"].startswith("3.")
    assert {"/api/v1/people", "/api/v1/people/{person_id}", "/api/v1/me"} <= set(doc["paths"])
    schemes = doc["components"]["securitySchemes"]
    assert any(s.get("scheme") == "bearer" for s in schemes.values())


def test_responses_match_the_documented_schemas(client, world):
    """Contract: every field the read endpoint returns is documented, with the documented required fields."""
    doc = client.get("/api/v1/openapi.json").json()
    schemas = doc["components"]["schemas"]
    body = get(client, f"/people/{world.child.public_id}", token_for(world.allocated)).json()
    person = schemas["PersonOut"]
    assert set(body) == set(person["properties"])
    assert set(person["required"]) <= set(body)
    hits = get(client, "/people", token_for(world.allocated), name="Testchild").json()
    assert set(hits[0]) == set(schemas["SearchHitOut"]["properties"])
