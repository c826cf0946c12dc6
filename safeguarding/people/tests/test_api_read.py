"""What GET /api/v1/people/{id} and /api/v1/people return: the record as the child's page shows it, in JSON."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from safeguarding.access.models import InvolvementKind
from safeguarding.accounts.tokens import create_token
from safeguarding.people.codes import Disability, NameKind, RelationshipType
from safeguarding.people.models import Address, PersonDisability, PersonName, Relationship
from tests import factories as f


def token_for(user) -> str:
    return create_token(membership=user.memberships.get(), name="test", operator="test", now=timezone.now())


def api_get(client, path: str, token: str, **params):
    return client.get(f"/api/v1{path}", params, HTTP_AUTHORIZATION=f"Bearer {token}")


def fill_record(world) -> None:
    child = world.child
    child.sex, child.gender, child.ethnicity, child.first_language = "F", "Girl", "MWBA", "English"
    child.upn, child.la_person_id = "A123456789012", "NB-0001"
    child.save()
    PersonName.objects.create(person=child, kind=NameKind.PREVIOUS, given_name="Testchild", family_name="Formerly")
    PersonDisability.objects.create(person=child, code=Disability.HEAR)
    Address.objects.create(
        person=child,
        line_1="1 Old Street",
        town="Northbridge",
        postcode="NB1 1AA",
        valid_from=dt.date(2016, 3, 14),
        valid_to=dt.date(2022, 6, 30),
    )
    Address.objects.create(
        person=child, line_1="2 New Road", town="Northbridge", postcode="NB2 2BB", valid_from=dt.date(2022, 7, 1)
    )
    Relationship.objects.create(from_person=world.parent, to_person=child, type=RelationshipType.PARENT)
    Relationship.objects.create(
        from_person=child, to_person=world.sibling, type=RelationshipType.SIBLING, start_date=dt.date(2018, 7, 2)
    )


def test_it_returns_the_whole_record_read_from_the_childs_side(client, world):
    fill_record(world)
    body = api_get(client, f"/people/{world.child.public_id}", token_for(world.allocated)).json()
    assert (body["kind"], body["sex"], body["gender"], body["ethnicity"]) == ("CHILD", "F", "Girl", "MWBA")
    assert (body["upn"], body["la_person_id"], body["first_language"]) == ("A123456789012", "NB-0001", "English")
    assert body["date_of_birth"] == "2016-03-14" and body["expected_due_date"] is None
    assert body["other_names"] == [
        {"kind": "PREVIOUS", "given_name": "Testchild", "family_name": "Formerly", "valid_from": None, "valid_to": None}
    ]
    assert body["disabilities"] == [{"code": "HEAR", "label": "Hearing"}]
    assert body["current_address"]["line_1"] == "2 New Road"
    assert [a["line_1"] for a in body["addresses"]] == ["2 New Road", "1 Old Street"]
    assert body["addresses"][1]["valid_to"] == "2022-06-30"
    relationships = {r["person"]["name"]: r for r in body["relationships"]}
    assert relationships["Testparent Example"]["relationship"] == "Parent"
    assert relationships["Testparent Example"]["person"]["id"] == str(world.parent.public_id)
    assert relationships["Testsibling Example"]["relationship"] == "Sibling"
    assert relationships["Testsibling Example"]["start_date"] == "2018-07-02"
    involved = {(i["kind"], i["worker"], i["team"]) for i in body["involvements"]}
    assert ("ALLOCATED_WORKER", "Alex Allocated", None) in involved
    assert ("TEAM", None, "Assessment Team A") in involved
    assert body["access_basis"] == "own-involvement" and body["is_restricted"] is False


def test_it_reads_a_relationship_from_the_other_end_too(client, world):
    Relationship.objects.create(from_person=world.parent, to_person=world.child, type=RelationshipType.PARENT)
    f.involve(world.parent, user=world.allocated, kind=InvolvementKind.KEY_PROFESSIONAL)
    body = api_get(client, f"/people/{world.parent.public_id}", token_for(world.allocated)).json()
    (rel,) = body["relationships"]
    assert (rel["relationship"], rel["type"], rel["direction"]) == ("Child", "PARENT", "to")
    assert rel["person"] == {"id": str(world.child.public_id), "name": "Testchild Example"}


def test_it_withholds_the_name_and_id_of_a_restricted_relative(client, world):
    world.sibling.is_restricted = True
    world.sibling.save()
    Relationship.objects.create(from_person=world.child, to_person=world.sibling, type=RelationshipType.SIBLING)
    response = api_get(client, f"/people/{world.child.public_id}", token_for(world.allocated))
    (rel,) = response.json()["relationships"]
    assert rel["person"] == {"id": None, "name": "Name withheld (restricted record)"}
    assert "Testsibling" not in response.content.decode()
    assert str(world.sibling.public_id) not in response.content.decode()


def test_it_returns_an_unborn_childs_due_date_and_pregnant_person(client, world):
    unborn = f.make_person(
        world.la,
        given_name="",
        family_name="Example",
        date_of_birth=None,
        kind="UNBORN",
        expected_due_date=dt.date(2027, 1, 15),
        pregnant_person=world.parent,
    )
    f.involve(unborn, user=world.allocated)
    body = api_get(client, f"/people/{unborn.public_id}", token_for(world.allocated)).json()
    assert (body["kind"], body["date_of_birth"], body["expected_due_date"]) == ("UNBORN", None, "2027-01-15")
    assert body["pregnant_person"] == {"id": str(world.parent.public_id), "name": "Testparent Example"}


def test_it_reads_a_record_in_the_same_number_of_queries_however_large_it_is(client, world):
    Relationship.objects.create(from_person=world.parent, to_person=world.child, type=RelationshipType.STEP_PARENT)
    token = token_for(world.allocated)
    path = f"/people/{world.child.public_id}"
    api_get(client, path, token)  # warm up
    with CaptureQueriesContext(connection) as small:
        api_get(client, path, token)
    fill_record(world)  # adds a sibling, names, addresses, a disability
    for n in range(8):
        relative = f.make_person(world.la, given_name=f"Relative{n}", family_name="Example", kind="ADULT")
        Relationship.objects.create(from_person=relative, to_person=world.child, type=RelationshipType.CARER)
        Address.objects.create(person=world.child, line_1=f"{n} Lane", valid_from=dt.date(2000 + n, 1, 1))
    with CaptureQueriesContext(connection) as large:
        response = api_get(client, path, token)
    assert len(response.json()["relationships"]) == 11
    assert len(large.captured_queries) == len(small.captured_queries)


def test_search_accepts_an_nhs_number_with_spaces_and_a_postcode_in_any_case(client, world):
    Address.objects.create(person=world.child, line_1="2 New Road", postcode="NB2 2BB")
    token = token_for(world.colleague)
    nhs = world.child.nhs_number
    spaced = f"{nhs[:3]} {nhs[3:6]} {nhs[6:]}"
    by_nhs = api_get(client, "/people", token, nhs_number=spaced).json()
    by_postcode = api_get(client, "/people", token, postcode="nb22bb").json()
    assert [h["id"] for h in by_nhs] == [str(world.child.public_id)]
    assert [h["id"] for h in by_postcode] == [str(world.child.public_id)]


def test_search_says_when_more_people_matched_than_it_returns(client, world, settings):
    settings.SEARCH_RESULT_LIMIT = 2
    token = token_for(world.colleague)
    truncated = api_get(client, "/people", token, name="Example")
    assert len(truncated.json()) == 2 and truncated["X-Results-Truncated"] == "true"
    complete = api_get(client, "/people", token, date_of_birth="2016-03-14")
    assert len(complete.json()) == 1 and complete["X-Results-Truncated"] == "false"
