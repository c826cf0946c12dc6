"""Creating and changing records through the pages, as each persona."""

from __future__ import annotations

import pytest
from django.urls import reverse

from safeguarding.access.models import BreakGlass, NamedAccess
from safeguarding.audit.models import AuditEvent
from safeguarding.people.models import Address, Person, PersonName, Relationship
from tests import factories as f

XSS = '"><svg onload=alert(1)>'


def create_data(**overrides):
    data = {
        "kind": "CHILD",
        "given_name": "Newchild",
        "family_name": "Testcase",
        "date_of_birth_0": "3",
        "date_of_birth_1": "4",
        "date_of_birth_2": "2019",
        "sex": "F",
        "ethnicity": "NOBT",
        "nhs_number": "",
    }
    data.update(overrides)
    return data


def test_a_social_worker_creates_a_record_and_can_open_it(client, world):
    f.sign_in(client, world.allocated)
    response = client.post(reverse("people:create"), create_data(line_1="1 Test Street", postcode="ab1 2cd"))
    person = Person.objects.get(given_name="Newchild")
    assert response.status_code == 302 and response["Location"] == reverse("people:detail", args=[person.public_id])
    assert person.local_authority == world.la
    assert Address.objects.get(person=person).postcode == "AB1 2CD"
    assert AuditEvent.objects.filter(action="person.created", person=person, actor=world.allocated).exists()
    assert client.get(response["Location"]).status_code == 200


def test_it_warns_of_a_probable_duplicate_and_needs_confirmation(client, world):
    f.sign_in(client, world.allocated)
    data = create_data(
        given_name="Testchild", family_name="Example", date_of_birth_0="14", date_of_birth_1="3", date_of_birth_2="2016"
    )
    before = Person.objects.count()
    response = client.post(reverse("people:create"), data)
    assert response.status_code == 400
    assert b"Possible matches" in response.content and b"Testchild Example" in response.content
    assert Person.objects.count() == before
    response = client.post(reverse("people:create"), {**data, "confirmed_new": "on"})
    assert response.status_code == 302 and Person.objects.count() == before + 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("nhs_number", "9990123455", b"check digit"),
        ("nhs_number", "999012345", b"10 digits"),
        ("nhs_number", "99901234AB", b"only numbers"),
        ("nhs_number", "0000000000", b"reserved"),
        ("date_of_birth_0", "31", b"real date"),
        ("given_name", "x" * 101, b"at most 100 characters"),
        ("sex", "Q", b"Select a valid choice"),
    ],
)
def test_bad_input_gets_a_clear_error_and_changes_nothing(client, world, field, value, message):
    f.sign_in(client, world.allocated)
    data = create_data(**{field: value})
    if field == "date_of_birth_0":
        data["date_of_birth_1"] = "2"
    before = (Person.objects.count(), AuditEvent.objects.filter(action="person.created").count())
    response = client.post(reverse("people:create"), data)
    assert response.status_code == 400
    assert message in response.content
    assert (Person.objects.count(), AuditEvent.objects.filter(action="person.created").count()) == before


def test_a_future_date_of_birth_is_refused(client, world):
    f.sign_in(client, world.allocated)
    response = client.post(reverse("people:create"), create_data(date_of_birth_2="2099"))
    assert response.status_code == 400 and b"today or in the past" in response.content
    assert not Person.objects.filter(given_name="Newchild").exists()


def test_typed_text_is_shown_back_escaped(client, world):
    f.sign_in(client, world.allocated)
    response = client.post(reverse("people:create"), create_data(given_name=XSS, nhs_number="123"))
    assert response.status_code == 400
    assert XSS.encode() not in response.content
    assert b"&quot;&gt;&lt;svg onload=alert(1)&gt;" in response.content


@pytest.mark.parametrize("persona", ["health", "auditor", "admin"])
def test_roles_that_cannot_create_records_are_refused(client, world, persona):
    f.sign_in(client, world.personas()[persona])
    response = client.post(reverse("people:create"), create_data())
    assert response.status_code == 403
    assert not Person.objects.filter(given_name="Newchild").exists()
    assert AuditEvent.objects.filter(action="person.create", outcome="DENIED").exists()


