"""Every page: partnership roles only (others 403, audited DENIED), another partnership's incident 404,
a whole rapid review run through the pages, escaping of free text, and a constant query count."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from safeguarding.audit.models import AuditEvent, Outcome
from safeguarding.learning import services
from safeguarding.learning.codes import ActionStatus
from safeguarding.learning.models import Action, SeriousIncident
from tests import factories as f

from .factories import make_incident

pytestmark = pytest.mark.django_db

PERSONAS = ["allocated", "colleague", "manager", "other_team", "health", "health_other", "auditor", "admin", "other_la"]
XSS = '<script>alert("x")</script>'


@pytest.fixture
def urls(world, pm):
    incident = make_incident(pm, to="reviewed")
    now = timezone.now()
    p = f.principal_for(pm)
    rec = services.add_recommendation(incident=incident, principal=p, now=now, text="Share records")
    action = services.add_action(
        recommendation=rec,
        principal=p,
        now=now,
        description="Audit sharing",
        owner_organisation=world.trust,
        owner_name="Dr Named",
        due_on=timezone.localdate(),
    )
    i = incident.public_id
    return {
        "learning:list": reverse("learning:list"),
        "learning:new": reverse("learning:new"),
        "learning:actions": reverse("learning:actions"),
        "learning:incident": reverse("learning:incident", args=[i]),
        "learning:step": reverse("learning:step", args=[i, "finding"]),
        "learning:action-new": reverse("learning:action-new", args=[i, rec.public_id]),
        "learning:action-update": reverse("learning:action-update", args=[i, action.public_id]),
    }


ROUTES = [
    "learning:list",
    "learning:new",
    "learning:actions",
    "learning:incident",
    "learning:step",
    "learning:action-new",
    "learning:action-update",
]
INCIDENT_ROUTES = ROUTES[3:]


@pytest.mark.parametrize("name", ROUTES)
def test_the_partnership_manager_sees_every_page(client, pm, urls, name):
    f.sign_in(client, pm)
    assert client.get(urls[name]).status_code == 200
    assert AuditEvent.objects.filter(actor=pm, action__startswith="learning.", outcome=Outcome.ALLOWED).exists()


@pytest.mark.parametrize("name", ROUTES)
def test_other_roles_are_refused_every_page_and_audited(client, world, urls, name):
    for persona in PERSONAS:  # one world per route: the personas share it
        user = world.personas()[persona]
        f.sign_in(client, user)
        response = client.get(urls[name])
        assert response.status_code == 403, persona
        assert b"Only partnership roles" in response.content
        denied = AuditEvent.objects.filter(actor=user, outcome=Outcome.DENIED, action__startswith="learning.")
        assert denied.count() == 1, persona


@pytest.mark.parametrize("name", ROUTES)
def test_a_user_with_no_organisation_is_refused(client, world, urls, name):
    f.sign_in(client, world.outsider)
    assert client.get(urls[name]).status_code in (302, 403)


@pytest.mark.parametrize("name", INCIDENT_ROUTES)
def test_another_partnerships_manager_may_not_know_the_incident_exists(client, pm_other, urls, name):
    f.sign_in(client, pm_other)
    response = client.get(urls[name])
    assert response.status_code == 404
    assert b"SI-1" not in response.content
    assert AuditEvent.objects.filter(actor=pm_other, outcome=Outcome.DENIED).count() == 1


def test_another_partnerships_manager_sees_only_their_own_list(client, pm_other, urls):
    f.sign_in(client, pm_other)
    response = client.get(urls["learning:list"])
    assert response.status_code == 200
    assert b"SI-1" not in response.content
    assert b"Southmere" in response.content


def test_a_refused_post_changes_nothing(client, world, urls):
    f.sign_in(client, world.manager)
    before = SeriousIncident.objects.count()
    today = timezone.localdate()
    data = {"reference": "SI-X", "aware_on_0": today.day, "aware_on_1": today.month, "aware_on_2": today.year}
    assert client.post(urls["learning:new"], {**data, "summary": "x"}).status_code == 403
    assert client.post(urls["learning:action-update"], {"status": "DONE", "evidence": "e"}).status_code == 403
    assert SeriousIncident.objects.count() == before
    assert Action.objects.get().status == ActionStatus.OPEN


def _date(prefix: str, day: dt.date) -> dict[str, str]:
    return {f"{prefix}_0": str(day.day), f"{prefix}_1": str(day.month), f"{prefix}_2": str(day.year)}


def test_a_rapid_review_runs_from_notification_to_actions_through_the_pages(client, world, pm):
    f.sign_in(client, pm)
    today = timezone.localdate()
    response = client.post(
        reverse("learning:new"),
        {
            "reference": "SI-2026-1",
            "summary": XSS,
            "children": f"/people/{world.child.public_id}",
            **_date("aware_on", today),
        },
    )
    incident = SeriousIncident.objects.get(reference="SI-2026-1")
    page = reverse("learning:incident", args=[incident.public_id])
    assert response.status_code == 302 and response.url == page

    def step(name, data):
        r = client.post(reverse("learning:step", args=[incident.public_id, name]), data)
        assert r.status_code == 302, r.content.decode()[:2000]

    # Out of order: the page says why and nothing changes.
    r = client.post(
        reverse("learning:step", args=[incident.public_id, "rapid-review"]),
        {"agencies": "Police", **_date("held_on", today)},
    )
    assert r.status_code == 200 and b"Record the notification to the national panel first" in r.content
    step("notify", _date("notified_on", today))
    step("rapid-review", {"agencies": "Police\nHealth", **_date("held_on", today)})
    step("decision", {"decision": "LCSPR", "rationale": "Criteria met"})
    step("sent", _date("sent_on", today))
    step("commission", {"reviewer": "Independent Reviewer", **_date("commissioned_on", today)})
    step("episode", {"what_happened": XSS, "why_it_made_sense": "Busy", **_date("occurred_on", today)})
    step("finding", {"pattern": "TOOLS", "statement": XSS, "evidence": "Case file"})
    step(
        "analysis",
        {"problem": "Missed referral", "domain": "COMMUNICATION", "why_1": XSS, "root_cause": "No shared inbox"},
    )
    step("recommendation", {"text": XSS})
    rec = incident.recommendations.get()
    r = client.post(
        reverse("learning:action-new", args=[incident.public_id, rec.public_id]),
        {"description": XSS, "owner_organisation": world.trust.pk, "owner_name": "Dr Named", **_date("due_on", today)},
    )
    assert r.status_code == 302
    action = Action.objects.get()
    update = reverse("learning:action-update", args=[incident.public_id, action.public_id])
    r = client.post(update, {"status": "DONE", **_date("completed_on", today)})
    assert r.status_code == 200 and b"Enter the evidence that the action is done" in r.content
    assert client.post(update, {"status": "DONE", "evidence": XSS, **_date("completed_on", today)}).status_code == 302
    step(
        "publish",
        {"report_url": "https://example.org/report.pdf", "learning_briefing": XSS, **_date("published_on", today)},
    )

    content = client.get(page).content.decode()
    assert "<script>" not in content
    assert content.count("&lt;script&gt;") >= 7
    assert "Complete" in content and "Read the published report" in content
    actions = client.get(reverse("learning:actions")).content.decode()
    assert "<script>" not in actions and "Done" in actions


def test_the_list_shows_overdue_first_with_a_constant_query_count(client, pm):
    f.sign_in(client, pm)
    now, today = timezone.now(), timezone.localdate()
    make_incident(pm, reference="SI-NEW")
    make_incident(
        pm, reference="SI-OLD", aware_on=today - dt.timedelta(days=30), backdated_reason="Entered from the paper file"
    )
    with CaptureQueriesContext(connection) as two:
        content = client.get(reverse("learning:list")).content.decode()
    assert content.index("SI-OLD") < content.index("SI-NEW")
    assert "Overdue" in content
    for n in range(5):
        make_incident(pm, reference=f"SI-{n}")
    with CaptureQueriesContext(connection) as seven:
        client.get(reverse("learning:list"))
    assert len(seven) == len(two)
    assert now  # the clock is the server's: dates are relative to today
