"""A child's details inside an audit: shown only to those whom need-to-know allows, and only while it runs."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from safeguarding.audit.models import AuditEvent, Outcome
from safeguarding.caseaudits import services
from tests import factories as f

from .factories import NOW, ago, assign, case_of, grade_all, make_audit

pytestmark = pytest.mark.django_db


@pytest.fixture
def running(ca, world):
    """An audit sampled ten days ago with the police lead auditing world.child's case."""
    then = NOW - dt.timedelta(days=10)
    audit = make_audit(ca.pm, sample_size=6, to_on=ago(11))
    services.draw_sample(audit_=audit, principal=f.principal_for(ca.pm), now=then, seed=5)
    case = case_of(audit, world.child)
    assignment = assign(ca.pm, case, ca.police_lead, now=then)
    return audit, case, assignment


def _pages(audit, case):
    return [
        reverse("caseaudits:audit", args=[audit.public_id]),
        reverse("caseaudits:case", args=[audit.public_id, case.public_id]),
        reverse("caseaudits:themes", args=[audit.public_id]),
    ]


def test_the_partnership_manager_sees_case_references_and_never_a_childs_details(client, ca, world, running):
    audit, case, _ = running
    f.sign_in(client, ca.pm)
    for url in _pages(audit, case):
        content = client.get(url).content.decode()
        assert "Testchild" not in content and "SampleA" not in content
        assert str(world.child.public_id) not in content and world.child.nhs_number not in content
    assert case.reference in client.get(_pages(audit, case)[0]).content.decode()
    assert not AuditEvent.objects.filter(action="caseaudits.case.child.view").exists()


def test_the_assigned_auditor_sees_the_child_and_the_read_is_audited_with_the_case(client, ca, world, running):
    audit, case, _ = running
    f.sign_in(client, ca.police_lead)
    content = client.get(_pages(audit, case)[1]).content.decode()
    assert "Testchild Example" in content and f"/people/{world.child.public_id}" in content
    read = AuditEvent.objects.get(action="caseaudits.case.child.view", actor=ca.police_lead)
    assert (read.person, read.outcome, read.details["case"]) == (world.child, Outcome.ALLOWED, case.reference)
    # And they can open the child's record itself, through the ordinary page, for the audit's duration.
    assert client.get(reverse("people:detail", args=[world.child.public_id])).status_code == 200
    # Their list of cases to audit shows the reference, never the name.
    home = client.get(reverse("caseaudits:home")).content.decode()
    assert case.reference in home and "Testchild" not in home


def test_a_reader_sees_only_the_children_they_work_with(client, ca, world, running):
    audit, case, _ = running
    f.sign_in(client, ca.named)
    content = client.get(_pages(audit, case)[0]).content.decode()
    assert "Testchild" not in content
    # world.health works with world.child; a named professional of the same trust who is involved sees the name.
    from safeguarding.access.models import InvolvementKind

    f.involve(world.child, user=ca.named, org=world.trust, kind=InvolvementKind.PARTNER_PROFESSIONAL)
    content = client.get(_pages(audit, case)[0]).content.decode()
    assert "Testchild Example" in content and "SampleA" not in content


def test_closing_the_audit_ends_the_auditors_view_of_the_child(client, ca, world, running):
    audit, case, assignment = running
    grade_all(assignment, "Good")
    services.close_audit(audit_=audit, principal=f.principal_for(ca.pm), now=NOW, summary="Good")
    f.sign_in(client, ca.police_lead)
    content = client.get(_pages(audit, case)[1]).content.decode()
    assert "Testchild" not in content and "Shown only to people who can open the child" in content
    assert client.get(reverse("people:detail", args=[world.child.public_id])).status_code in (403, 404)
    assert AuditEvent.objects.filter(actor=ca.police_lead, person=world.child, outcome=Outcome.DENIED).exists()


def test_a_restricted_record_is_never_shown_even_to_someone_involved(client, ca, world, running):
    audit, case, _ = running
    world.child.is_restricted = True
    world.child.save(update_fields=["is_restricted"])
    f.sign_in(client, ca.police_lead)
    assert "Testchild" not in client.get(_pages(audit, case)[1]).content.decode()
