"""Emergency (break-glass) access through the page (access:break-glass)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from safeguarding.access.models import AuditorAlert, BreakGlass, BreakGlassReason
from safeguarding.access.services import restrict_record
from safeguarding.audit.models import AuditEvent
from tests import factories as f

XSS = '"><svg onload=alert(1)>'
ESCAPED_XSS = b"&quot;&gt;&lt;svg onload=alert(1)&gt;"
GOOD = {"reason_code": "EMERGENCY", "reason": "Police called about the child tonight"}


@pytest.fixture
def url(world):
    return reverse("access:break-glass", args=[world.child.public_id])


@override_settings(BREAK_GLASS_MINUTES=15)
def test_the_page_explains_the_time_limit_and_the_alert(client, world, url):
    f.sign_in(client, world.other_team)
    page = client.get(url)
    assert page.status_code == 200
    assert b"Testchild Example, born 14 March 2016" in page.content
    assert b"Access lasts 15 minutes" in page.content
    assert b"sent to the auditors" in page.content
    for _code, label in BreakGlassReason.choices:
        assert escape(label).encode() in page.content
    offered = AuditEvent.objects.get(actor=world.other_team, action="person.break-glass.form")
    assert (offered.person, offered.basis, offered.outcome) == (world.child, "break-glass-offered", "ALLOWED")
    assert not BreakGlass.objects.exists()


@override_settings(BREAK_GLASS_MINUTES=15)
@pytest.mark.parametrize(("persona", "organisations"), [("other_team", {"la"}), ("health_other", {"la", "trust"})])
def test_breaking_glass_opens_the_record_for_a_while_and_alerts_the_auditors(
    client, world, url, persona, organisations
):
    user = world.personas()[persona]
    f.sign_in(client, user)
    detail = reverse("people:detail", args=[world.child.public_id])
    assert client.get(detail).status_code == 403
    before = timezone.now()
    response = client.post(url, GOOD)
    assert response.status_code == 302 and response["Location"] == detail
    grant = BreakGlass.objects.get(user=user, person=world.child)
    assert (grant.reason_code, grant.reason) == ("EMERGENCY", GOOD["reason"])
    assert before + dt.timedelta(minutes=15) <= grant.expires_at <= timezone.now() + dt.timedelta(minutes=15)
    alerted = set(AuditorAlert.objects.filter(break_glass=grant).values_list("organisation", flat=True))
    assert alerted == {getattr(world, name).pk for name in organisations}
    event = AuditEvent.objects.get(action="person.break-glass", actor=user)
    assert (event.person, event.reason, event.basis) == (world.child, GOOD["reason"], "break-glass")
    page = client.get(detail)
    assert page.status_code == 200 and b"Emergency access granted" in page.content


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"reason_code": "EMERGENCY"}, "Explain why you need emergency access"),
        ({"reason_code": "EMERGENCY", "reason": "short"}, "Explain what has happened must be at least 10 characters"),
        ({"reason_code": "EMERGENCY", "reason": "x" * 2001}, "must be 2,000 characters or fewer"),
        ({"reason_code": "EMERGENCY", "reason": "Police \x1b called tonight"}, "must not contain hidden control"),
        ({"reason_code": "CURIOUS", "reason": GOOD["reason"]}, "Select why you need emergency access"),
        ({"reason": GOOD["reason"]}, "Select why you need emergency access"),
    ],
)
def test_bad_input_gets_a_clear_error_and_grants_nothing(client, world, url, data, message):
    f.sign_in(client, world.other_team)
    response = client.post(url, data)
    assert response.status_code == 400
    assert message.encode() in response.content
    assert not BreakGlass.objects.exists()
    assert not AuditEvent.objects.filter(action="person.break-glass").exists()


def test_the_explanation_is_shown_back_escaped(client, world, url):
    f.sign_in(client, world.other_team)
    response = client.post(url, {"reason_code": "NOPE", "reason": XSS})
    assert response.status_code == 400
    assert XSS.encode() not in response.content and ESCAPED_XSS in response.content


@pytest.mark.parametrize("persona", ["allocated", "colleague", "manager", "health"])
def test_people_who_may_open_the_record_already_are_sent_to_it(client, world, url, persona):
    f.sign_in(client, world.personas()[persona])
    for response in (client.get(url), client.post(url, GOOD)):
        assert response.status_code == 302
        assert response["Location"] == reverse("people:detail", args=[world.child.public_id])
    assert not BreakGlass.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"), [("auditor", 403), ("admin", 403), ("other_la", 404), ("outsider", 404)]
)
def test_people_whose_role_may_not_break_glass_or_who_cannot_find_the_record_are_refused(
    client, world, url, persona, status
):
    user = world.personas()[persona]
    f.sign_in(client, user)
    for response in (client.get(url), client.post(url, GOOD)):
        assert response.status_code == status
        assert b"Request emergency access" not in response.content
    assert not BreakGlass.objects.exists()
    assert AuditEvent.objects.filter(actor=user, outcome="DENIED", action="person.break-glass.form").count() == 2


def test_a_restricted_record_cannot_be_found_so_emergency_access_is_refused(client, world, url):
    restrict_record(person=world.child, principal=f.principal_for(world.manager), reason="Adoption", now=timezone.now())
    f.sign_in(client, world.other_team)
    for response in (client.get(url), client.post(url, GOOD)):
        assert response.status_code == 404
        assert b"Testchild" not in response.content
    assert not BreakGlass.objects.exists()
    assert AuditEvent.objects.filter(actor=world.other_team, person=world.child, outcome="DENIED").count() == 2


def test_an_unknown_record_is_a_404(client, world):
    f.sign_in(client, world.other_team)
    response = client.get(reverse("access:break-glass", args=["00000000-0000-4000-8000-000000000000"]))
    assert response.status_code == 404
