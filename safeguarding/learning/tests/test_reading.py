"""Readers of the learning work (VIEW_PARTNERSHIP: partnership members, designated and named professionals):
they read the incidents, reviews and actions, are refused every form and change, and see a linked child only
when need-to-know allows, exactly as a partnership manager does."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from safeguarding.access.models import InvolvementKind
from safeguarding.accounts.roles import Role
from safeguarding.audit.models import AuditEvent, Outcome
from safeguarding.learning import services
from safeguarding.learning.codes import ActionStatus
from safeguarding.learning.models import Action, Recommendation, SeriousIncident
from tests import factories as f

from .factories import make_incident

pytestmark = pytest.mark.django_db

READABLE = ("learning:list", "learning:actions", "learning:incident")


@pytest.fixture(params=["member", "named"])
def reader(request, world):
    if request.param == "member":
        return f.make_user("mem", org=world.la, role=Role.PARTNERSHIP_MEMBER, first_name="Meg", last_name="Member")
    return f.make_user("nina", org=world.trust, role=Role.NAMED_PROFESSIONAL, first_name="Nina", last_name="Named")


@pytest.fixture
def review(world, pm):
    incident = make_incident(pm, to="reviewed", children=[world.child])
    now, p = timezone.now(), f.principal_for(pm)
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
    return incident, rec, action


def _pages(incident, rec, action) -> dict[str, str]:
    i = incident.public_id
    return {
        "learning:list": reverse("learning:list"),
        "learning:actions": reverse("learning:actions"),
        "learning:incident": reverse("learning:incident", args=[i]),
        "learning:new": reverse("learning:new"),
        "learning:step": reverse("learning:step", args=[i, "finding"]),
        "learning:action-new": reverse("learning:action-new", args=[i, rec.public_id]),
        "learning:action-update": reverse("learning:action-update", args=[i, action.public_id]),
    }


def test_a_reader_reads_the_incidents_the_review_and_the_actions(client, reader, review):
    f.sign_in(client, reader)
    pages = _pages(*review)
    for name in READABLE:
        before = AuditEvent.objects.filter(actor=reader, outcome=Outcome.ALLOWED).count()
        response = client.get(pages[name])
        assert response.status_code == 200, name
        assert b"SI-1" in response.content, name
        assert AuditEvent.objects.filter(actor=reader, outcome=Outcome.ALLOWED).count() > before, name
    page = client.get(pages["learning:incident"]).content.decode()
    assert "Share records" in page and "Audit sharing" in page
    for text in ("Record a serious incident", "Add a finding", "Add a recommendation", "Add an action", "Record<"):
        assert text not in page and text not in client.get(pages["learning:list"]).content.decode(), text
    for name in ("learning:step", "learning:action-new", "learning:action-update"):
        assert pages[name] not in page and pages[name] not in client.get(pages["learning:actions"]).content.decode()


def test_every_form_and_post_by_a_reader_is_refused_audited_and_changes_nothing(client, world, reader, review):
    incident, rec, action = review
    pages = _pages(*review)
    today = timezone.localdate()
    date = {"_0": str(today.day), "_1": str(today.month), "_2": str(today.year)}
    posts = {
        "learning:new": {"reference": "SI-R", "summary": "x"} | {f"aware_on{k}": v for k, v in date.items()},
        "learning:step": {"pattern": "TOOLS", "statement": "x", "evidence": "y"},
        "learning:action-new": {"description": "x", "owner_organisation": world.la.pk, "owner_name": "x"}
        | {f"due_on{k}": v for k, v in date.items()},
        "learning:action-update": {"status": "DONE", "evidence": "e"}
        | {f"completed_on{k}": v for k, v in date.items()},
    }
    f.sign_in(client, reader)
    for name, data in posts.items():
        for method in ("get", "post"):
            before = AuditEvent.objects.filter(actor=reader, outcome=Outcome.DENIED).count()
            response = getattr(client, method)(pages[name], data if method == "post" else None)
            assert response.status_code == 403, (name, method)
            assert b"Only the partnership manager can change" in response.content
            assert AuditEvent.objects.filter(actor=reader, outcome=Outcome.DENIED).count() == before + 1
    assert SeriousIncident.objects.count() == 1 and not incident.findings.exists()
    assert Action.objects.count() == 1 and Recommendation.objects.count() == 1
    assert Action.objects.get().status == ActionStatus.OPEN


def test_a_reader_sees_a_linked_child_only_through_need_to_know(client, world, reader, review):
    incident = review[0]
    f.sign_in(client, reader)
    page = client.get(reverse("learning:incident", args=[incident.public_id])).content.decode()
    assert "a child (details restricted)" in page and "Testchild" not in page
    assert not AuditEvent.objects.filter(person=world.child).exists()
    org = reader.memberships.get().organisation  # involved as the world's health visitor and social worker are
    kind = InvolvementKind.ALLOCATED_WORKER if org == world.la else InvolvementKind.PARTNER_PROFESSIONAL
    f.involve(world.child, user=reader, org=org, kind=kind, created_by=world.manager)
    page = client.get(reverse("learning:incident", args=[incident.public_id])).content.decode()
    assert "Testchild Example" in page
    read = AuditEvent.objects.get(person=world.child)
    assert (read.action, read.outcome, read.actor) == ("learning.incident.child.view", Outcome.ALLOWED, reader)


def test_a_reader_of_another_partnership_may_not_know_the_incident_exists(client, world, review):
    other = f.make_user("sue", org=world.other_la, role=Role.PARTNERSHIP_MEMBER)
    f.sign_in(client, other)
    response = client.get(reverse("learning:incident", args=[review[0].public_id]))
    assert response.status_code == 404 and b"SI-1" not in response.content
    assert b"SI-1" not in client.get(reverse("learning:list")).content
