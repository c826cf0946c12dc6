"""The auditor's pages: search the log of their own tenant only, review break-glass alerts; reading is audited."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from safeguarding.access import services as access_services
from safeguarding.access.models import AuditorAlert, BreakGlassReason
from safeguarding.audit import services as audit
from safeguarding.audit.models import AuditEvent
from tests import factories as f

NOT_AUDITORS = ["allocated", "manager", "health", "admin", "other_la", "outsider"]


def _event(user, action, *, person=None, outcome="ALLOWED", at=None, reason=""):
    with transaction.atomic():
        return audit.record(
            principal=f.principal_for(user),
            action=action,
            at=at or timezone.now(),
            person=person,
            outcome=outcome,
            reason=reason,
        )


@pytest.mark.parametrize("persona", NOT_AUDITORS)
@pytest.mark.parametrize("page", ["audit:search", "audit:alerts", "audit:export"])
def test_it_refuses_everyone_but_auditors_and_audits_the_refusal(client, world, persona, page):
    user = world.personas()[persona]
    f.sign_in(client, user)
    response = client.get(reverse(page))
    assert response.status_code == 403
    assert b"This attempt has been recorded" in response.content
    assert AuditEvent.objects.filter(actor=user, outcome="DENIED", basis="not-an-auditor").exists()


def test_an_auditor_sees_their_tenants_events_and_never_the_other_authoritys(client, world):
    _event(world.allocated, "person.view", person=world.child)
    other_child = f.make_person(world.other_la, given_name="Otherchild")
    _event(world.other_la_worker, "person.view", person=other_child)
    _event(world.other_la_worker, "person.view", person=world.child, outcome="DENIED")  # about a Northbridge child
    f.sign_in(client, world.auditor)
    html = client.get(reverse("audit:search")).content.decode()
    assert "Alex Allocated" in html
    assert "Sol Southmere" in html  # tried to open a record Northbridge holds
    assert html.count("Sol Southmere") == 1  # but not their read of Southmere's own child
    southmere_auditor = f.make_user("sa", org=world.other_la, role="AUDITOR", first_name="Sue", last_name="Auditor")
    f.sign_in(client, southmere_auditor)
    html = client.get(reverse("audit:search")).content.decode()
    assert "Alex Allocated" not in html
    assert html.count("Sol Southmere") == 2


def test_it_filters_by_user_child_action_outcome_and_dates(client, world):
    old = timezone.now() - dt.timedelta(days=40)
    _event(world.allocated, "person.view", person=world.child)
    _event(world.colleague, "person.chronology.view", person=world.sibling, at=old)
    _event(world.other_team, "person.view", person=world.child, outcome="DENIED")
    f.sign_in(client, world.auditor)
    search = reverse("audit:search")

    def who(params):
        html = client.get(search, params).content.decode()
        return {name for name in ("Alex Allocated", "Bea Colleague", "Olu Otherteam") if name in html}

    assert who({"username": "ALEX"}) == {"Alex Allocated"}
    assert who({"child": world.sibling.nhs_number}) == {"Bea Colleague"}
    assert who({"child": str(world.child.public_id)}) == {"Alex Allocated", "Olu Otherteam"}
    assert who({"action": "person.chronology"}) == {"Bea Colleague"}
    assert who({"outcome": "DENIED"}) == {"Olu Otherteam"}
    today = timezone.localdate()
    recent = {"date_from_0": str(today.day), "date_from_1": str(today.month), "date_from_2": str(today.year)}
    assert who(recent) == {"Alex Allocated", "Olu Otherteam"}


def test_reading_the_log_is_itself_audited_with_the_criteria(client, world):
    f.sign_in(client, world.auditor)
    client.get(reverse("audit:search"), {"username": "alex", "outcome": "DENIED"})
    event = AuditEvent.objects.get(actor=world.auditor, action="audit.search")
    assert event.details["criteria"] == {"username": "alex", "outcome": "DENIED"}


def test_bad_filters_get_clear_errors(client, world):
    f.sign_in(client, world.auditor)
    response = client.get(
        reverse("audit:search"),
        {
            "child": "not a number",
            "date_from_0": "2",
            "date_from_1": "2",
            "date_from_2": "2025",
            "date_to_0": "1",
            "date_to_1": "1",
            "date_to_2": "2025",
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Enter a 10-digit NHS number or a record ID" in html and "To must be the same as or after From" in html


def test_the_search_is_paginated_with_a_bounded_number_of_queries(client, world, django_assert_max_num_queries):
    for _ in range(120):
        _event(world.allocated, "person.view", person=world.child)
    f.sign_in(client, world.auditor)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("audit:search"), {"username": "alex", "page": "2"})
    html = response.content.decode()
    assert "120 entries" in html and "Showing 51 to 100" in html
    assert "username=alex&amp;page=3" in html


def test_the_csv_export_neutralises_spreadsheet_formulae(client, world):
    _event(world.allocated, "person.view", person=world.child, reason='=HYPERLINK("http://evil")')
    f.sign_in(client, world.auditor)
    response = client.get(reverse("audit:export"), {"username": "alex"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "When" and rows[1][7] == '\'=HYPERLINK("http://evil")'
    assert AuditEvent.objects.filter(actor=world.auditor, action="audit.export").exists()


def _break_glass(world):
    return access_services.break_glass(
        person=world.child,
        principal=f.principal_for(world.other_team),
        reason_code=BreakGlassReason.EMERGENCY,
        reason="Police called about the child tonight",
        now=timezone.now(),
    )


def test_the_auditor_sees_and_reviews_break_glass_alerts(client, world):
    _break_glass(world)
    f.sign_in(client, world.auditor)
    html = client.get(reverse("audit:alerts")).content.decode()
    assert "Olu Otherteam used emergency access" in html and "Police called about the child tonight" in html
    assert "To review" in html
    alert = AuditorAlert.objects.get(organisation=world.la)
    response = client.post(reverse("audit:alert-review", args=[alert.pk]), {"note": "Confirmed with duty manager"})
    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.reviewed_by == world.auditor and alert.review_note == "Confirmed with duty manager"
    assert AuditEvent.objects.filter(actor=world.auditor, action="audit.alert-reviewed").exists()
    assert AuditEvent.objects.filter(actor=world.auditor, action="audit.alerts.view").exists()


def test_an_auditor_cannot_review_another_authoritys_alert(client, world):
    _break_glass(world)
    alert = AuditorAlert.objects.get(organisation=world.la)
    southmere_auditor = f.make_user("sa", org=world.other_la, role="AUDITOR")
    f.sign_in(client, southmere_auditor)
    response = client.post(reverse("audit:alert-review", args=[alert.pk]), {"note": "Looks fine"})
    assert response.status_code == 404
    alert.refresh_from_db()
    assert alert.reviewed_at is None
    assert "Olu Otherteam" not in client.get(reverse("audit:alerts")).content.decode()


def test_a_review_needs_a_note(client, world):
    _break_glass(world)
    alert = AuditorAlert.objects.get(organisation=world.la)
    f.sign_in(client, world.auditor)
    response = client.post(reverse("audit:alert-review", args=[alert.pk]), {"note": ""})
    assert response.status_code == 400 and b"There is a problem" in response.content
    alert.refresh_from_db()
    assert alert.reviewed_at is None


def test_a_search_that_matches_nothing_says_so(client, world):
    f.sign_in(client, world.auditor)
    response = client.get(reverse("audit:search"), {"username": "nobody-by-this-name"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "No entries" in html and "Nothing in the log matches" in html


def test_an_auditor_sees_failed_and_successful_sign_ins_of_their_own_staff_only(client, world):
    from safeguarding.audit.queries import tenant_events

    client.post("/sign-in", {"username": "alex", "password": "wrong password"})
    client.post("/sign-in", {"username": "sol", "password": "wrong password"})
    mine = tenant_events(world.la.id).filter(action="auth.sign-in")
    assert [e.actor_name for e in mine] == ["alex"]
    assert [e.actor_name for e in tenant_events(world.other_la.id).filter(action="auth.sign-in")] == ["sol"]
