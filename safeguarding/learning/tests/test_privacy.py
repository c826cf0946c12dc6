"""The children concerned: no list names them; inside a review only need-to-know shows who they are."""

from __future__ import annotations

import pytest
from django.urls import reverse

from safeguarding.access.models import InvolvementKind
from safeguarding.audit.models import AuditEvent, Outcome
from tests import factories as f

from .factories import make_incident

pytestmark = pytest.mark.django_db


def _page(incident):
    return reverse("learning:incident", args=[incident.public_id])


def test_a_partnership_manager_without_access_sees_a_restricted_child_and_no_name(client, world, pm):
    incident = make_incident(pm, children=[world.child])
    f.sign_in(client, pm)
    content = client.get(_page(incident)).content.decode()
    assert "a child (details restricted)" in content
    assert "Testchild" not in content and str(world.child.public_id) not in content
    assert world.child.nhs_number not in content
    # Nothing about the child was read, so nothing is logged against the child.
    assert not AuditEvent.objects.filter(person=world.child).exists()


def test_a_partnership_manager_with_access_to_the_child_sees_them_and_the_read_is_audited(client, world, pm):
    f.involve(world.child, user=pm, org=world.la, kind=InvolvementKind.ALLOCATED_WORKER, created_by=world.manager)
    incident = make_incident(pm, children=[world.child, world.sibling])
    f.sign_in(client, pm)
    content = client.get(_page(incident)).content.decode()
    assert "Testchild Example" in content
    assert "a child (details restricted)" in content  # the sibling: no access
    assert "Testsibling" not in content
    read = AuditEvent.objects.get(person=world.child)
    assert (read.action, read.outcome, read.details["incident"]) == (
        "learning.incident.child.view",
        Outcome.ALLOWED,
        str(incident.public_id),
    )


def test_a_restricted_record_stays_hidden_without_named_access(client, world, pm):
    f.involve(world.child, user=pm, org=world.la, kind=InvolvementKind.ALLOCATED_WORKER, created_by=world.manager)
    world.child.is_restricted = True
    world.child.save(update_fields=["is_restricted"])
    incident = make_incident(pm, children=[world.child])
    f.sign_in(client, pm)
    content = client.get(_page(incident)).content.decode()
    assert "Testchild" not in content and "a child (details restricted)" in content


def test_no_list_names_a_child_even_to_someone_with_access(client, world, pm):
    f.involve(world.child, user=pm, org=world.la, kind=InvolvementKind.ALLOCATED_WORKER, created_by=world.manager)
    make_incident(pm, children=[world.child])
    f.sign_in(client, pm)
    for name in ("learning:list", "learning:actions"):
        assert "Testchild" not in client.get(reverse(name)).content.decode()
    assert not AuditEvent.objects.filter(person=world.child).exists()


def test_the_incidents_audit_rows_do_not_name_the_child(world, pm):
    make_incident(pm, children=[world.child])
    row = AuditEvent.objects.get(action="learning.incident.recorded")
    assert row.person is None and row.details == {"children": 1}
    assert str(world.child.public_id) not in str(row.details)
