"""The NHS-number match rate and the children in scope without a valid number (999-range numbers only)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from ninja.testing import TestClient

from safeguarding.accounts.roles import Role
from safeguarding.audit.models import AuditEvent
from safeguarding.dataquality import queries
from safeguarding.dataquality.api import router
from safeguarding.dataquality.tests.factories import days_ago, looked_after, on_plan, without_nhs_number
from tests import factories as f

XSS = '<script>alert("x")</script>'


@pytest.fixture
def analyst(world):
    return f.make_user("ana", org=world.la, role=Role.ANALYST, first_name="Ana", last_name="Analyst")


@pytest.fixture
def scope(world):
    """Four in scope, two matched: a plan (valid), looked after (wrong check digit), a plan (no number),
    an unborn child on a plan whose pregnant person has a valid number. Out of scope: an ended plan and
    another authority's child."""
    on_plan(world, world.child)
    looked_after(world, without_nhs_number(world.sibling, "9990123455"))
    missing = f.make_person(world.la, given_name="Testmissing", nhs_number="")
    on_plan(world, missing)
    unborn = f.make_person(
        world.la,
        given_name="",
        kind="UNBORN",
        date_of_birth=None,
        expected_due_date=timezone.localdate() + dt.timedelta(days=60),
        pregnant_person=world.parent,
        nhs_number="",
    )
    on_plan(world, unborn)
    ended = f.make_person(world.la, given_name="Testended", nhs_number="")
    on_plan(world, ended, end=days_ago(3))
    elsewhere = f.make_person(world.other_la, given_name="Testelsewhere", nhs_number="")
    looked_after(world, elsewhere)
    return {"missing": missing, "unborn": unborn}


def test_the_match_rate_counts_valid_invalid_and_missing_numbers(world, scope):
    report = queries.nhs_number_report(world.la, today=timezone.localdate())
    assert (report.in_scope, report.matched, report.rate, report.meets_goal) == (4, 2, Decimal("50.0"), False)
    problems = {u.person.given_name: (u.reasons, u.problem) for u in report.unmatched}
    assert problems == {
        "Testmissing": (["CPP"], queries.MISSING),
        "Testsibling": (["LAC"], "This NHS number is not valid: check the digits (the last digit is a check digit)"),
    }


def test_an_unborn_child_on_a_plan_is_matched_by_the_pregnant_persons_number(world, scope):
    without_nhs_number(world.parent)
    report = queries.nhs_number_report(world.la, today=timezone.localdate())
    row = next(u for u in report.unmatched if u.person == scope["unborn"])
    assert row.reasons == ["UCPP"] and row.to_fix == world.parent and row.problem == queries.MISSING


def test_rate_rounds_down_and_the_goal_is_95_percent(world):
    assert queries.Report(world.la, in_scope=20, matched=19).meets_goal
    assert queries.Report(world.la, in_scope=3, matched=2).rate == Decimal("66.6")
    assert queries.Report(world.la, in_scope=2000, matched=1899).rate == Decimal("94.9")
    assert not queries.Report(world.la, in_scope=2000, matched=1899).meets_goal
    assert queries.Report(world.la, in_scope=0, matched=0).rate is None


@pytest.mark.parametrize(
    ("number", "problem"),
    [
        ("9990123454", ""),
        ("999 012 3454", ""),
        ("", queries.MISSING),
        ("9990123455", "not valid"),
        ("999012345", "10 digits"),
        ("99901234AB", "only numbers"),
        ("0000000000", "reserved"),
    ],
)
def test_each_kind_of_bad_number(number, problem):
    found = queries.problem_with(number)
    assert (problem in found) if problem else found == ""


def test_an_analyst_sees_the_rate_and_the_records_to_fix_linked_and_audited(client, world, scope, analyst):
    f.sign_in(client, analyst)
    response = client.get(reverse("dataquality:nhs-numbers"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "50.0% matched" in body and "2 of 4 children in scope" in body and "Below the 95% goal" in body
    assert reverse("people:detail", kwargs={"public_id": scope["missing"].public_id}) in body
    assert "Testelsewhere" not in body and "Testended" not in body and "Testchild" not in body
    event = AuditEvent.objects.get(action="dataquality.nhs-numbers.view", actor=analyst)
    assert set(event.details["shown"]) == {str(scope["missing"].public_id), str(world.sibling.public_id)}


@pytest.mark.parametrize("persona", ["allocated", "auditor", "health", "admin", "outsider"])
def test_roles_without_returns_are_refused_and_audited(client, world, scope, persona):
    user = world.personas()[persona]
    f.sign_in(client, user)
    response = client.get(reverse("dataquality:nhs-numbers"))
    assert response.status_code == 403 and b"Testmissing" not in response.content
    assert AuditEvent.objects.filter(actor=user, action="dataquality.nhs-numbers.view", outcome="DENIED").exists()


def test_another_authoritys_analyst_sees_only_their_own_children(client, world, scope):
    theirs = f.make_user("ola", org=world.other_la, role=Role.ANALYST)
    f.sign_in(client, theirs)
    body = client.get(reverse("dataquality:nhs-numbers")).content.decode()
    assert "Testelsewhere" in body and "Testmissing" not in body and "0.0% matched" in body


def test_names_are_escaped(client, world, analyst):
    on_plan(world, f.make_person(world.la, given_name=XSS, nhs_number=""))
    f.sign_in(client, analyst)
    body = client.get(reverse("dataquality:nhs-numbers")).content.decode()
    assert XSS not in body and "&lt;script&gt;" in body


def test_the_query_count_does_not_grow_with_the_children(client, world, analyst):
    f.sign_in(client, analyst)
    url = reverse("dataquality:nhs-numbers")
    on_plan(world, without_nhs_number(world.child))
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(3):
        looked_after(world, f.make_person(world.la, given_name=f"Testmore{n}", nhs_number=""))
    with CaptureQueriesContext(connection) as more:
        client.get(url)
    assert len(more) == len(one)


def test_the_api_answers_the_same_report_and_refuses_other_roles(world, scope, analyst):
    api = TestClient(router)
    response = api.get("/data-quality/nhs-numbers", auth=f.principal_for(analyst, channel="API"))
    assert response.status_code == 200
    data = response.json()
    assert (data["in_scope"], data["matched"], data["rate_percent"], data["meets_goal"]) == (4, 2, 50.0, False)
    assert {u["name"] for u in data["unmatched"]} == {"Testmissing Example", "Testsibling Example"}
    assert AuditEvent.objects.filter(actor=analyst, action="dataquality.nhs-numbers.view").exists()
    refused = api.get("/data-quality/nhs-numbers", auth=f.principal_for(world.allocated, channel="API"))
    assert refused.status_code == 403
    assert AuditEvent.objects.filter(actor=world.allocated, outcome="DENIED").exists()
    assert api.get("/data-quality/nhs-numbers").status_code == 401
