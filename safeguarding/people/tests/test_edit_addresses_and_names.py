"""Adding an address (address history) and another name (people:address-add, people:name-add)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from safeguarding.audit.models import AuditEvent
from safeguarding.chronology.models import ChronologyEntry
from safeguarding.people.models import Address, PersonName
from tests import factories as f

XSS = '"><svg onload=alert(1)>'
ESCAPED_XSS = b"&quot;&gt;&lt;svg onload=alert(1)&gt;"


def date_parts(name: str, day: dt.date) -> dict[str, str]:
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


def snapshot():
    return (
        list(Address.objects.order_by("id").values_list("line_1", "valid_from", "valid_to")),
        list(PersonName.objects.order_by("id").values_list("kind", "given_name", "family_name")),
        ChronologyEntry.objects.count(),
        AuditEvent.objects.filter(action__in=("person.address-added", "person.name-added")).count(),
    )


@pytest.fixture
def address_url(world):
    return reverse("people:address-add", args=[world.child.public_id])


@pytest.fixture
def name_url(world):
    return reverse("people:name-add", args=[world.child.public_id])


def test_a_new_address_ends_the_current_one_and_keeps_the_history(client, world, address_url):
    today = timezone.localdate()
    f.sign_in(client, world.allocated)
    first = {"line_1": "1 First Road", "town": "Northbridge", "postcode": "ab12cd"}
    assert client.post(address_url, {**first, **date_parts("valid_from", dt.date(2020, 5, 1))}).status_code == 302
    response = client.post(address_url, {"line_1": "2 Second Road", "line_2": "Flat 3", "postcode": "AB1 3CD"})
    assert response.status_code == 302
    old, new = Address.objects.filter(person=world.child).order_by("id")
    assert (old.postcode, old.valid_from, old.valid_to) == ("AB1 2CD", dt.date(2020, 5, 1), today - dt.timedelta(1))
    assert (new.line_1, new.line_2, new.valid_from, new.valid_to) == ("2 Second Road", "Flat 3", today, None)
    assert AuditEvent.objects.filter(action="person.address-added", person=world.child).count() == 2
    assert ChronologyEntry.objects.filter(person=world.child, category="Address").count() == 2
    assert b"Address added" in client.get(response["Location"]).content


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"postcode": "AB1 2CD"}, "Enter the first line of the address"),
        ({"line_1": "1 Road", "postcode": "ABC 123"}, "Enter a real postcode, like SW1A 1AA"),
        ({"line_1": "x" * 201}, "Address line 1 must be 200 characters or fewer"),
        ({"line_1": "1 Road", "line_2": "x" * 201}, "Address line 2 must be 200 characters or fewer"),
        ({"line_1": "1 Road", "town": "x" * 101}, "Town or city must be 100 characters or fewer"),
        ({"line_1": "1\x00 Road"}, "Null characters are not allowed"),
        ({"line_1": "1 Road", "town": "North\x1bbridge"}, "Town or city must not contain hidden control characters"),
        ({"line_1": "1 Road", **date_parts("valid_from", dt.date(2099, 1, 1))}, "must be today or in the past"),
        (
            {"line_1": "1 Road", "valid_from_0": "30", "valid_from_1": "2", "valid_from_2": "2024"},
            "must be a real date",
        ),
        ({"line_1": "1 Road", "valid_from_0": "3", "valid_from_2": "2024"}, "must include a day, month and year"),
    ],
)
def test_a_bad_address_gets_a_clear_error_and_changes_nothing(client, world, address_url, data, message):
    f.sign_in(client, world.allocated)
    before = snapshot()
    response = client.post(address_url, data)
    assert response.status_code == 400
    assert escape(message).encode() in response.content
    assert snapshot() == before


def test_an_address_cannot_start_before_the_current_one(client, world, address_url):
    f.sign_in(client, world.allocated)
    client.post(address_url, {"line_1": "1 First Road", **date_parts("valid_from", dt.date(2022, 6, 1))})
    before = snapshot()
    response = client.post(address_url, {"line_1": "2 Older Road", **date_parts("valid_from", dt.date(2021, 1, 1))})
    assert response.status_code == 400
    assert b"The current address has been theirs since 1 June 2022" in response.content
    assert snapshot() == before


@pytest.mark.parametrize("field", ["line_1", "line_2", "town", "postcode"])
def test_typed_address_text_is_shown_back_escaped(client, world, address_url, field):
    f.sign_in(client, world.allocated)
    data = {"line_1": "1 Road", field: XSS, "valid_from_0": "99"}
    response = client.post(address_url, data)
    assert response.status_code == 400
    assert XSS.encode() not in response.content and ESCAPED_XSS in response.content


@pytest.mark.parametrize("kind", ["PREVIOUS", "ALIAS", "PREFERRED"])
def test_another_name_is_added_and_found_by_search(client, world, name_url, kind):
    f.sign_in(client, world.allocated)
    response = client.post(name_url, {"kind": kind, "given_name": "  Tess  ", "family_name": "Sample"})
    assert response.status_code == 302
    name = PersonName.objects.get(person=world.child)
    assert (name.kind, name.given_name, name.family_name) == (kind, "Tess", "Sample")
    assert AuditEvent.objects.filter(action="person.name-added", person=world.child, details={"kind": kind}).exists()
    assert b"Testchild Example" in client.get(reverse("people:search"), {"name": "Tess Sample"}).content


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "NICKNAME", "given_name": "Tess"}, "Select what kind of name it is"),
        ({"given_name": "Tess"}, "Select what kind of name it is"),
        ({"kind": "ALIAS", "given_name": " ", "family_name": ""}, "Enter a first name or a last name"),
        ({"kind": "ALIAS", "given_name": "x" * 101}, "First name must be 100 characters or fewer"),
        ({"kind": "ALIAS", "family_name": "x" * 101}, "Last name must be 100 characters or fewer"),
        ({"kind": "ALIAS", "given_name": "Te\x7fss"}, "First name must not contain hidden control characters"),
        ({"kind": "ALIAS", "given_name": "Te\tss"}, "First name must not contain hidden control characters"),
    ],
)
def test_a_bad_name_gets_a_clear_error_and_changes_nothing(client, world, name_url, data, message):
    f.sign_in(client, world.allocated)
    before = snapshot()
    response = client.post(name_url, data)
    assert response.status_code == 400
    assert escape(message).encode() in response.content
    assert snapshot() == before


@pytest.mark.parametrize("field", ["given_name", "family_name"])
def test_typed_names_are_shown_back_escaped(client, world, name_url, field):
    f.sign_in(client, world.allocated)
    response = client.post(name_url, {"kind": "WRONG", field: XSS})
    assert response.status_code == 400
    assert XSS.encode() not in response.content and ESCAPED_XSS in response.content


def test_names_with_apostrophes_accents_and_joiners_are_kept_as_typed(client, world, name_url):
    f.sign_in(client, world.allocated)
    typed = "Zoë O’Brien-Smith\u200d"
    assert client.post(name_url, {"kind": "ALIAS", "family_name": typed}).status_code == 302
    assert PersonName.objects.get(person=world.child).family_name == typed
