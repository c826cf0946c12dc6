"""Merging a duplicate record into another (people:merge): team managers only, nothing is lost."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from safeguarding.access.models import Involvement
from safeguarding.audit.models import AuditEvent
from safeguarding.chronology import services as chronology
from safeguarding.chronology.models import ChronologyEntry
from safeguarding.people.models import Address, MergeRecord, Person, PersonName, Relationship
from tests import factories as f

XSS = '"><svg onload=alert(1)>'
ESCAPED_XSS = b"&quot;&gt;&lt;svg onload=alert(1)&gt;"
REFUSED = {
    "allocated": 403,
    "colleague": 403,
    "health": 403,
    "other_team": 403,
    "health_other": 403,
    "auditor": 403,
    "admin": 403,
    "other_la": 404,
    "outsider": 404,
}


@pytest.fixture
def duplicate(world):
    """A second record of the child: same date of birth, misspelt surname, with a history of its own."""
    dup = f.make_person(world.la, given_name="Testchild", family_name="Exampel", date_of_birth=dt.date(2016, 3, 14))
    f.involve(dup, team=world.team_a, kind="TEAM", created_by=world.manager)
    Address.objects.create(person=dup, line_1="9 Dup Lane", postcode="AB1 9ZZ", valid_from=dt.date(2021, 1, 1))
    Relationship.objects.create(from_person=world.parent, to_person=dup, type="PARENT")
    now = timezone.now()
    chronology.add_entry(
        person=dup,
        principal=None,
        occurred_on=dt.date(2022, 2, 2),
        category="Contact",
        summary="Referral from school",
        source_type="test",
        source_id="1",
        now=now,
    )
    return dup


@pytest.fixture
def url(world):
    return reverse("people:merge", args=[world.child.public_id])


def test_the_page_offers_probable_duplicates_the_manager_may_open(client, world, url, duplicate):
    f.sign_in(client, world.manager)
    page = client.get(url)
    assert page.status_code == 200
    assert b"Possible duplicates" in page.content and b"Testchild Exampel" in page.content
    assert b"Similar name and same date of birth" in page.content
    assert f"?duplicate={duplicate.public_id}".encode() in page.content
    check = AuditEvent.objects.get(action="person.merge.candidates", actor=world.manager)
    assert check.person == world.child and check.details["shown"] == [str(duplicate.public_id)]


def test_a_duplicate_can_be_found_by_search(client, world, url, duplicate):
    f.sign_in(client, world.manager)
    page = client.get(url, {"find-name": "Exampel"})
    assert f"?duplicate={duplicate.public_id}".encode() in page.content


def test_the_two_records_are_shown_side_by_side_before_merging(client, world, url, duplicate):
    f.sign_in(client, world.manager)
    page = client.get(url, {"duplicate": str(duplicate.public_id)})
    assert page.status_code == 200
    assert b"This record (kept)" in page.content and b"Duplicate (merged into it)" in page.content
    assert b"Testchild Exampel" in page.content and b"Merge records" in page.content
    assert AuditEvent.objects.filter(action="person.merge.duplicate", person=duplicate, outcome="ALLOWED").exists()


def test_a_team_manager_merges_a_duplicate_and_nothing_is_lost(client, world, url, duplicate):
    f.sign_in(client, world.allocated)
    client.get(reverse("people:detail", args=[duplicate.public_id]))  # an audit row on the duplicate
    earlier = set(AuditEvent.objects.filter(person__in=[world.child, duplicate]).values_list("id", flat=True))
    f.sign_in(client, world.manager)
    reason = "Same child: NHS number and date of birth match, surname misspelt"
    response = client.post(url, {"duplicate": str(duplicate.public_id), "reason": reason})
    assert response.status_code == 302
    assert response["Location"] == reverse("people:detail", args=[world.child.public_id])
    duplicate.refresh_from_db()
    assert duplicate.merged_into == world.child
    assert Person.objects.filter(pk=duplicate.pk).exists()  # kept, not deleted
    assert Address.objects.filter(person=world.child, line_1="9 Dup Lane").exists()
    assert Relationship.objects.filter(from_person=world.parent, to_person=world.child, type="PARENT").exists()
    assert ChronologyEntry.objects.filter(person=world.child, summary="Referral from school").exists()
    assert Involvement.objects.filter(person=world.child, team=world.team_a, kind="TEAM").count() == 2
    assert PersonName.objects.filter(person=world.child, kind="ALIAS", family_name="Exampel").exists()
    assert MergeRecord.objects.get(survivor=world.child, duplicate=duplicate, merged_by=world.manager).reason == reason
    assert earlier <= set(AuditEvent.objects.values_list("id", flat=True))  # both audit trails survive
    assert AuditEvent.objects.filter(person=duplicate, actor=world.allocated, action="person.view").exists()
    for subject in (world.child, duplicate):
        assert AuditEvent.objects.filter(action="person.merged", person=subject, reason=reason).exists()
    assert b"Exampel" in client.get(reverse("people:search"), {"name": "Testchild Exampel"}).content


@pytest.mark.parametrize("persona", sorted(REFUSED))
def test_only_team_managers_may_merge(client, world, url, duplicate, persona):
    user = world.personas()[persona]
    f.sign_in(client, user)
    data = {"duplicate": str(duplicate.public_id), "reason": "Same child"}
    for response in (client.get(url), client.post(url, data)):
        assert response.status_code == REFUSED[persona]
    if persona in {"allocated", "colleague", "health"}:  # they may open the record, not merge it
        assert b"Only a team manager can merge duplicate records" in response.content
    duplicate.refresh_from_db()
    assert duplicate.merged_into is None
    assert not MergeRecord.objects.exists()
    assert AuditEvent.objects.filter(actor=user, outcome="DENIED").count() == 2


def test_a_duplicate_the_manager_cannot_open_cannot_be_merged(client, world, url):
    stranger = f.make_person(
        world.la, given_name="Testchild", family_name="Example", date_of_birth=dt.date(2016, 3, 14)
    )
    f.sign_in(client, world.manager)
    page = client.get(url)
    assert b"You cannot open this record" in page.content
    assert f"duplicate={stranger.public_id}".encode() not in page.content
    response = client.post(url, {"duplicate": str(stranger.public_id), "reason": "Same child"})
    assert response.status_code == 403
    stranger.refresh_from_db()
    assert stranger.merged_into is None
    assert AuditEvent.objects.filter(actor=world.manager, person=stranger, outcome="DENIED").exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"reason": "Same child"}, b"Choose the duplicate record"),
        ({"reason": ""}, b"Enter why you are sure these records are the same person"),
        ({"reason": "x" * 2001}, b"must be 2,000 characters or fewer"),
        ({"reason": "Same\x07child"}, b"must not contain hidden control characters"),
    ],
)
def test_bad_input_gets_a_clear_error_and_merges_nothing(client, world, url, duplicate, data, message):
    f.sign_in(client, world.manager)
    if "duplicate" not in data and data["reason"] != "Same child":
        data = {**data, "duplicate": str(duplicate.public_id)}
    response = client.post(url, data)
    assert response.status_code == 400
    assert message in response.content
    duplicate.refresh_from_db()
    assert duplicate.merged_into is None
    assert not AuditEvent.objects.filter(action="person.merged").exists()


def test_a_reason_over_several_lines_is_accepted(client, world, url, duplicate):
    f.sign_in(client, world.manager)
    response = client.post(url, {"duplicate": str(duplicate.public_id), "reason": "Same child.\r\nChecked NHS."})
    assert response.status_code == 302


def test_a_record_cannot_be_merged_into_itself(client, world, url):
    f.sign_in(client, world.manager)
    response = client.post(url, {"duplicate": str(world.child.public_id), "reason": "Same"})
    assert response.status_code == 400
    assert b"Choose two different records" in response.content


def test_the_reason_is_shown_back_escaped(client, world, url, duplicate):
    f.sign_in(client, world.manager)
    response = client.post(url, {"duplicate": str(duplicate.public_id), "reason": XSS + "\x01"})
    assert response.status_code == 400
    assert XSS.encode() not in response.content and ESCAPED_XSS in response.content
