"""Readers of section 11 work (VIEW_PARTNERSHIP): every organisation's self-assessment, actions and the
comparison, and no change. A named professional both reads everything and still assesses for their own trust."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from safeguarding.accounts.roles import Role
from safeguarding.audit.models import AuditEvent, Outcome
from safeguarding.section11 import services
from safeguarding.section11.models import Action, Cycle, Rating, Standard
from tests import factories as f

from .conftest import NOW, fill
from .test_pages import _form, urls

READABLE = {
    "section11:home",
    "section11:standards",
    "section11:cycle",
    "section11:assessment",
    "section11:actions",
    "section11:compare",
}


@pytest.fixture
def action(s11):
    return services.add_action(
        principal=f.principal_for(s11.runner),
        now=NOW,
        assessment=s11.la_assessment,
        description="Refresh the safer recruitment policy",
        owner="Head of HR",
        due_on=dt.date(2026, 7, 1),
    )


@pytest.fixture
def member(world):
    return f.make_user("mem", org=world.la, role=Role.PARTNERSHIP_MEMBER, first_name="Meg", last_name="Member")


@pytest.fixture(params=["member", "named"])
def reader(request, s11, member):
    """A partnership member (reads only), and the trust's named nurse reading the council's assessment."""
    return member if request.param == "member" else s11.trust_assessor


def test_a_reader_sees_every_organisation_and_each_view_is_audited(client, s11, action, reader):
    fill(s11.la_assessment, s11.la_assessor, rag="RED")
    f.sign_in(client, reader)
    pages = urls(s11, action)
    for name in READABLE:
        before = AuditEvent.objects.filter(actor=reader, outcome=Outcome.ALLOWED).count()
        assert client.get(pages[name]).status_code == 200, name
        assert AuditEvent.objects.filter(actor=reader, outcome=Outcome.ALLOWED).count() == before + 1, name
    cycle = client.get(pages["section11:cycle"]).content.decode()
    assert "Northbridge Council" in cycle and "Northbridge Hospitals" in cycle
    assert "Refresh the safer recruitment policy" in client.get(pages["section11:actions"]).content.decode()
    assert (
        "Ratings by organisation: Northbridge Council: 8 red" in client.get(pages["section11:compare"]).content.decode()
    )


def test_a_reader_is_shown_no_form_or_change_link_on_the_council_s_pages(client, s11, action, reader):
    fill(s11.la_assessment, s11.la_assessor)
    services.submit_assessment(principal=f.principal_for(s11.la_assessor), now=NOW, assessment=s11.la_assessment)
    rating = s11.la_assessment.ratings.first()
    services.moderate_rating(
        principal=f.principal_for(s11.runner), now=NOW, rating=rating, challenge="Why?", agreed_rag=""
    )
    f.sign_in(client, reader)
    pages = urls(s11, action)
    assessment = client.get(pages["section11:assessment"]).content.decode()
    for text in ("Add an action", "Challenge or agree", "Respond to the challenge", '<form method="post" novalidate'):
        assert text not in assessment, text
    assert reverse("section11:action", kwargs={"action": action.public_id}) not in assessment
    assert "Open a cycle" not in client.get(pages["section11:home"]).content.decode()
    assert ">Change<" not in client.get(pages["section11:standards"]).content.decode()
    assert (
        reverse("section11:action", kwargs={"action": action.public_id})
        not in client.get(pages["section11:actions"]).content.decode()
    )


def test_every_form_page_and_post_by_a_reader_is_refused_audited_and_changes_nothing(client, s11, action, reader):
    fill(s11.la_assessment, s11.la_assessor)
    services.submit_assessment(principal=f.principal_for(s11.la_assessor), now=NOW, assessment=s11.la_assessment)
    pages = urls(s11, action)
    standard = Standard.objects.get(partnership=s11.partnership, number=1)
    posts = {
        "section11:standard-edit": {"title": "Changed", "text": "Changed", "source": "x"},
        "section11:cycle-new": {"name": "Reader's cycle", "opens_on_0": "1", "opens_on_1": "6", "opens_on_2": "2027"},
        "section11:rating-moderate": {"challenge": "x", "agreed_rag": "RED"},
        "section11:rating-respond": {"response": "x"},
        "section11:action-new": {"description": "x", "owner": "x", "due_on_0": "1", "due_on_1": "9"}
        | {"due_on_2": "2026"},
        "section11:action": {"evidence": "x", "completed_on_0": "1", "completed_on_1": "6", "completed_on_2": "2026"},
        "section11:assessment": _form(s11.la_assessment, rag="RED") | {"save": ""},
    }
    f.sign_in(client, reader)
    for name, data in posts.items():
        for method in ("get", "post") if name != "section11:assessment" else ("post",):
            before = AuditEvent.objects.filter(actor=reader, outcome=Outcome.DENIED).count()
            response = getattr(client, method)(pages[name], data if method == "post" else None)
            assert response.status_code == 403, (name, method)
            assert AuditEvent.objects.filter(actor=reader, outcome=Outcome.DENIED).count() == before + 1, name
    standard.refresh_from_db()
    action.refresh_from_db()
    assert standard.title != "Changed" and Cycle.objects.count() == 1 and Action.objects.count() == 1
    assert action.status == "OPEN" and action.evidence == ""
    assert not Rating.objects.filter(assessment=s11.la_assessment).exclude(challenge="").exists()
    assert not Rating.objects.filter(assessment=s11.la_assessment, rag="RED").exists()


def test_a_named_professional_still_assesses_and_manages_actions_for_their_own_trust(client, s11):
    f.sign_in(client, s11.trust_assessor)
    url = reverse("section11:assessment", kwargs={"assessment": s11.trust_assessment.public_id})
    page = client.get(url).content.decode()
    assert "Save and submit" in page and "Add an action" in page
    response = client.post(
        reverse("section11:action-new", kwargs={"assessment": s11.trust_assessment.public_id}),
        {"description": "Trust task", "owner": "Named nurse", "due_on_0": "1", "due_on_1": "9", "due_on_2": "2026"},
    )
    assert response.status_code == 302
    assert Action.objects.get().assessment == s11.trust_assessment
