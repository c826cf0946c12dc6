"""Recording a relationship (people:relationship-add): to a record found by search, or to a new person."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from safeguarding.access.models import Involvement
from safeguarding.audit.models import AuditEvent
from safeguarding.people.codes import RelationshipType
from safeguarding.people.forms import relationship_choices
from safeguarding.people.models import Person, Relationship
from tests import factories as f

XSS = '"><svg onload=alert(1)>'
ESCAPED_XSS = b"&quot;&gt;&lt;svg onload=alert(1)&gt;"


def date_parts(name: str, day: dt.date) -> dict[str, str]:
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


@pytest.fixture
def url(world):
    return reverse("people:relationship-add", args=[world.child.public_id])


@pytest.fixture
def parent_openable(world):
    f.involve(world.parent, user=world.allocated, created_by=world.manager)
    return world.parent


def snapshot():
    return (
        Person.objects.count(),
        list(Relationship.objects.values_list("from_person", "to_person", "type")),
        AuditEvent.objects.filter(action__in=("person.relationship-added", "person.created")).count(),
    )


def test_it_finds_records_by_name_and_date_of_birth_and_offers_only_those_the_user_may_open(
    client, world, url, parent_openable
):
    f.sign_in(client, world.allocated)
    page = client.get(url, {"find-name": "Example", **date_parts("find-date_of_birth", dt.date(1988, 1, 9))})
    assert page.status_code == 200
    assert f"?other={world.parent.public_id}".encode() in page.content
    assert f"other={world.sibling.public_id}".encode() not in page.content  # another date of birth
    page = client.get(url, {"find-name": "Testsibling"})
    assert f"other={world.sibling.public_id}".encode() not in page.content  # not involved: cannot choose
    assert b"1 more record matches but you are not involved with it" in page.content
    assert AuditEvent.objects.filter(action="person.search", actor=world.allocated).count() == 2


def test_the_search_needs_a_name_or_date_of_birth(client, world, url):
    f.sign_in(client, world.allocated)
    page = client.get(url, {"find-name": "", "find-date_of_birth_0": "31", "find-date_of_birth_1": "2"})
    assert page.status_code == 200
    assert b"There is a problem" in page.content and b"Date of birth must include a day, month and year" in page.content


def test_it_records_that_a_chosen_person_is_the_parent_of_this_child(client, world, url, parent_openable):
    f.sign_in(client, world.allocated)
    page = client.get(url, {"other": str(world.parent.public_id)})
    assert page.status_code == 200
    assert b"Testparent Example is the \xe2\x80\xa6" in page.content
    assert b"parent of Testchild Example" in page.content and b"child of Testchild Example" in page.content
    assert AuditEvent.objects.filter(action="person.relationship.other", person=world.parent).exists()
    since = dt.date(2016, 3, 14)
    data = {"other": str(world.parent.public_id), "relationship": "PARENT", **date_parts("start_date", since)}
    response = client.post(url, {**data, "description": "Mother"})
    assert response.status_code == 302
    assert response["Location"] == reverse("people:detail", args=[world.child.public_id])
    rel = Relationship.objects.get()
    assert (rel.from_person, rel.to_person, rel.type, rel.start_date, rel.description) == (
        world.parent,
        world.child,
        "PARENT",
        since,
        "Mother",
    )
    assert AuditEvent.objects.filter(action="person.relationship-added").count() == 2  # one on each record
    detail = client.get(response["Location"])
    assert b"Recorded: Testparent Example is the parent of Testchild Example" in detail.content


@pytest.mark.parametrize(("value", "label"), relationship_choices("Testchild Example"))
def test_every_relationship_can_be_recorded_either_way_round(client, world, url, parent_openable, value, label):
    f.sign_in(client, world.allocated)
    response = client.post(url, {"other": str(world.parent.public_id), "relationship": value})
    assert response.status_code == 302
    rel = Relationship.objects.get()
    other_is_from = not value.startswith("~")
    expected = (world.parent, world.child) if other_is_from else (world.child, world.parent)
    assert ((rel.from_person, rel.to_person), rel.type) == (expected, value.lstrip("~"))


def test_the_choices_cover_every_relationship_type():
    values = {value.lstrip("~") for value, _ in relationship_choices("X")}
    assert values == set(RelationshipType.values)


def test_it_creates_a_new_related_adult_inline(client, world, url):
    f.sign_in(client, world.allocated)
    data = {
        "relationship": "GRANDPARENT",
        "new_given_name": "Testgran",
        "new_family_name": "Example",
        **date_parts("new_date_of_birth", dt.date(1960, 2, 1)),
        "new_sex": "F",
        "new_kind": "ADULT",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    gran = Person.objects.get(given_name="Testgran")
    assert (gran.kind, gran.sex, gran.date_of_birth, gran.local_authority) == (
        "ADULT",
        "F",
        dt.date(1960, 2, 1),
        world.la,
    )
    assert Relationship.objects.filter(from_person=gran, to_person=world.child, type="GRANDPARENT").exists()
    assert Involvement.objects.filter(person=gran, user=world.allocated).exists()
    assert b"Testgran" in client.get(reverse("people:detail", args=[world.child.public_id])).content


def test_it_creates_a_new_related_child_the_other_way_round(client, world):
    f.sign_in(client, world.allocated)
    f.involve(world.parent, user=world.allocated, created_by=world.manager)
    url = reverse("people:relationship-add", args=[world.parent.public_id])
    data = {"relationship": "~PARENT", "new_given_name": "Testbaby", "new_kind": "CHILD"}
    assert client.post(url, data).status_code == 302
    baby = Person.objects.get(given_name="Testbaby")
    assert (baby.kind, baby.sex) == ("CHILD", "U")
    assert Relationship.objects.filter(from_person=world.parent, to_person=baby, type="PARENT").exists()


def test_a_record_the_user_cannot_open_cannot_be_chosen(client, world, url):
    f.sign_in(client, world.allocated)
    before = snapshot()
    assert client.get(url, {"other": str(world.parent.public_id)}).status_code == 403
    data = {"other": str(world.parent.public_id), "relationship": "PARENT"}
    assert client.post(url, data).status_code == 403
    assert snapshot() == before
    assert AuditEvent.objects.filter(actor=world.allocated, person=world.parent, outcome="DENIED").count() == 2


def test_a_record_in_another_authority_is_not_found(client, world, url):
    stranger = f.make_person(world.other_la, given_name="Teststranger", family_name="Southmere")
    f.sign_in(client, world.allocated)
    response = client.post(url, {"other": str(stranger.public_id), "relationship": "PARENT"})
    assert response.status_code == 404
    assert b"Teststranger" not in response.content
    assert not Relationship.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"relationship": "PARENT"}, "Find the other person&#x27;s record, or enter the name of a new person"),
        ({"relationship": "PARENT", "new_given_name": " "}, "enter the name of a new person"),
        ({"relationship": "UNCLE", "new_given_name": "Testuncle"}, "Select how the other person is related"),
        ({"relationship": "~SIBLING", "new_given_name": "Testsib"}, "Select how the other person is related"),
        ({"new_given_name": "Testuncle"}, "Select how the other person is related"),
        ({"relationship": "OTHER", "new_given_name": "x" * 101}, "First name must be 100 characters or fewer"),
        ({"relationship": "OTHER", "new_given_name": "A", "description": "x" * 201}, "200 characters or fewer"),
        ({"relationship": "OTHER", "new_given_name": "Test\x0bname"}, "must not contain hidden control characters"),
        ({"relationship": "OTHER", "new_given_name": "A", "new_sex": "Q"}, "Select the new person&#x27;s sex"),
        ({"relationship": "OTHER", "new_given_name": "A", "new_kind": "UNBORN"}, "Select adult or child"),
        (
            {"relationship": "OTHER", "new_given_name": "A", **date_parts("new_date_of_birth", dt.date(2099, 1, 1))},
            "Date of birth must be today or in the past",
        ),
        (
            {"relationship": "OTHER", "new_given_name": "A", "new_date_of_birth_0": "31", "new_date_of_birth_1": "4"},
            "Date of birth must include a day, month and year",
        ),
        (
            {"relationship": "OTHER", "new_given_name": "A", **date_parts("start_date", dt.date(2099, 1, 1))},
            "The relationship cannot start in the future",
        ),
        ({"relationship": "OTHER", "other": "not-a-uuid"}, None),
    ],
)
def test_bad_input_gets_a_clear_error_and_changes_nothing(client, world, url, data, message):
    f.sign_in(client, world.allocated)
    before = snapshot()
    response = client.post(url, data)
    if message is None:  # a tampered record id is a record that does not exist
        assert response.status_code == 404
    else:
        assert response.status_code == 400
        assert message.encode() in response.content
    assert snapshot() == before


def test_a_person_cannot_be_related_to_themselves(client, world, url):
    f.sign_in(client, world.allocated)
    response = client.post(url, {"other": str(world.child.public_id), "relationship": "SIBLING"})
    assert response.status_code == 400
    assert b"A person cannot be related to themselves" in response.content
    assert not Relationship.objects.exists()


def test_the_same_relationship_is_not_recorded_twice(client, world, url, parent_openable):
    f.sign_in(client, world.allocated)
    data = {"other": str(world.parent.public_id), "relationship": "PARENT"}
    assert client.post(url, data).status_code == 302
    before = snapshot()
    response = client.post(url, data)
    assert response.status_code == 400
    assert b"That relationship is already recorded" in response.content
    assert b"Testparent Example" in response.content  # the chosen person is still shown
    assert snapshot() == before


@pytest.mark.parametrize("field", ["new_given_name", "new_family_name", "description"])
def test_typed_text_is_shown_back_escaped(client, world, url, field):
    f.sign_in(client, world.allocated)
    response = client.post(url, {"relationship": "WRONG", "new_given_name": "A", field: XSS})
    assert response.status_code == 400
    assert XSS.encode() not in response.content and ESCAPED_XSS in response.content


def test_names_in_the_choices_are_escaped(client, world, url, parent_openable):
    world.child.given_name = XSS
    world.child.save()
    world.parent.family_name = XSS
    world.parent.save()
    f.sign_in(client, world.allocated)
    response = client.get(url, {"other": str(world.parent.public_id)})
    assert XSS.encode() not in response.content
    assert escape(f"parent of {XSS} Example").encode() in response.content


def test_a_future_start_is_refused_by_the_service_too(world):
    from safeguarding.people import services

    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(services.PersonChangeRefused, match="cannot start in the future"):
        services.add_relationship(
            principal=f.principal_for(world.allocated),
            now=timezone.now(),
            from_person=world.parent,
            to_person=world.child,
            type="PARENT",
            start_date=tomorrow,
        )
