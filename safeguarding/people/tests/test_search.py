"""Searching for a person: tolerant name matching, exact identifiers, minimal details, audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from safeguarding.access.models import NamedAccess
from safeguarding.audit.models import AuditEvent
from safeguarding.people.identifiers import synthetic_nhs_number
from safeguarding.people.models import Address
from tests import factories as f

URL = reverse("people:search")


@pytest.fixture
def zoe(world):
    zoe = f.make_person(
        world.la,
        given_name="Zoë",
        family_name="O'Brien-Smith",
        date_of_birth=dt.date(2012, 11, 30),
        nhs_number=synthetic_nhs_number(900),
    )
    Address.objects.create(
        person=zoe, line_1="7 Quiet Lane", town="Northbridge", postcode="NB3 9ZZ", valid_from=dt.date(2019, 1, 1)
    )
    f.involve(zoe, user=world.allocated, created_by=world.manager)
    return zoe


def search(client, **query):
    return client.get(URL, query)


def results(response) -> str:
    """The results part of the page (the form above it repeats the query)."""
    html = response.content.decode()
    return html[html.index('id="results"') :]


def test_it_shows_an_empty_form_without_searching(client, world):
    f.sign_in(client, world.allocated)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 class="govuk-heading-l">Search for a person</h1>' in html
    for label in ("Name", "Date of birth", "NHS number", "Postcode"):
        assert label in html
    assert not AuditEvent.objects.filter(action="person.search").exists()


@pytest.mark.parametrize(
    "query",
    [
        "Zoe O'Brien-Smith",
        "zoe obrien smith",
        "  ZOË   O’BRIEN  SMITH ",
        "Zoey OBrien-Smith",
        "Zoe O'Brian Smyth",
        "O'Brien-Smith Zoe",
    ],
)
def test_it_finds_names_despite_typos_spacing_apostrophes_and_accents(client, world, zoe, query):
    f.sign_in(client, world.allocated)
    response = search(client, name=query)
    assert response.status_code == 200
    assert "Zoë O&#x27;Brien-Smith" in response.content.decode()


def test_it_finds_by_date_of_birth(client, world, zoe):
    f.sign_in(client, world.allocated)
    html = search(client, date_of_birth_0="30", date_of_birth_1="11", date_of_birth_2="2012").content.decode()
    assert "Zoë" in html and "Testchild" not in html
    assert "30 Nov 2012" in html


def test_it_finds_by_nhs_number_written_with_spaces(client, world, zoe):
    f.sign_in(client, world.allocated)
    nhs = zoe.nhs_number
    html = search(client, nhs_number=f"{nhs[:3]} {nhs[3:6]} {nhs[6:]}").content.decode()
    assert "Zoë" in html and "Testchild" not in html


def test_it_finds_by_postcode_in_any_format(client, world, zoe):
    f.sign_in(client, world.allocated)
    html = search(client, postcode="nb39zz").content.decode()
    assert "Zoë" in html and "Testchild" not in html
    assert "7 Quiet Lane" not in html  # never an address in the results


def test_an_invalid_nhs_number_is_explained_and_nothing_is_searched(client, world, zoe):
    f.sign_in(client, world.allocated)
    response = search(client, name="Zoe", nhs_number="999 000 0001")
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert "This NHS number is not valid: check the digits" in html
    assert 'href="#id_nhs_number"' in html
    assert "Zoë" not in html
    assert not AuditEvent.objects.filter(action="person.search").exists()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"name": "", "postcode": "", "nhs_number": ""}, "Enter a name, date of birth, NHS number or postcode"),
        ({"postcode": "ZZ 12"}, "Enter a real postcode, like SW1A 1AA"),
        (
            {"date_of_birth_0": "31", "date_of_birth_1": "2", "date_of_birth_2": "2015"},
            "Date of birth must be a real date",
        ),
        ({"nhs_number": "12345"}, "An NHS number must be 10 digits long"),
    ],
)
def test_it_explains_what_is_wrong_with_the_search(client, world, query, message):
    f.sign_in(client, world.allocated)
    response = search(client, **query)
    assert response.status_code == 400
    html = response.content.decode()
    assert html.count(message) == 2  # in the error summary and beside the field
    assert "<title>Error: Search for a person" in html
    assert not AuditEvent.objects.filter(action="person.search").exists()


def test_it_links_to_records_the_user_may_open(client, world):
    f.sign_in(client, world.allocated)
    html = search(client, name="Testchild Example").content.decode()
    assert f'href="{reverse("people:detail", kwargs={"public_id": world.child.public_id})}"' in html
    assert "Northbridge Council" in html and "14 Mar 2016" in html


def test_it_offers_emergency_access_to_records_the_user_is_not_involved_with(client, world):
    Address.objects.create(person=world.child, line_1="1 Hidden Road", postcode="NB1 1AA")
    f.sign_in(client, world.other_team)
    html = search(client, name="Testchild").content.decode()
    assert "Testchild Example" in html and "14 Mar 2016" in html and "Northbridge Council" in html
    assert "You are not involved with this child" in html
    assert f'href="{reverse("access:break-glass", kwargs={"public_id": world.child.public_id})}"' in html
    assert f'href="{reverse("people:detail", kwargs={"public_id": world.child.public_id})}"' not in html
    nhs = world.child.nhs_number
    for secret in (nhs, f"{nhs[:3]} {nhs[3:6]} {nhs[6:]}", "1 Hidden Road", "NB1 1AA"):
        assert secret not in html


def test_a_health_professional_in_the_partnership_finds_the_child_but_another_authority_does_not(client, world):
    f.sign_in(client, world.health_other)
    assert "Testchild Example" in search(client, name="Testchild").content.decode()
    f.sign_in(client, world.other_la_worker)
    html = results(search(client, name="Testchild"))
    assert "Testchild" not in html and "No results" in html


def test_restricted_records_are_listed_only_to_the_people_named_on_them(client, world):
    world.child.is_restricted = True
    world.child.save(update_fields=["is_restricted"])
    NamedAccess.objects.create(
        person=world.child,
        user=world.colleague,
        granted_by=world.manager,
        granted_at=timezone.now(),
        reason="Adoption placement",
    )
    f.sign_in(client, world.allocated)
    assert "Testchild Example" not in results(search(client, name="Testchild Example"))
    f.sign_in(client, world.colleague)
    html = results(search(client, name="Testchild Example"))
    assert "Testchild Example" in html and ">Restricted</strong>" in html


def test_every_search_is_audited_with_the_rows_shown(client, world):
    f.sign_in(client, world.allocated)
    search(client, name="Testchild", postcode="")
    event = AuditEvent.objects.get(action="person.search", actor=world.allocated)
    assert event.outcome == "ALLOWED"
    assert event.details["criteria"]["name"] == "Testchild"
    assert event.details["shown"] == [str(world.child.public_id)]


@pytest.mark.parametrize("persona", ["auditor", "admin", "outsider"])
def test_roles_that_cannot_search_are_refused_and_the_refusal_audited(client, world, persona):
    user = world.personas()[persona]
    f.sign_in(client, user)
    response = search(client, name="Testchild")
    assert response.status_code == 403
    html = response.content.decode()
    assert "Your role cannot search for people" in html and "Testchild Example" not in html
    event = AuditEvent.objects.get(actor=user)
    assert (event.action, event.outcome) == ("person.search", "DENIED")


def test_it_says_when_nothing_matches_and_offers_to_create_a_record(client, world):
    f.sign_in(client, world.allocated)
    html = search(client, name="Nobodyatall").content.decode()
    assert "No results" in html and f'href="{reverse("people:create")}"' in html
