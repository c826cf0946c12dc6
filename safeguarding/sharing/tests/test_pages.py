"""The sharing pages as users see them: recording, the child's list and panel, the authority's list and counts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from safeguarding.audit.models import AuditEvent
from safeguarding.sharing import queries
from safeguarding.sharing.models import SharingDecision
from safeguarding.sharing.tests.factories import make_decision
from tests import factories as f

XSS = '<script>alert("x")</script>'


def _form(**overrides: str | list[str]) -> dict[str, str | list[str]]:
    today = timezone.localdate()
    data: dict[str, str | list[str]] = {
        "recipient_name": "Testperson Dsl",
        "recipient_role": "Designated safeguarding lead",
        "description": "The plan and who may collect the child",
        "categories": ["IDENTITY", "SOCIAL_CARE"],
        "decision": "SHARE",
        "reason": "To keep the child safe at school",
        "lawful_basis": "PUBLIC_TASK",
        "consent": "GIVEN",
        "decided_on_0": str(today.day),
        "decided_on_1": str(today.month),
        "decided_on_2": str(today.year),
    }
    return data | overrides


def _record_url(world) -> str:
    return reverse("sharing:record", kwargs={"public_id": world.child.public_id})


def test_the_allocated_worker_records_a_decision_and_sees_it(client, world):
    f.sign_in(client, world.allocated)
    data = _form(recipient_organisation=str(world.trust.public_id))
    response = client.post(_record_url(world), data)
    assert response.status_code == 302
    made = SharingDecision.objects.get()
    assert made.recipient_organisation == world.trust and made.person == world.child
    page = client.get(reverse("sharing:person", kwargs={"public_id": world.child.public_id}))
    assert b"Northbridge Hospitals NHS Trust" in page.content
    assert b"Public task: UK GDPR Article 6(1)(e)" in page.content
    detail = client.get(reverse("people:detail", kwargs={"public_id": world.child.public_id}))
    assert b'id="sharing"' in detail.content and b"The plan and who may collect the child" in detail.content


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"lawful_basis": ""}, "Select the lawful basis for sharing"),
        ({"categories": ["HEALTH"]}, "select the Article 9 condition"),
        ({"consent": "NOT_SOUGHT"}, "Say why consent was not sought"),
        ({"consent": "REFUSED"}, "Say why the information is shared although consent was refused"),
        ({"decision": "NOT_SHARE"}, "A decision not to share has no lawful basis"),
        ({"recipient_name": ""}, "Enter who the information is shared with"),
        ({"decided_on_0": "1", "decided_on_1": "1", "decided_on_2": "2020"}, "more than a day after it was made"),
    ],
)
def test_bad_combinations_are_shown_as_errors_and_nothing_is_written(client, world, overrides, message):
    f.sign_in(client, world.allocated)
    response = client.post(_record_url(world), _form(**overrides))
    assert response.status_code == 400
    assert "govuk-error-summary" in response.content.decode()
    assert message in response.content.decode()
    assert not SharingDecision.objects.exists()


def test_free_text_is_escaped(client, world):
    make_decision(world.child, world.allocated, description=XSS, reason=XSS, recipient_name=XSS, consent_reason=XSS)
    f.sign_in(client, world.manager)
    for url in (
        reverse("sharing:person", kwargs={"public_id": world.child.public_id}),
        reverse("people:detail", kwargs={"public_id": world.child.public_id}),
        reverse("sharing:authority"),
    ):
        body = client.get(url).content.decode()
        assert XSS not in body and "&lt;script&gt;" in body, url


@pytest.mark.parametrize("persona", ["other_team", "health_other", "other_la", "outsider", "auditor"])
def test_those_without_a_reason_to_open_the_child_cannot_record(client, world, persona):
    user = world.personas()[persona]
    f.sign_in(client, user)
    response = client.post(_record_url(world), _form())
    assert response.status_code in (403, 404)
    assert b"Testchild" not in response.content or b"emergency access" in response.content.lower()
    assert AuditEvent.objects.filter(actor=user, outcome="DENIED").exists()
    assert not SharingDecision.objects.exists()


def test_the_authority_list_is_refused_to_workers_and_auditors(client, world):
    make_decision(world.child, world.allocated)
    for user in (world.allocated, world.auditor, world.other_la_worker):
        f.sign_in(client, user)
        response = client.get(reverse("sharing:authority"))
        assert response.status_code == 403 and b"Testchild" not in response.content
        assert AuditEvent.objects.filter(actor=user, action="sharing.list.view", outcome="DENIED").exists()


def test_the_counts_are_for_managers_and_auditors_and_name_no_child(client, world):
    make_decision(world.child, world.allocated, recipient_organisation=world.trust)
    for user in (world.manager, world.auditor):
        f.sign_in(client, user)
        response = client.get(reverse("sharing:counts"))
        assert response.status_code == 200
        assert b"Northbridge Hospitals NHS Trust" in response.content and b"Testchild" not in response.content
        assert AuditEvent.objects.filter(actor=user, action="sharing.counts.view", outcome="ALLOWED").exists()
    for user in (world.allocated, world.other_la_worker, world.outsider):
        f.sign_in(client, user)
        assert client.get(reverse("sharing:counts")).status_code == 403


def test_counts_per_agency(world):
    school = f.make_org("Northbridge Primary School", "SCHOOL", school_urn="999001")
    make_decision(world.child, world.allocated, recipient_organisation=world.trust)
    make_decision(
        world.sibling,
        world.allocated,
        recipient_organisation=world.trust,
        lawful_basis="VITAL_INTERESTS",
        consent="NOT_SOUGHT",
        consent_reason="No time: the child was in danger",
    )
    make_decision(world.child, world.allocated, recipient_organisation=school, decision="NOT_SHARE", lawful_basis="")
    make_decision(world.child, world.allocated)  # a named person, no organisation
    other = f.make_person(world.other_la, given_name="Testother")
    make_decision(other, world.other_la_worker, recipient_organisation=world.trust)  # another authority's child
    counts = {c.agency: c for c in queries.counts_per_agency(world.la)}
    trust = counts["Northbridge Hospitals NHS Trust"]
    assert (trust.shared, trust.not_shared, trust.total) == (2, 0, 2)
    assert trust.by_basis == {"PUBLIC_TASK": 1, "VITAL_INTERESTS": 1}
    assert trust.by_consent == {"GIVEN": 1, "NOT_SOUGHT": 1}
    assert (counts["Northbridge Primary School"].shared, counts["Northbridge Primary School"].not_shared) == (0, 1)
    assert counts[queries.NO_ORGANISATION].shared == 1
    assert list(counts)[-1] == queries.NO_ORGANISATION


def test_the_authority_list_shows_only_children_the_manager_may_open_and_filters_by_agency(client, world):
    make_decision(world.child, world.allocated, recipient_organisation=world.trust)
    stranger = f.make_person(world.la, given_name="Testunrelated")  # nobody in the service is involved
    make_decision(stranger, world.allocated)
    f.sign_in(client, world.manager)
    response = client.get(reverse("sharing:authority"), {"agency": str(world.trust.public_id)})
    assert b"Testchild" in response.content and b"Testunrelated" not in response.content
    event = AuditEvent.objects.filter(action="sharing.list.view").latest("id")
    assert event.details["shown"] == [str(world.child.public_id)]


def test_the_child_page_query_count_does_not_grow_with_decisions(client, world):
    f.sign_in(client, world.allocated)
    url = reverse("sharing:person", kwargs={"public_id": world.child.public_id})
    make_decision(world.child, world.allocated)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(4):
        make_decision(world.child, world.allocated, recipient_organisation=world.trust)
    with CaptureQueriesContext(connection) as five:
        client.get(url)
    assert len(five) == len(one)


def test_special_category_data_is_shared_with_the_condition_ticked(client, world):
    f.sign_in(client, world.allocated)
    response = client.post(_record_url(world), _form(categories=["HEALTH"], special_condition="on"))
    assert response.status_code == 302
    assert SharingDecision.objects.get().special_condition == "SAFEGUARDING"
