"""Readers (VIEW_PARTNERSHIP without MANAGE_PARTNERSHIP): they see every partnership page and change nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from safeguarding.accounts.roles import Role
from safeguarding.audit.models import AuditEvent, Outcome
from safeguarding.partnership.models import AccountableRole, RoleHolding, TrainingRecord
from tests import factories as f

from .test_pages import FORM_PAGES, urls

D = dt.date


@pytest.fixture
def member(world):
    """A partnership member in the council: reads the partnership's work."""
    return f.make_user("mem", org=world.la, role=Role.PARTNERSHIP_MEMBER, first_name="Meg", last_name="Member")


@pytest.fixture(params=["member", "designated"])
def reader(request, area, member):
    return member if request.param == "member" else area.designated


def test_a_reader_sees_every_page_that_shows_partnership_data_and_each_view_is_audited(client, reader, holding):
    f.sign_in(client, reader)
    for name, url in urls(holding).items():
        if name in FORM_PAGES:
            continue
        before = AuditEvent.objects.filter(actor=reader, outcome=Outcome.ALLOWED).count()
        assert client.get(url).status_code == 200, name
        assert AuditEvent.objects.filter(actor=reader, outcome=Outcome.ALLOWED).count() == before + 1, name
    assert b"Lado Testholder" in client.get(reverse("partnership:register")).content


def test_a_reader_is_shown_no_change_link_or_button(client, reader, holding):
    f.sign_in(client, reader)
    role = client.get(reverse("partnership:role", kwargs={"role": holding.role.public_id})).content.decode()
    assert "Record a holder" not in role and reverse("partnership:holding-end", args=[holding.public_id]) not in role
    register = client.get(reverse("partnership:register")).content.decode()
    assert "Add a local role" not in register
    training = client.get(reverse("partnership:training")).content.decode()
    assert "Record training" not in training and "Import training records" not in training
    dashboard = client.get(reverse("partnership:dashboard")).content.decode()
    assert "only the partnership manager changes it" in dashboard


def test_every_post_by_a_reader_is_refused_audited_and_changes_nothing(client, reader, holding, area, world):
    f.sign_in(client, reader)
    role = AccountableRole.objects.get(code="designated-nurse")
    posts = {
        "partnership:role-new": (
            reverse("partnership:role-new"),
            {"name": "Prevent lead", "responsibilities": "Leads", "scope": "AREA", "is_statutory": "on"},
        ),
        "partnership:holding-new": (
            reverse("partnership:holding-new", kwargs={"role": role.public_id}),
            {"holder_name": "Someone", "organisation": area.icb.pk, "starts_on_0": "1", "starts_on_1": "7"}
            | {"starts_on_2": "2022", "note": "Minutes"},
        ),
        "partnership:holding-end": (
            reverse("partnership:holding-end", kwargs={"holding": holding.public_id}),
            {"ends_on_0": "1", "ends_on_1": "1", "ends_on_2": "2024"},
        ),
        "partnership:training-new": (
            reverse("partnership:training-new"),
            {"course": "Level 3", "completed_on_0": "1", "completed_on_1": "1", "completed_on_2": "2025"},
        ),
        "partnership:training-import": (reverse("partnership:training-import"), {}),
    }
    assert set(posts) == FORM_PAGES
    roles, holdings, records = (
        AccountableRole.objects.count(),
        RoleHolding.objects.count(),
        TrainingRecord.objects.count(),
    )
    for name, (url, data) in posts.items():
        before = AuditEvent.objects.filter(actor=reader, outcome=Outcome.DENIED).count()
        assert client.post(url, data).status_code == 403, name
        assert AuditEvent.objects.filter(actor=reader, outcome=Outcome.DENIED).count() == before + 1, name
    assert (AccountableRole.objects.count(), RoleHolding.objects.count(), TrainingRecord.objects.count()) == (
        roles,
        holdings,
        records,
    )
    holding.refresh_from_db()
    assert holding.ends_on is None


def test_a_reader_of_another_partnership_sees_only_their_own(client, world, holding):
    southmere = f.make_user("sue", org=world.other_la, role=Role.PARTNERSHIP_MEMBER)
    f.sign_in(client, southmere)
    page = client.get(reverse("partnership:register"))
    assert page.status_code == 200 and b"Southmere" in page.content and b"Lado Testholder" not in page.content
    assert client.get(reverse("partnership:role", kwargs={"role": holding.role.public_id})).status_code == 200
    assert b"Lado Testholder" not in client.get(reverse("partnership:role", args=[holding.role.public_id])).content
