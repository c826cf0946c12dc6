"""API v1 people endpoints against every persona: the same need-to-know and the same audit as the pages.

Each call writes exactly one audit row over the API channel: ALLOWED for a read or search that was
allowed, DENIED for a refusal (403, or 404 when the caller may not know the record exists).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from conftest import ALLOWED_TO_OPEN, REFUSED_TO_OPEN
from safeguarding.accounts.tokens import create_token
from safeguarding.audit.models import AuditEvent

TOKEN_HOLDERS = sorted((ALLOWED_TO_OPEN | REFUSED_TO_OPEN) - {"outsider"})
MAY_SEARCH = sorted(ALLOWED_TO_OPEN | {"other_team", "health_other", "other_la"})
MAY_NOT_SEARCH = ["admin", "auditor"]
FORBIDDEN = sorted(REFUSED_TO_OPEN - {"other_la", "outsider"})  # may know the record exists


def token_for(user) -> str:
    return create_token(membership=user.memberships.get(), name="test", operator="test", now=timezone.now())


def api_get(client, path: str, token: str, **params):
    return client.get(f"/api/v1{path}", params, HTTP_AUTHORIZATION=f"Bearer {token}")


def the_one_audit_row(since: int) -> AuditEvent:
    rows = list(AuditEvent.objects.filter(id__gt=since))
    assert len(rows) == 1, [(r.action, r.outcome) for r in rows]
    return rows[0]


def last_audit_id() -> int:
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


@pytest.mark.parametrize("persona", sorted(ALLOWED_TO_OPEN))
def test_it_lets_people_involved_read_the_child_and_audits_it(client, world, persona):
    user = world.personas()[persona]
    token = token_for(user)
    since = last_audit_id()
    response = api_get(client, f"/people/{world.child.public_id}", token)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = response.json()
    assert (body["id"], body["given_name"], body["nhs_number"]) == (
        str(world.child.public_id),
        "Testchild",
        world.child.nhs_number,
    )
    row = the_one_audit_row(since)
    assert (row.action, row.outcome, row.channel) == ("person.view", "ALLOWED", "API")
    assert row.actor == user and row.person == world.child and row.basis == body["access_basis"]
    assert row.membership == user.memberships.get() and row.request_id == response["X-Request-Id"]


@pytest.mark.parametrize("persona", FORBIDDEN)
def test_it_denies_a_persona_who_may_know_the_record_exists_with_a_403_and_audits_it(client, world, persona):
    user = world.personas()[persona]
    token = token_for(user)
    since = last_audit_id()
    response = api_get(client, f"/people/{world.child.public_id}", token)
    assert response.status_code == 403
    assert response.json() == {
        "error": {"code": "forbidden", "message": "You do not have access to this record", "details": []}
    }
    row = the_one_audit_row(since)
    assert (row.action, row.outcome, row.channel, row.basis) == ("person.view", "DENIED", "API", "no-relationship")
    assert row.actor == user and row.person == world.child


def test_it_denies_another_authoritys_worker_with_the_same_404_as_a_record_that_does_not_exist(client, world):
    token = token_for(world.other_la_worker)
    since = last_audit_id()
    hidden = api_get(client, f"/people/{world.child.public_id}", token)
    assert hidden.status_code == 404
    row = the_one_audit_row(since)
    assert (row.action, row.outcome, row.channel) == ("person.view", "DENIED", "API")
    assert row.actor == world.other_la_worker and row.person == world.child
    missing = api_get(client, "/people/00000000-0000-4000-8000-000000000000", token)
    assert missing.status_code == 404
    assert hidden.content == missing.content
    assert "Testchild" not in hidden.content.decode()


@pytest.mark.parametrize("persona", MAY_SEARCH)
def test_it_finds_the_child_for_everyone_in_scope_and_says_who_may_open_it(client, world, persona):
    user = world.personas()[persona]
    token = token_for(user)
    since = last_audit_id()
    response = api_get(client, "/people", token, name="Testchild Example")
    assert response.status_code == 200
    hits = {hit["id"]: hit for hit in response.json()}
    child = hits.get(str(world.child.public_id))
    if persona == "other_la":
        assert child is None and "Testchild" not in response.content.decode()
    else:
        assert child == {
            "id": str(world.child.public_id),
            "given_name": "Testchild",
            "family_name": "Example",
            "date_of_birth": "2016-03-14",
            "local_authority": "Northbridge Council",
            "can_open": persona in ALLOWED_TO_OPEN,
        }
    row = the_one_audit_row(since)
    assert (row.action, row.outcome, row.channel, row.actor) == ("person.search", "ALLOWED", "API", user)
    assert row.details["shown"] == list(hits)


@pytest.mark.parametrize("persona", MAY_NOT_SEARCH)
def test_it_denies_search_to_roles_that_cannot_search_and_audits_it(client, world, persona):
    user = world.personas()[persona]
    token = token_for(user)
    since = last_audit_id()
    response = api_get(client, "/people", token, name="Testchild Example")
    assert response.status_code == 403
    assert response.json()["error"] == {
        "code": "forbidden",
        "message": "Your role cannot search for people",
        "details": [],
    }
    row = the_one_audit_row(since)
    assert (row.action, row.outcome, row.channel, row.actor) == ("person.search", "DENIED", "API", user)


@pytest.mark.parametrize("persona", TOKEN_HOLDERS)
def test_it_says_who_the_token_acts_as_without_children_s_data(client, world, persona):
    user = world.personas()[persona]
    token = token_for(user)
    since = last_audit_id()
    response = api_get(client, "/me", token)
    assert response.status_code == 200
    membership = user.memberships.get()
    body = response.json()
    assert body["user"] == {"id": str(user.public_id), "username": user.username, "name": str(user)}
    assert body["membership"]["id"] == str(membership.public_id)
    assert body["membership"]["role"] == membership.role
    assert body["membership"]["organisation"]["name"] == membership.organisation.name
    assert "Testchild" not in response.content.decode()
    assert not AuditEvent.objects.filter(id__gt=since).exists()


def test_it_denies_a_token_to_the_outsider_who_has_no_membership(world):
    with pytest.raises(CommandError, match="no current membership"):
        call_command("create_api_token", "--user", world.outsider.username)


def test_it_denies_a_token_the_moment_its_membership_ends(client, world):
    token = token_for(world.allocated)
    assert api_get(client, f"/people/{world.child.public_id}", token).status_code == 200
    world.allocated.memberships.update(ends_on=timezone.localdate() - dt.timedelta(days=1))
    since = last_audit_id()
    response = api_get(client, f"/people/{world.child.public_id}", token)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"
    assert not AuditEvent.objects.filter(id__gt=since).exists()
