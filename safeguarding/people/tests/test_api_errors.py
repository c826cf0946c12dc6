"""API v1 errors: always JSON {"error": {"code", "message", "details"}}, the right status, no read behind them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safeguarding.access import queries
from safeguarding.accounts.models import ApiToken
from safeguarding.accounts.tokens import create_token, revoke_token
from safeguarding.audit.models import AuditEvent
from safeguarding.people.identifiers import synthetic_nhs_number


def token_for(user) -> str:
    return create_token(membership=user.memberships.get(), name="test", operator="test", now=timezone.now())


def api_get(client, path: str, token: str | None = None, **params):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.get(f"/api/v1{path}", params, **headers)


def error_of(response) -> dict:
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["message"]
    return body["error"]


def reads_audited() -> int:
    return AuditEvent.objects.filter(action__startswith="person.").count()


# 401


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "Bearer",
        "Bearer ",
        "Basic YWxleDpwYXNzd29yZA==",
        "Bearer nonsense",
        "Token osg_x",
        "bearer  two  spaces",
    ],
)
@pytest.mark.parametrize("path", ["/me", "/people?name=Testchild", "/people/{child}"])
def test_it_answers_401_without_a_valid_token(client, world, header, path):
    extra = {} if header is None else {"HTTP_AUTHORIZATION": header}
    response = client.get("/api/v1" + path.format(child=world.child.public_id), **extra)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert error_of(response)["code"] == "unauthenticated"
    assert reads_audited() == 0


def test_it_answers_401_to_a_revoked_token_and_reads_nothing(client, world):
    token = token_for(world.allocated)
    revoke_token(prefix=ApiToken.objects.get().prefix, operator="test", now=timezone.now())
    response = api_get(client, f"/people/{world.child.public_id}", token)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer error="invalid_token"'
    assert "Testchild" not in response.content.decode()
    assert reads_audited() == 0


@pytest.mark.parametrize(
    "change", [{"ends_on": dt.date(2020, 1, 1)}, {"is_active": False}], ids=["ended", "made-inactive"]
)
def test_it_answers_401_when_the_tokens_membership_is_no_longer_current(client, world, change):
    token = token_for(world.allocated)
    world.allocated.memberships.update(**change)
    assert api_get(client, "/people", token, name="Testchild").status_code == 401
    assert reads_audited() == 0


def test_it_answers_401_when_the_tokens_user_is_deactivated(client, world):
    token = token_for(world.allocated)
    world.allocated.is_active = False
    world.allocated.save()
    assert api_get(client, "/me", token).status_code == 401


# 422


@pytest.mark.parametrize(
    ("nhs_number", "message"),
    [
        (synthetic_nhs_number(5)[:9] + str((int(synthetic_nhs_number(5)[9]) + 1) % 10), "check digit"),
        ("999012345", "must be 10 digits long"),
        ("99901234AB", "must contain only numbers"),
        ("0000000000", "reserved value"),
    ],
    ids=["wrong-check-digit", "nine-digits", "letters", "all-zeros"],
)
def test_it_answers_422_to_an_invalid_nhs_number_and_searches_nothing(client, world, nhs_number, message):
    response = api_get(client, "/people", token_for(world.allocated), nhs_number=nhs_number)
    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "invalid" and message in error["message"]
    assert error["details"] == [{"field": "nhs_number", "location": "query", "message": error["message"]}]
    assert reads_audited() == 0


@pytest.mark.parametrize("date", ["2020-02-31", "2021-02-29", "2020-13-01", "2020-00-10", "31/12/2020", "yesterday"])
def test_it_answers_422_to_an_impossible_date_and_searches_nothing(client, world, date):
    response = api_get(client, "/people", token_for(world.allocated), date_of_birth=date)
    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "invalid"
    assert [d["field"] for d in error["details"]] == ["date_of_birth"]
    assert reads_audited() == 0


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, ""),
        ({"name": "   "}, ""),
        ({"name": "x" * 101}, "name"),
        ({"postcode": "NOT A POSTCODE"}, "postcode"),
        ({"postcode": "ZZ"}, "postcode"),
    ],
    ids=["nothing", "blank-name", "name-too-long", "postcode-too-long", "not-a-postcode"],
)
def test_it_answers_422_to_other_bad_searches(client, world, params, field):
    response = api_get(client, "/people", token_for(world.allocated), **params)
    assert response.status_code == 422
    assert [d["field"] for d in error_of(response)["details"]] == [field]
    assert reads_audited() == 0


@pytest.mark.parametrize("field", ["name", "nhs_number", "postcode"])
def test_it_answers_422_to_control_characters(client, world, field):
    response = api_get(client, "/people", token_for(world.allocated), **{field: "Test\x00child"})
    assert response.status_code == 422
    assert [d["field"] for d in error_of(response)["details"]] == [field]
    assert reads_audited() == 0


@pytest.fixture
def fuzz_token(world) -> str:
    return token_for(world.allocated)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    params=st.dictionaries(
        st.sampled_from(["name", "date_of_birth", "nhs_number", "postcode", "other"]),
        st.text(max_size=120),
        max_size=4,
    )
)
def test_any_search_input_gets_json_and_never_a_server_error(client, fuzz_token, params):
    response = api_get(client, "/people", fuzz_token, **params)
    assert response.status_code in (200, 422), response.content
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = response.json()
    assert isinstance(body, list) or set(body) == {"error"}


def test_it_lists_every_problem_at_once(client, world):
    response = api_get(client, "/people", token_for(world.allocated), nhs_number="123", date_of_birth="2020-02-31")
    assert response.status_code == 422
    error = error_of(response)
    assert error["message"] == "The request is not valid: see details"
    assert sorted(d["field"] for d in error["details"]) == ["date_of_birth", "nhs_number"]


# 404 and 405


def test_it_answers_404_to_a_record_that_does_not_exist_and_audits_the_attempt(client, world):
    response = api_get(client, "/people/00000000-0000-4000-8000-000000000000", token_for(world.allocated))
    assert response.status_code == 404
    assert error_of(response) == {"code": "not-found", "message": "No such record", "details": []}
    denied = AuditEvent.objects.get(action="person.view")
    assert (denied.outcome, denied.basis, denied.channel) == ("DENIED", "no-such-record", "API")
    assert denied.object_id == "00000000-0000-4000-8000-000000000000"


@pytest.mark.parametrize("person_id", ["not-a-uuid", "1", "%00", "00000000-0000-4000-8000-00000000000"])
def test_it_answers_404_to_an_id_that_cannot_be_a_record_as_the_pages_do(client, world, person_id):
    response = api_get(client, f"/people/{person_id}", token_for(world.allocated))
    assert response.status_code == 404
    assert error_of(response)["code"] == "not-found"
    assert reads_audited() == 0


@pytest.mark.parametrize("path", ["/", "/nowhere", "/people/x/y", "/admin"])
def test_it_answers_404_json_to_an_unknown_address(client, world, path):
    response = api_get(client, path, token_for(world.allocated))
    assert response.status_code == 404
    assert error_of(response)["code"] == "not-found"


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("path", ["/people", "/people/{child}", "/me", "/openapi.json"])
def test_it_answers_405_json_to_a_wrong_method_without_asking_for_csrf(world, method, path):
    client = Client(enforce_csrf_checks=True)
    token = token_for(world.allocated)
    url = "/api/v1" + path.format(child=world.child.public_id)
    response = getattr(client, method)(url, {}, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 405
    assert "GET" in response["Allow"]
    assert error_of(response)["code"] == "method-not-allowed"
    assert reads_audited() == 0


# 500


def test_it_answers_500_json_without_a_stack_trace_and_keeps_no_audit_row(client, world, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("secret internals: /srv/osg/settings.py line 42")

    monkeypatch.setattr(queries, "person_record", broken)
    response = api_get(client, f"/people/{world.child.public_id}", token_for(world.allocated))
    assert response.status_code == 500
    error = error_of(response)
    assert error["code"] == "server-error"
    assert "secret internals" not in response.content.decode() and "Traceback" not in response.content.decode()
    assert "secret internals" in caplog.text  # the operators can see it in the log
    assert reads_audited() == 0  # the read's audit row rolled back with the read


# Content


def test_it_returns_markup_in_names_verbatim_as_json_not_html(client, world):
    payload = '"><svg onload=alert(1)><script>alert("x")</script>'
    world.child.given_name = payload
    world.child.save()
    response = api_get(client, f"/people/{world.child.public_id}", token_for(world.allocated))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.json()["given_name"] == payload


def test_it_tells_clients_and_proxies_not_to_store_answers(client, world):
    token = token_for(world.allocated)
    for path in (f"/people/{world.child.public_id}", "/people?name=Testchild", "/nowhere"):
        response = client.get(f"/api/v1{path}", HTTP_AUTHORIZATION=f"Bearer {token}")
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