def test_editing_keeps_the_old_name_as_a_previous_name(client, world):
    f.sign_in(client, world.allocated)
    url = reverse("people:edit", args=[world.child.public_id])
    data = create_data(
        given_name="Renamed",
        family_name="Example",
        date_of_birth_0="14",
        date_of_birth_1="3",
        date_of_birth_2="2016",
        nhs_number=world.child.nhs_number,
    )
    assert client.post(url, data).status_code == 302
    world.child.refresh_from_db()
    assert world.child.given_name == "Renamed"
    assert PersonName.objects.filter(person=world.child, kind="PREVIOUS", given_name="Testchild").exists()


def test_an_invalid_edit_changes_nothing(client, world):
    f.sign_in(client, world.allocated)
    url = reverse("people:edit", args=[world.child.public_id])
    response = client.post(url, create_data(given_name="Renamed", nhs_number="1234567890"))
    assert response.status_code == 400
    world.child.refresh_from_db()
    assert world.child.given_name == "Testchild"
    assert not AuditEvent.objects.filter(action="person.updated").exists()


@pytest.mark.parametrize("persona", ["health", "other_team", "other_la", "outsider"])
def test_people_who_may_not_edit_are_refused_and_audited(client, world, persona):
    f.sign_in(client, world.personas()[persona])
    url = reverse("people:edit", args=[world.child.public_id])
    response = client.post(url, create_data(given_name="Renamed"))
    assert response.status_code in (403, 404)
    world.child.refresh_from_db()
    assert world.child.given_name == "Testchild"
    assert AuditEvent.objects.filter(actor=world.personas()[persona], outcome="DENIED").exists()


def test_adding_an_address_ends_the_previous_one(client, world):
    f.sign_in(client, world.allocated)
    url = reverse("people:address-add", args=[world.child.public_id])
    assert client.post(url, {"line_1": "1 First Road", "postcode": "AB1 2CD"}).status_code == 302
    assert client.post(url, {"line_1": "2 Second Road", "postcode": "AB1 3CD"}).status_code == 302
    current = Address.objects.filter(person=world.child, valid_to__isnull=True)
    assert [a.line_1 for a in current] == ["2 Second Road"]
    assert client.post(url, {"line_1": "3 Bad Road", "postcode": "NOT A POSTCODE"}).status_code == 400
    assert not Address.objects.filter(line_1="3 Bad Road").exists()


def test_adding_an_alias_makes_the_person_findable_by_it(client, world):
    f.sign_in(client, world.allocated)
    url = reverse("people:name-add", args=[world.child.public_id])
    assert client.post(url, {"kind": "ALIAS", "given_name": "Tess", "family_name": "Sample"}).status_code == 302
    response = client.get(reverse("people:search"), {"name": "Tess Sample"})
    assert b"Testchild Example" in response.content


def test_a_relationship_to_a_new_person_is_recorded_both_ways(client, world):
    f.sign_in(client, world.allocated)
    url = reverse("people:relationship-add", args=[world.child.public_id])
    response = client.post(
        url,
        {
            "type": "GRANDPARENT",
            "direction": "OTHER_IS",
            "new_given_name": "Testgran",
            "new_family_name": "Example",
            "new_kind": "ADULT",
        },
    )
    assert response.status_code == 302
    gran = Person.objects.get(given_name="Testgran")
    assert Relationship.objects.filter(from_person=gran, to_person=world.child, type="GRANDPARENT").exists()
    assert b"Testgran" in client.get(reverse("people:detail", args=[world.child.public_id])).content


def test_a_relationship_to_an_existing_person_found_by_search(client, world):
    f.involve(world.parent, user=world.allocated, created_by=world.manager)
    f.sign_in(client, world.allocated)
    url = reverse("people:relationship-add", args=[world.child.public_id])
    page = client.get(url, {"q": "Testparent Example"})
    assert f"other={world.parent.public_id}".encode() in page.content
    response = client.post(url, {"type": "PARENT", "direction": "OTHER_IS", "other": str(world.parent.public_id)})
    assert response.status_code == 302
    assert Relationship.objects.filter(from_person=world.parent, to_person=world.child, type="PARENT").exists()


