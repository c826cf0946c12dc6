"""The returns page: who may see it, running the checks, the records to fix, and its audit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from safeguarding.accounts.roles import Role
from safeguarding.audit.models import AuditEvent
from safeguarding.census.models import RunStatus, ValidationRun
from safeguarding.census.years import YEARS, current_or_latest
from tests import factories as f

from . import factories as cf

D = dt.date
URL = reverse("census:returns")


@pytest.fixture
def analyst(world):
    return f.make_user("ana", org=world.la, role=Role.ANALYST, first_name="Ana", last_name="Lyst")


def _finished_run(la, *, year="2025-26", issues=(), **kwargs) -> ValidationRun:
    now = timezone.now()
    return ValidationRun.objects.create(
        local_authority=la,
        year=year,
        status=RunStatus.DONE,
        requested_at=now,
        finished_at=now,
        children=len(issues),
        episodes=len(issues),
        rule_count=109,
        error_count=sum(1 for i in issues if i["severity"] == "ERROR"),
        issues=list(issues),
        **kwargs,
    )


def _issue(person, rule="8831", severity="ERROR", message="Activity is recorded against a case marked as NFA"):
    return {
        "child_id": person.la_person_id or "X",
        "person": str(person.public_id),
        "rule_code": rule,
        "severity": severity,
        "message": message,
        "fields": ["CINdetails.ReferralNFA"],
    }


@pytest.mark.parametrize("persona", ["manager", "analyst"])
def test_analysts_and_team_managers_see_the_records_to_fix_linked_to_each_child(client, world, analyst, persona):
    child = cf.child(world.la, la_person_id="FIX001")
    _finished_run(world.la, issues=[_issue(child)])
    user = analyst if persona == "analyst" else world.manager
    f.sign_in(client, user)
    response = client.get(URL, {"year": "2025-26"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "FIX001" in page and "8831" in page and "Activity is recorded against a case marked as NFA" in page
    assert reverse("people:detail", kwargs={"public_id": child.public_id}) in page
    assert "Not ready: errors to fix" in page
    assert child.given_name not in page  # the census id, never the name
    event = AuditEvent.objects.filter(actor=user, action="census.returns.view").latest("id")
    assert event.outcome == "ALLOWED" and event.details["shown"] == [str(child.public_id)]


@pytest.mark.parametrize("persona", ["allocated", "health", "auditor", "admin", "outsider"])
def test_other_roles_are_refused_and_audited(client, world, persona):
    child = cf.child(world.la, la_person_id="FIX002")
    _finished_run(world.la, issues=[_issue(child)])
    user = world.personas()[persona]
    f.sign_in(client, user)
    response = client.get(URL)
    assert response.status_code == 403
    assert b"FIX002" not in response.content
    assert AuditEvent.objects.filter(actor=user, action="census.returns.view", outcome="DENIED").exists()
    response = client.post(URL, {"year": "2025-26"})
    assert response.status_code == 403
    assert ValidationRun.objects.count() == 1  # nothing started


def test_another_authoritys_analyst_sees_only_their_own_return(client, world):
    child = cf.child(world.la, la_person_id="FIX003")
    _finished_run(world.la, issues=[_issue(child)])
    theirs = f.make_user("sana", org=world.other_la, role=Role.ANALYST)
    f.sign_in(client, theirs)
    response = client.get(URL, {"year": "2025-26"})
    assert response.status_code == 200
    assert b"FIX003" not in response.content
    assert b"has not been checked yet" in response.content
    assert b"Southmere Council" in response.content


@pytest.mark.usefixtures("needs_validator")
def test_running_the_checks_exports_validates_and_lists_what_to_fix(client, world, golden, analyst):
    broken = cf.child(world.la, la_person_id="NFA999")
    ep = cf.episode(broken, D(2025, 6, 2), nfa=True, need="")
    cf.assessment(ep, D(2025, 6, 3))  # rule 8831: activity on a referral with no further action
    f.sign_in(client, analyst)
    response = client.post(URL, {"year": "2025-26"})
    assert response.status_code == 303 and response["Location"] == f"{URL}?year=2025-26"
    run = ValidationRun.objects.get()
    assert run.status == RunStatus.DONE and run.requested_by == analyst  # tests run tasks immediately
    assert run.children == 7 and run.error_count == 1 and run.xsd_error_count == 0
    assert AuditEvent.objects.filter(action="census.validation.requested", actor=analyst).exists()
    assert AuditEvent.objects.get(action="census.validation.run").details["children"] == 7

    page = client.get(response["Location"]).content.decode()
    assert "The 2025-26 checks have started" in page
    assert "NFA999" in page and "8831" in page
    assert reverse("people:detail", kwargs={"public_id": broken.public_id}) in page
    assert page.index("NFA999") < page.index("8770Q")  # errors before queries
    assert "2887Q" in page  # the return-level query, explained separately


def test_a_second_request_while_checks_are_running_is_refused_with_why(client, world, analyst):
    ValidationRun.objects.create(
        local_authority=world.la, year="2025-26", status=RunStatus.RUNNING, requested_at=timezone.now()
    )
    f.sign_in(client, analyst)
    response = client.post(URL, {"year": "2025-26"}, follow=True)
    assert b"The 2025-26 checks are already running" in response.content
    assert ValidationRun.objects.count() == 1
    assert b"are running" in response.content and b"Refresh this page" in response.content


def test_a_failed_run_says_so_and_keeps_the_last_results(client, world, analyst):
    child = cf.child(world.la, la_person_id="FIX004")
    _finished_run(world.la, issues=[_issue(child)])
    ValidationRun.objects.create(
        local_authority=world.la,
        year="2025-26",
        status=RunStatus.FAILED,
        requested_at=timezone.now() + dt.timedelta(minutes=1),
        failure="The CIN census validator is not installed",
    )
    f.sign_in(client, analyst)
    page = client.get(URL, {"year": "2025-26"}).content.decode()
    assert "The last checks could not finish" in page and "validator is not installed" in page
    assert "FIX004" in page


def test_text_from_the_validator_is_escaped(client, world, analyst):
    child = cf.child(world.la, la_person_id="FIX005")
    _finished_run(world.la, issues=[_issue(child, message="<script>alert('x')</script>")])
    f.sign_in(client, analyst)
    page = client.get(URL, {"year": "2025-26"}).content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page


def test_the_page_costs_the_same_queries_however_many_records_to_fix(client, world, analyst):
    f.sign_in(client, analyst)
    children = [cf.child(world.la, la_person_id=f"FIXQ{i}") for i in range(30)]

    def count(n: int) -> int:
        ValidationRun.objects.all().delete()
        _finished_run(world.la, issues=[_issue(c) for c in children[:n]])
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL, {"year": "2025-26"}).status_code == 200
        return len(captured)

    assert count(1) == count(30)


def test_the_current_year_is_shown_by_default_with_the_others_a_link_away(client, world, analyst):
    current = current_or_latest(timezone.localdate())
    other = next(label for label in YEARS if label != current.label)
    f.sign_in(client, analyst)
    page = client.get(URL).content.decode()
    assert f"Children in need census {current.label}" in page
    assert f'<a class="govuk-link" href="?year={other}">{other}</a>' in page
    provisional = client.get(URL, {"year": "2026-27"}).content.decode()
    assert "has not yet published the 2026-27 specification" in provisional


def test_a_clean_return_is_ready_to_submit_only_once_its_year_has_ended(client, world, analyst):
    current = current_or_latest(timezone.localdate())
    _finished_run(world.la, year="2024-25")
    _finished_run(world.la, year=current.label)
    f.sign_in(client, analyst)
    assert b"Ready to submit" in client.get(URL, {"year": "2024-25"}).content
    page = client.get(URL, {"year": current.label}).content
    year_open = timezone.localdate() <= current.reference_date
    assert (b"No errors so far" in page) is year_open
    assert b"No child's record needs fixing" in page
