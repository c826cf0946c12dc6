"""Changing a person's details (people:edit), and who may use each page that changes a record.

Editing needs the CREATE_PERSON capability AND access to the record: the health partner may open the
child's record but may not change it.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from safeguarding.audit.models import AuditEvent
from safeguarding.people.models import Address, Person, PersonName, Relationship
from tests import factories as f

XSS = '"><svg onload=alert(1)>'
ESCAPED_XSS = b"&quot;&gt;&lt;svg onload=alert(1)&gt;"
CHANGE_PAGES = ["people:edit", "people:address-add", "people:name-add", "people:relationship-add"]
WRITES = ("person.updated", "person.name-added", "person.address-added", "person.relationship-added", "person.created")
# Personas who may open the record but not change it, and those refused the record itself (403: they may
# know it exists; 404: they may not).
REFUSED = {
    "other_team": 403,
    "health_other": 403,
    "auditor": 403,
    "admin": 403,
    "other_la": 404,
    "outsider": 404,
}
CHANGE_REFUSAL = "Your role can read this record but cannot change it"


def date_parts(name: str, day: dt.date) -> dict[str, str]:
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


def edit_data(world, **overrides):
    child = world.child
    data = {
        "kind": "CHILD",
        "given_name": child.given_name,
        "family_name": child.family_name,
        **date_parts("date_of_birth", child.date_of_birth),
        "sex": "U",
        "ethnicity": "NOBT",
        "nhs_number": child.nhs_number,
    }
    data.update(overrides)
    return data


def valid_post(world, page):
    return {
        "people:edit": edit_data(world, given_name="Renamed"),
        "people:address-add": {"line_1": "1 New Road", "postcode": "AB1 2CD"},
        "people:name-add": {"kind": "ALIAS", "given_name": "Renamed"},
        "people:relationship-add": {"relationship": "GRANDPARENT", "new_given_name": "Renamed", "new_kind": "ADULT"},
    }[page]


def snapshot():
    return (
        Person.objects.count(),
        PersonName.objects.count(),
        Address.objects.count(),
        Relationship.objects.count(),
        list(Person.objects.order_by("id").values_list("given_name", "family_name", "date_of_birth", "nhs_number")),
        AuditEvent.objects.filter(action__in=WRITES).count(),
    )


def test_it_shows_the_current_details_and_saves_changes(client, world):
    world.child.disabilities.create(code="HEAR")
    f.sign_in(client, world.allocated)
    url = reverse("people:edit", args=[world.child.public_id])
    page = client.get(url)
    assert page.status_code == 200
    assert b'value="Testchild"' in page.content and b'value="2016"' in page.content
    assert b'value="HEAR" checked' in page.content
    data = edit_data(world, gender="Boy", first_language="Polish", disabilities=["AUT"], upn="A123456789012")
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"] == reverse(
        "people:detail", args=[world.child.public_id]
    )
    world.child.refresh_from_db()
    assert (world.child.gender, world.child.first_language, world.child.upn) == ("Boy", "Polish", "A123456789012")
    assert list(world.child.disabilities.values_list("code", flat=True)) == ["AUT"]
    event = AuditEvent.objects.get(action="person.updated", person=world.child)
    assert event.details["fields"] == ["first_language", "gender", "upn", "disabilities"]
    assert b"Details saved" in client.get(response["Location"]).content


def test_a_change_of_name_keeps_the_old_name_as_a_previous_name(client, world):
    f.sign_in(client, world.allocated)
    url = reverse("people:edit", args=[world.child.public_id])
    assert client.post(url, edit_data(world, given_name="Renamed", family_name="Newname")).status_code == 302
    world.child.refresh_from_db()
    assert world.child.display_name == "Renamed Newname"
    previous = PersonName.objects.get(person=world.child)
    assert (previous.kind, previous.given_name, previous.family_name) == ("PREVIOUS", "Testchild", "Example")
    search = client.get(reverse("people:search"), {"name": "Testchild Example"})
    assert b"Renamed Newname" in search.content


def test_an_unborn_child_is_recorded_as_born(client, world):
    due = timezone.localdate() + dt.timedelta(days=20)
    unborn = f.make_person(world.la, given_name="", family_name="Example", kind="UNBORN", expected_due_date=due)
    unborn.date_of_birth = None
    unborn.save()
    f.involve(unborn, user=world.allocated, created_by=world.manager)
    f.sign_in(client, world.allocated)
    url = reverse("people:edit", args=[unborn.public_id])
    born = timezone.localdate()
    data = {"kind": "CHILD", "given_name": "Newborn", "family_name": "Example", **date_parts("date_of_birth", born)}
    assert client.post(url, {**data, **date_parts("expected_due_date", due)}).status_code == 302
    unborn.refresh_from_db()
    assert (unborn.kind, unborn.date_of_birth, unborn.display_name) == ("CHILD", born, "Newborn Example")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"nhs_number": "1234567890"}, "the last digit is a check digit"),
        ({"nhs_number": "12345"}, "An NHS number must be 10 digits long"),
        ({"nhs_number": "ABCDEFGHIJ"}, "An NHS number must contain only numbers"),
        ({"nhs_number": "000 000 0000"}, "0000000000 is a reserved value"),
        ({"date_of_birth_0": "31", "date_of_birth_1": "2", "date_of_birth_2": "2020"}, "Date of birth must be a real"),
        ({"date_of_birth_2": str(timezone.localdate().year + 1)}, "Date of birth must be today or in the past"),
        ({"given_name": "x" * 101}, "First name must be 100 characters or fewer"),
        ({"first_language": "x" * 101}, "First language must be 100 characters or fewer"),
        ({"given_name": "Ren\x08amed"}, "First name must not contain hidden control characters"),
        ({"la_person_id": "ID\r\n42"}, "Local authority person ID must not contain hidden control characters"),
        ({"sex": "X"}, "Select the person's sex, or Unknown"),
        ({"kind": "ROBOT"}, "Select who the record is for"),
        ({"ethnicity": "ZZZZ"}, "Select an ethnicity from the list"),
        ({"disabilities": ["NONE", "AUT"]}, "Select 'No disability' or the disabilities they have, not both"),
        ({"given_name": "", "family_name": ""}, "Enter a first name or a last name"),
        ({"kind": "UNBORN"}, "Enter the expected due date for an unborn child"),
    ],
)
def test_bad_input_gets_a_clear_error_and_changes_nothing(client, world, overrides, message):
    f.sign_in(client, world.allocated)
    before = snapshot()
    response = client.post(reverse("people:edit", args=[world.child.public_id]), edit_data(world, **overrides))
    assert response.status_code == 400
    assert escape(message).encode() in response.content
    assert snapshot() == before


@pytest.mark.parametrize("field", ["given_name", "family_name", "gender", "first_language", "upn", "la_person_id"])
def test_typed_text_is_shown_back_escaped(client, world, field):
    f.sign_in(client, world.allocated)
    url = reverse("people:edit", args=[world.child.public_id])
    response = client.post(url, edit_data(world, **{field: XSS, "nhs_number": "12"}))
    assert response.status_code == 400
    assert XSS.encode() not in response.content
    assert ESCAPED_XSS in response.content


def test_stored_text_is_shown_escaped_on_the_form(client, world):
    world.child.gender = XSS
    world.child.save()
    f.sign_in(client, world.allocated)
    response = client.get(reverse("people:edit", args=[world.child.public_id]))
    assert XSS.encode() not in response.content and ESCAPED_XSS in response.content


@pytest.mark.parametrize("page", CHANGE_PAGES)
@pytest.mark.parametrize("persona", ["allocated", "colleague", "manager"])
def test_practitioners_who_may_open_the_record_may_change_it(client, world, page, persona):
    user = world.personas()[persona]
    f.sign_in(client, user)
    url = reverse(page, args=[world.child.public_id])
    assert client.get(url).status_code == 200
    assert AuditEvent.objects.filter(actor=user, person=world.child, outcome="ALLOWED").exists()
    assert client.post(url, valid_post(world, page)).status_code == 302
    assert AuditEvent.objects.filter(actor=user, action__in=WRITES).exists()


@pytest.mark.parametrize("page", CHANGE_PAGES)
def test_the_health_partner_may_open_the_record_but_not_change_it(client, world, page):
    f.sign_in(client, world.health)
    assert client.get(reverse("people:detail", args=[world.child.public_id])).status_code == 200
    url = reverse(page, args=[world.child.public_id])
    before = snapshot()
    for response in (client.get(url), client.post(url, valid_post(world, page))):
        assert response.status_code == 403
        assert CHANGE_REFUSAL.encode() in response.content
    assert snapshot() == before
    denied = AuditEvent.objects.filter(actor=world.health, person=world.child, outcome="DENIED", basis="no-capability")
    assert denied.count() == 2


@pytest.mark.parametrize("page", CHANGE_PAGES)
@pytest.mark.parametrize("persona", sorted(REFUSED))
def test_people_who_may_not_open_the_record_are_refused_and_audited(client, world, page, persona):
    user = world.personas()[persona]
    f.sign_in(client, user)
    url = reverse(page, args=[world.child.public_id])
    before = snapshot()
    for response in (client.get(url), client.post(url, valid_post(world, page))):
        assert response.status_code == REFUSED[persona]
        assert b"Testchild" not in response.content
    assert snapshot() == before
    assert AuditEvent.objects.filter(actor=user, outcome="DENIED", object_id=str(world.child.public_id)).count() == 2


def test_a_record_merged_into_another_cannot_be_changed(client, world):
    """Its involvements moved to the record it was merged into, so no one finds or opens it any more."""
    from safeguarding.people import services

    duplicate = f.make_person(world.la, given_name="Testchild", family_name="Exampel")
    f.involve(duplicate, user=world.allocated, created_by=world.manager)
    principal = f.principal_for(world.manager)
    services.merge_people(
        survivor=world.child, duplicate=duplicate, principal=principal, reason="Same", now=timezone.now()
    )
    f.sign_in(client, world.allocated)
    url = reverse("people:edit", args=[duplicate.public_id])
    response = client.post(url, {**edit_data(world), "given_name": "Changed", "family_name": "Exampel"})
    assert response.status_code == 404
    duplicate.refresh_from_db()
    assert duplicate.given_name == "Testchild"