def test_a_relationship_to_a_record_the_user_cannot_open_is_refused(client, world):
    stranger = f.make_person(world.la, given_name="Teststranger", family_name="Example")
    f.sign_in(client, world.allocated)
    url = reverse("people:relationship-add", args=[world.child.public_id])
    response = client.post(url, {"type": "PARENT", "direction": "OTHER_IS", "other": str(stranger.public_id)})
    assert response.status_code == 403
    assert not Relationship.objects.filter(from_person=stranger).exists()


def test_a_team_manager_merges_a_duplicate_and_nothing_is_lost(client, world):
    duplicate = f.make_person(world.la, given_name="Testchild", family_name="Exampel", date_of_birth=None)
    f.involve(duplicate, team=world.team_a, created_by=world.manager)
    Address.objects.create(person=duplicate, line_1="9 Dup Lane", postcode="AB1 9ZZ")
    f.sign_in(client, world.manager)
    url = reverse("people:merge", args=[world.child.public_id])
    response = client.post(url, {"duplicate": str(duplicate.public_id), "reason": "Same child, misspelt surname"})
    assert response.status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.merged_into == world.child
    assert Address.objects.filter(person=world.child, line_1="9 Dup Lane").exists()
    assert PersonName.objects.filter(person=world.child, kind="ALIAS", family_name="Exampel").exists()
    assert AuditEvent.objects.filter(action="person.merged", person=duplicate).exists()


def test_a_social_worker_cannot_merge(client, world):
    duplicate = f.make_person(world.la, given_name="Testchild", family_name="Exampel")
    f.sign_in(client, world.allocated)
    url = reverse("people:merge", args=[world.child.public_id])
    response = client.post(url, {"duplicate": str(duplicate.public_id), "reason": "Same child"})
    assert response.status_code == 403
    duplicate.refresh_from_db()
    assert duplicate.merged_into is None


def test_break_glass_opens_the_record_for_a_limited_time_and_alerts_auditors(client, world):
    f.sign_in(client, world.other_team)
    detail = reverse("people:detail", args=[world.child.public_id])
    assert client.get(detail).status_code == 403
    url = reverse("access:break-glass", args=[world.child.public_id])
    page = client.get(url)
    assert page.status_code == 200 and b"Access lasts 60 minutes" in page.content
    assert client.post(url, {"reason_code": "EMERGENCY", "reason": "short"}).status_code == 400
    response = client.post(url, {"reason_code": "EMERGENCY", "reason": "Police called about the child tonight"})
    assert response.status_code == 302
    assert client.get(detail).status_code == 200
    grant = BreakGlass.objects.get(user=world.other_team)
    assert grant.alerts.filter(organisation=world.la).exists()


@pytest.mark.parametrize("persona", ["other_la", "outsider", "auditor"])
def test_break_glass_is_not_offered_to_those_who_may_not_use_it(client, world, persona):
    f.sign_in(client, world.personas()[persona])
    url = reverse("access:break-glass", args=[world.child.public_id])
    response = client.post(url, {"reason_code": "EMERGENCY", "reason": "Police called about the child tonight"})
    assert response.status_code in (403, 404)
    assert not BreakGlass.objects.exists()


def test_a_manager_restricts_a_record_and_names_a_colleague(client, world):
    f.sign_in(client, world.manager)
    url = reverse("access:restrict", args=[world.child.public_id])
    assert client.post(url, {"reason": "Placed for adoption"}).status_code == 302
    world.child.refresh_from_db()
    assert world.child.is_restricted
    f.sign_in(client, world.colleague)
    assert client.get(reverse("people:detail", args=[world.child.public_id])).status_code in (403, 404)
    f.sign_in(client, world.manager)
    url = reverse("access:named-access", args=[world.child.public_id])
    response = client.post(url, {"user": str(world.colleague.public_id), "reason": "Covering the case"})
    assert response.status_code == 302
    assert NamedAccess.objects.filter(person=world.child, user=world.colleague).exists()
    f.sign_in(client, world.colleague)
    assert client.get(reverse("people:detail", args=[world.child.public_id])).status_code == 200


def test_a_social_worker_cannot_restrict(client, world):
    f.sign_in(client, world.allocated)
    response = client.post(reverse("access:restrict", args=[world.child.public_id]), {"reason": "No"})
    assert response.status_code == 403
    world.child.refresh_from_db()
    assert not world.child.is_restricted
