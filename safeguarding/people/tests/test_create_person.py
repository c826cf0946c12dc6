"""Creating a person's record (people:create): who may, what is needed, duplicates and bad input."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from safeguarding.access.models import Involvement, InvolvementKind
from safeguarding.access.services import restrict_record
from safeguarding.audit.models import AuditEvent
from safeguarding.chronology.models import ChronologyEntry
from safeguarding.people.identifiers import synthetic_nhs_number
from safeguarding.people.models import Address, Person, PersonDisability
from tests import factories as f

URL = reverse("people:create")
XSS = '"><svg onload=alert(1)>'
ESCAPED_XSS = b"&quot;&gt;&lt;svg onload=alert(1)&gt;"
WRITES = ("person.created", "person.address-added", "involvement.recorded")


def today() -> dt.date:
    return timezone.localdate()


def date_parts(name: str, day: dt.date) -> dict[str, str]:
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


def create_data(**overrides: str) -> dict[str, str]:
    data = {
        "kind": "CHILD",
        "given_name": "Newchild",
        "family_name": "Testcase",
        **date_parts("date_of_birth", dt.date(2019, 4, 3)),
        "sex": "F",
        "ethnicity": "NOBT",
    }
    data.update(overrides)
    return data


def snapshot() -> tuple[int, ...]:
    writes = AuditEvent.objects.filter(action__in=WRITES).count()
    return (
        Person.objects.count(),
        Address.objects.count(),
        PersonDisability.objects.count(),
        Involvement.objects.count(),
        ChronologyEntry.objects.count(),
        writes,
    )


def test_it_creates_a_child_with_every_detail_and_a_first_address(client, world):
    f.sign_in(client, world.allocated)
    nhs = synthetic_nhs_number(900)
    data = create_data(
        gender="Girl",
        ethnicity="MWBC",
        first_language="Welsh",
        disabilities=["HEAR", "VIS"],
        nhs_number=f"{nhs[:3]} {nhs[3:6]} {nhs[6:]}",
        upn="a123456789012",
        la_person_id="NB-0042",
        line_1="1 Test Street",
        town="Northbridge",
        postcode="ab1 2cd",
    )
    response = client.post(URL, data)
    person = Person.objects.get(given_name="Newchild")
    assert response.status_code == 302
    assert response["Location"] == reverse("people:detail", args=[person.public_id])
    assert (person.local_authority, person.kind, person.sex, person.gender) == (world.la, "CHILD", "F", "Girl")
    assert (person.ethnicity, person.first_language, person.nhs_number) == ("MWBC", "Welsh", nhs)
    assert (person.upn, person.la_person_id, person.date_of_birth) == ("A123456789012", "NB-0042", dt.date(2019, 4, 3))
    assert sorted(person.disabilities.values_list("code", flat=True)) == ["HEAR", "VIS"]
    address = Address.objects.get(person=person)
    assert (address.line_1, address.town, address.postcode, address.valid_to) == (
        "1 Test Street",
        "Northbridge",
        "AB1 2CD",
        None,
    )
    assert Involvement.objects.filter(person=person, user=world.allocated, kind=InvolvementKind.KEY_PROFESSIONAL)
    assert AuditEvent.objects.filter(action="person.created", person=person, actor=world.allocated).exists()
    page = client.get(response["Location"])
    assert page.status_code == 200 and b"Record created for Newchild Testcase" in page.content


def test_it_needs_only_a_name(client, world):
    f.sign_in(client, world.allocated)
    response = client.post(URL, {"kind": "ADULT", "family_name": "Onlyname"})
    assert response.status_code == 302
    person = Person.objects.get(family_name="Onlyname")
    assert (person.kind, person.sex, person.ethnicity, person.date_of_birth) == ("ADULT", "U", "NOBT", None)
    assert not Address.objects.filter(person=person).exists()


def test_the_form_asks_for_every_detail_and_marks_what_is_optional(client, world):
    f.sign_in(client, world.allocated)
    response = client.get(URL)
    assert response.status_code == 200
    for label in (
        b"First name (optional)",
        b"Expected due date (optional)",
        b"Gender, in their own words (optional)",
        b"Ethnicity (optional)",
        b"First language (optional)",
        b"Disabilities (optional)",
        b"NHS number (optional)",
        b"Unique pupil number (UPN) (optional)",
        b"Local authority person ID (optional)",
        b"Postcode (optional)",
    ):
        assert label in response.content
    assert b'name="kind" id="id_kind_0" value="CHILD" checked' in response.content
    assert b"I have checked" not in response.content  # only when there are possible matches


def test_it_creates_an_unborn_child_linked_to_the_pregnant_person_found_by_search(client, world):
    f.involve(world.parent, user=world.allocated, created_by=world.manager)
    f.sign_in(client, world.allocated)
    found = client.get(URL, {"find-name": "Testparent Example"})
    assert f"?pregnant_person={world.parent.public_id}".encode() in found.content
    chosen = client.get(URL, {"pregnant_person": str(world.parent.public_id)})
    assert chosen.status_code == 200
    assert b"Testparent Example, born 9 January 1988" in chosen.content
    assert b'value="UNBORN" checked' in chosen.content
    due = today() + dt.timedelta(days=100)
    data = {"kind": "UNBORN", "family_name": "Example", "pregnant_person": str(world.parent.public_id)}
    response = client.post(URL, {**data, **date_parts("expected_due_date", due)})
    assert response.status_code == 302
    unborn = Person.objects.get(kind="UNBORN")
    assert (unborn.expected_due_date, unborn.pregnant_person, unborn.date_of_birth) == (due, world.parent, None)
    assert unborn.display_name == "Unborn baby Example"


def test_it_does_not_offer_a_pregnant_person_the_user_cannot_open(client, world):
    f.sign_in(client, world.allocated)
    response = client.get(URL, {"find-name": "Testparent Example"})
    assert f"pregnant_person={world.parent.public_id}".encode() not in response.content
    assert b"more records match but you are not involved with them" in response.content


def test_a_pregnant_person_the_user_cannot_open_is_refused_and_audited(client, world):
    f.sign_in(client, world.allocated)
    before = snapshot()
    response = client.get(URL, {"pregnant_person": str(world.parent.public_id)})
    assert response.status_code == 403
    due = today() + dt.timedelta(days=100)
    data = {"kind": "UNBORN", "family_name": "Example", "pregnant_person": str(world.parent.public_id)}
    assert client.post(URL, {**data, **date_parts("expected_due_date", due)}).status_code == 403
    assert snapshot() == before
    assert (
        AuditEvent.objects.filter(
            actor=world.allocated, person=world.parent, outcome="DENIED", action="person.create.pregnant-person"
        ).count()
        == 2
    )


def test_another_authoritys_person_cannot_be_the_pregnant_person(client, world):
    stranger = f.make_person(world.other_la, given_name="Testmother", family_name="Southmere", kind="ADULT")
    f.sign_in(client, world.allocated)
    response = client.get(URL, {"pregnant_person": str(stranger.public_id)})
    assert response.status_code == 404
    assert b"Testmother" not in response.content


def test_an_unborn_child_needs_a_due_date_and_no_name(client, world):
    f.sign_in(client, world.allocated)
    response = client.post(URL, {"kind": "UNBORN"})
    assert response.status_code == 400
    assert b"Enter the expected due date for an unborn child" in response.content
    assert b'href="#id_expected_due_date_0"' in response.content
    due = today() + dt.timedelta(days=30)
    assert client.post(URL, {"kind": "UNBORN", **date_parts("expected_due_date", due)}).status_code == 302
    assert Person.objects.get(kind="UNBORN").display_name == "Unborn baby"


@pytest.mark.parametrize("persona", ["allocated", "colleague", "manager", "other_team"])
def test_local_authority_practitioners_create_records_in_their_own_authority(client, world, persona):
    f.sign_in(client, world.personas()[persona])
    assert client.get(URL).status_code == 200
    assert client.post(URL, create_data()).status_code == 302
    assert Person.objects.get(given_name="Newchild").local_authority == world.la


def test_a_worker_in_another_authority_creates_records_in_theirs(client, world):
    f.sign_in(client, world.other_la_worker)
    assert client.post(URL, create_data()).status_code == 302
    assert Person.objects.get(given_name="Newchild").local_authority == world.other_la


@pytest.mark.parametrize(
    ("persona", "message"),
    [
        ("health", "Records of people are held by the local authority"),
        ("health_other", "record a contact with the local authority"),
        ("auditor", "Your role cannot create records"),
        ("admin", "Your role cannot create records"),
        ("outsider", "Your role cannot create records"),
    ],
)
def test_people_who_may_not_create_records_are_told_why_and_audited(client, world, persona, message):
    user = world.personas()[persona]
    f.sign_in(client, user)
    before = snapshot()
    for response in (client.get(URL), client.post(URL, create_data())):
        assert response.status_code == 403
        assert b"You cannot create records" in response.content
        assert message.encode() in response.content
    assert snapshot() == before
    assert AuditEvent.objects.filter(actor=user, action="person.create", outcome="DENIED").count() == 2


def test_it_warns_of_a_probable_duplicate_and_needs_confirmation(client, world):
    f.sign_in(client, world.allocated)
    data = create_data(
        given_name="Testchild", family_name="Example", **date_parts("date_of_birth", dt.date(2016, 3, 14))
    )
    before = snapshot()
    response = client.post(URL, data)
    assert response.status_code == 400
    content = response.content
    assert b"Possible matches" in content and b"Testchild Example" in content and b"14 Mar 2016" in content
    assert b"Similar name and same date of birth" in content
    assert reverse("people:detail", args=[world.child.public_id]).encode() in content  # allocated may open it
    assert b"I have checked: this is a new person" in content
    assert snapshot() == before
    check = AuditEvent.objects.get(action="person.create.duplicate-check", actor=world.allocated)
    assert check.details["shown"] == [str(world.child.public_id)]
    response = client.post(URL, {**data, "confirmed_new": "on", "seen_duplicates": str(world.child.public_id)})
    assert response.status_code == 302
    assert Person.objects.filter(given_name="Testchild").count() == 2


def test_a_possible_match_the_user_cannot_open_is_listed_without_a_link(client, world):
    f.sign_in(client, world.other_team)
    data = create_data(
        given_name="Testchild", family_name="Example", **date_parts("date_of_birth", dt.date(2016, 3, 14))
    )
    response = client.post(URL, data)
    assert response.status_code == 400
    assert b"Testchild Example" in response.content
    assert b"You are not involved with this record" in response.content
    assert reverse("people:detail", args=[world.child.public_id]).encode() not in response.content


def test_the_same_nhs_number_is_a_possible_match(client, world):
    f.sign_in(client, world.allocated)
    response = client.post(URL, create_data(given_name="Different", nhs_number=world.child.nhs_number))
    assert response.status_code == 400
    assert b"Same NHS number" in response.content and b"Testchild Example" in response.content


def test_a_confirmation_covers_only_the_matches_that_were_shown(client, world):
    f.sign_in(client, world.allocated)
    data = create_data(
        given_name="Testchild", family_name="Example", **date_parts("date_of_birth", dt.date(2016, 3, 14))
    )
    response = client.post(URL, {**data, "confirmed_new": "on", "seen_duplicates": ""})
    assert response.status_code == 400
    assert b"Check the possible matches" in response.content
    assert b'name="confirmed_new" id="id_confirmed_new" checked' not in response.content
    assert not Person.objects.filter(given_name="Testchild").exclude(pk=world.child.pk).exists()


def test_restricted_records_and_other_authorities_records_are_never_offered_as_matches(client, world):
    restrict_record(person=world.child, principal=f.principal_for(world.manager), reason="Adoption", now=timezone.now())
    data = create_data(
        given_name="Testchild", family_name="Example", **date_parts("date_of_birth", dt.date(2016, 3, 14))
    )
    f.sign_in(client, world.other_team)
    response = client.post(URL, data)
    assert response.status_code == 302
    f.sign_in(client, world.other_la_worker)
    assert client.post(URL, data).status_code == 302
    assert not AuditEvent.objects.filter(action="person.create.duplicate-check").exists()


FUTURE = today() + dt.timedelta(days=400)
LONG_PAST_DUE = today() - dt.timedelta(days=90)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"nhs_number": "999 000 0019"}, "the last digit is a check digit"),
        ({"nhs_number": "999000001"}, "An NHS number must be 10 digits long"),
        ({"nhs_number": "99900000AB"}, "An NHS number must contain only numbers"),
        ({"nhs_number": "0000000000"}, "0000000000 is a reserved value"),
        ({"nhs_number": "9" * 21}, "NHS number must be 20 characters or fewer"),
        ({"date_of_birth_0": "31", "date_of_birth_1": "2", "date_of_birth_2": "2020"}, "Date of birth must be a real"),
        ({"date_of_birth_0": "1", "date_of_birth_1": "", "date_of_birth_2": "2020"}, "must include a day, month"),
        ({"date_of_birth_2": "20x9"}, "Date of birth must be a real date"),
        (date_parts("date_of_birth", FUTURE), "Date of birth must be today or in the past"),
        (date_parts("date_of_birth", dt.date(1890, 1, 1)), "Date of birth must be after 1 January 1900"),
        (
            {"kind": "UNBORN", **date_parts("expected_due_date", LONG_PAST_DUE), "date_of_birth_2": ""},
            "The expected due date is more than 60 days ago",
        ),
        (
            {"kind": "UNBORN", **date_parts("expected_due_date", FUTURE), "date_of_birth_2": ""},
            "The expected due date must be within the next 10 months",
        ),
        (
            {"kind": "UNBORN", **date_parts("expected_due_date", today())},
            "An unborn child has no date of birth yet",
        ),
        (date_parts("expected_due_date", today()), "Leave the expected due date blank"),
        ({"given_name": "x" * 101}, "First name must be 100 characters or fewer"),
        ({"family_name": "x" * 101}, "Last name must be 100 characters or fewer"),
        ({"gender": "x" * 101}, "Gender, in their own words must be 100 characters or fewer"),
        ({"first_language": "x" * 101}, "First language must be 100 characters or fewer"),
        ({"la_person_id": "x" * 37}, "Local authority person ID must be 36 characters or fewer"),
        ({"line_1": "x" * 201}, "Address line 1 must be 200 characters or fewer"),
        ({"line_1": "1 Road", "town": "x" * 101}, "Town or city must be 100 characters or fewer"),
        ({"line_1": "1 Road", "postcode": "ABC 123"}, "Enter a real postcode, like SW1A 1AA"),
        ({"postcode": "AB1 2CD"}, "Enter the first line of the address, or leave the whole address blank"),
        ({"upn": "123"}, "A unique pupil number is 13 characters"),
        ({"given_name": "Test\x07child"}, "First name must not contain hidden control characters"),
        ({"family_name": "Ex\x1bample"}, "Last name must not contain hidden control characters"),
        ({"gender": "Girl\nBoy"}, "Gender, in their own words must not contain hidden control characters"),
        ({"first_language": "Wel\x00sh"}, "Null characters are not allowed"),
        ({"kind": "ALIEN"}, "Select who the record is for"),
        ({"kind": ""}, "Select who the record is for"),
        ({"sex": "Q"}, "Select the person's sex, or Unknown"),
        ({"ethnicity": "XXXX"}, "Select an ethnicity from the list"),
        ({"disabilities": ["FLY"]}, "Select disabilities from the list"),
        ({"disabilities": ["NONE", "MOB"]}, "Select 'No disability' or the disabilities they have, not both"),
        ({"given_name": "", "family_name": "  "}, "Enter a first name or a last name"),
    ],
)
def test_bad_input_gets_a_clear_error_and_changes_nothing(client, world, overrides, message):
    f.sign_in(client, world.allocated)
    before = snapshot()
    response = client.post(URL, create_data(**overrides))
    assert response.status_code == 400
    assert b"There is a problem" in response.content
    assert escape(message).encode() in response.content
    assert snapshot() == before


def test_the_error_summary_links_to_the_first_input_of_each_field(client, world):
    f.sign_in(client, world.allocated)
    data = create_data(kind="ALIEN", given_name="x" * 101, date_of_birth_0="31", date_of_birth_1="2")
    content = client.post(URL, {**data, "disabilities": ["FLY"]}).content
    for anchor in (b"#id_kind_0", b"#id_given_name", b"#id_date_of_birth_0", b"#id_disabilities_0"):
        assert b'href="' + anchor + b'"' in content
    assert b"<title>Error: Create a record" in content


@pytest.mark.parametrize(
    "field", ["given_name", "family_name", "gender", "first_language", "upn", "la_person_id", "line_1", "town"]
)
def test_typed_text_is_shown_back_escaped(client, world, field):
    f.sign_in(client, world.allocated)
    response = client.post(URL, create_data(**{field: XSS, "nhs_number": "123"}))
    assert response.status_code == 400
    assert XSS.encode() not in response.content
    assert ESCAPED_XSS in response.content
