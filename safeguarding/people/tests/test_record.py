"""The child's page, their full chronology, their access log and their family tree as an image."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from safeguarding.access.models import NamedAccess
from safeguarding.audit.models import AuditEvent
from safeguarding.chronology.models import ChronologyEntry
from safeguarding.people.models import (
    Address,
    FamilyGroup,
    FamilyMember,
    Person,
    PersonDisability,
    PersonName,
    Relationship,
)
from tests import factories as f


def add_chronology(person: Person, count: int, *, start: dt.date = dt.date(2020, 1, 1)) -> None:
    now = timezone.now()
    ChronologyEntry.objects.bulk_create(
        ChronologyEntry(
            person=person,
            occurred_on=start + dt.timedelta(days=i),
            recorded_at=now,
            category="Visit",
            summary=f"Event number {i + 1}",
            source_type="test",
            source_id=str(i),
        )
        for i in range(count)
    )


def relate(a: Person, b: Person, type: str, **kwargs) -> Relationship:
    """`a` is the <type> of `b`."""
    return Relationship.objects.create(from_person=a, to_person=b, type=type, **kwargs)


def make_family(world) -> dict[str, Person]:
    """Eight relatives around world.child: parents, a stepfather, grandparents, a sister, a half-brother, a carer."""
    la = world.la
    mum = world.parent
    mum.sex = "F"
    mum.save(update_fields=["sex"])
    people = {
        "mum": mum,
        "sister": world.sibling,
        "dad": f.make_person(
            la, given_name="Testfather", family_name="Sample", sex="M", kind="ADULT", date_of_birth=dt.date(1985, 5, 2)
        ),
        "stepdad": f.make_person(
            la, given_name="Teststep", family_name="Parent", sex="M", kind="ADULT", date_of_birth=dt.date(1983, 2, 2)
        ),
        "half_brother": f.make_person(
            la, given_name="Testhalf", family_name="Parent", sex="M", date_of_birth=dt.date(2021, 1, 5)
        ),
        "gran": f.make_person(
            la, given_name="Testgran", family_name="Example", sex="F", kind="ADULT", date_of_birth=dt.date(1961, 4, 4)
        ),
        "grandad": f.make_person(
            la,
            given_name="Testgrandad",
            family_name="Example",
            sex="M",
            kind="ADULT",
            date_of_birth=dt.date(1959, 8, 8),
        ),
        "aunt": f.make_person(
            la, given_name="Testaunt", family_name="Example", sex="F", kind="ADULT", date_of_birth=dt.date(1990, 9, 9)
        ),
    }
    child = world.child
    relate(mum, child, "PARENT", start_date=dt.date(2016, 3, 14))
    relate(people["dad"], child, "PARENT", start_date=dt.date(2016, 3, 14))
    relate(people["stepdad"], child, "STEP_PARENT", start_date=dt.date(2020, 6, 1))
    relate(world.sibling, child, "SIBLING")
    relate(people["aunt"], child, "CARER", description="Kinship carer at weekends", end_date=dt.date(2024, 1, 31))
    relate(mum, people["dad"], "PARTNER", end_date=dt.date(2019, 5, 1))
    relate(mum, people["stepdad"], "PARTNER", start_date=dt.date(2020, 6, 1))
    relate(people["gran"], mum, "PARENT")
    relate(people["grandad"], mum, "PARENT")
    relate(mum, people["half_brother"], "PARENT")
    relate(people["stepdad"], people["half_brother"], "PARENT")
    return people


def get(client, name: str, person: Person, **query):
    return client.get(reverse(name, kwargs={"public_id": person.public_id}), query)


def test_it_shows_the_childs_summary_identifiers_names_and_addresses(client, world):
    child = world.child
    child.sex, child.gender, child.ethnicity, child.first_language = "M", "Boy", "WBRI", "English"
    child.upn, child.la_person_id = "A12345678901B", "LA-0042"
    child.save()
    PersonDisability.objects.create(person=child, code="AUT")
    PersonName.objects.create(person=child, kind="PREVIOUS", given_name="Oldname", family_name="Before")
    PersonName.objects.create(person=child, kind="ALIAS", given_name="Testy", family_name="")
    Address.objects.create(
        person=child,
        line_1="1 Old Road",
        town="Northbridge",
        postcode="NB1 1AA",
        valid_from=dt.date(2016, 3, 14),
        valid_to=dt.date(2021, 12, 31),
    )
    Address.objects.create(
        person=child, line_1="2 New Street", town="Northbridge", postcode="NB2 2BB", valid_from=dt.date(2022, 1, 1)
    )
    f.sign_in(client, world.allocated)
    response = get(client, "people:detail", child)
    assert response.status_code == 200
    html = response.content.decode()
    today = timezone.localdate()
    age = child.age_on(today)
    assert re.search(r"<h1[^>]*>Testchild Example</h1>", html)
    assert f"14 March 2016 (age {age})" in html
    for text in (
        "Male",
        "Boy",
        "White British",
        "English",
        "Autism",
        "A12345678901B",
        "LA-0042",
        "Oldname Before",
        "Previous name",
        "Also known as",
    ):
        assert text in html, text
    nhs = child.nhs_number
    assert f"{nhs[:3]} {nhs[3:6]} {nhs[6:]}" in html
    assert html.index("2 New Street") < html.index("1 Old Road")  # current address first
    assert "NB2 2BB" in html and "NB1 1AA" in html
    assert "Restricted record" not in html


def test_it_shows_the_family_genogram_and_a_text_alternative(client, world):
    family = make_family(world)
    group = FamilyGroup.objects.create(local_authority=world.la, name="Example household", created_at=timezone.now())
    FamilyMember.objects.create(family=group, person=world.child)
    FamilyMember.objects.create(family=group, person=world.sibling)
    f.sign_in(client, world.allocated)
    html = get(client, "people:detail", world.child).content.decode()
    assert "Example household" in html
    svg = html[html.index("<svg xmlns") : html.index("</svg>", html.index("<svg xmlns"))]
    assert 'role="img"' in svg and "Family tree (genogram) of Testchild Example" in svg
    for p in family.values():
        assert f">{p.given_name}</text>" in svg, p.given_name
    table = html[html.index('id="genogram-table"') :]
    table = table[: table.index("</table>")]
    rows = re.findall(
        r'<th scope="row" class="govuk-table__header">([^<]+)</th>\s*<td class="govuk-table__cell">([^<]+)', table
    )
    assert sorted((who, what.strip()) for who, what in rows) == sorted(
        [
            ("Testparent Example", "Parent"),
            ("Testfather Sample", "Parent"),
            ("Teststep Parent", "Step-parent"),
            ("Testsibling Example", "Sibling"),
            ("Testaunt Example", "Carer: Kinship carer at weekends"),
            ("Testparent Example", "Parent (partner of Testfather Sample)"),
            ("Testparent Example", "Parent (partner of Teststep Parent)"),
            ("Testgran Example", "Grandparent (parent of Testparent Example)"),
            ("Testgrandad Example", "Grandparent (parent of Testparent Example)"),
            ("Testhalf Parent", "Half-sibling (child of Testparent Example)"),
            ("Testhalf Parent", "Half-sibling (child of Teststep Parent)"),
        ]
    )


def test_it_links_to_the_relatives_records_but_withholds_restricted_ones(client, world):
    hidden = f.make_person(world.la, given_name="Hiddenmum", family_name="Refuge", kind="ADULT", is_restricted=True)
    relate(hidden, world.child, "PARENT")
    relate(world.sibling, world.child, "SIBLING")
    f.sign_in(client, world.allocated)
    html = get(client, "people:detail", world.child).content.decode()
    assert reverse("people:detail", kwargs={"public_id": world.sibling.public_id}) in html
    assert "Hiddenmum" not in html and str(hidden.public_id) not in html
    assert "Name withheld (restricted record)" in html


def test_it_shows_the_professionals_involved(client, world):
    f.sign_in(client, world.allocated)
    html = get(client, "people:detail", world.child).content.decode()
    section = html[html.index('id="professionals"') : html.index('id="chronology"')]
    for text in (
        "Allocated worker",
        "Alex Allocated",
        "Team responsible",
        "Assessment Team A",
        "Partner professional",
        "Hana Health",
        "Northbridge Hospitals NHS Trust",
        "1 Jan 2020",
    ):
        assert text in section, text


def test_it_shows_the_20_most_recent_chronology_entries_with_a_link_to_the_rest(client, world):
    add_chronology(world.child, 25)
    f.sign_in(client, world.allocated)
    html = get(client, "people:detail", world.child).content.decode()
    section = html[html.index('id="chronology"') : html.index('id="access-log"')]
    assert "Event number 25" in section and "Event number 5<" not in section.replace("\n", "<")
    assert len(re.findall(r"Event number \d+", section)) == 20
    assert section.index("Event number 25") < section.index("Event number 24")
    assert reverse("chronology:events", kwargs={"public_id": world.child.public_id}) in section
    assert "View the full chronology (25 events)" in section


def test_it_shows_who_has_seen_the_record(client, world):
    f.sign_in(client, world.colleague)
    get(client, "people:detail", world.child)
    f.sign_in(client, world.other_team)
    get(client, "people:detail", world.child)  # refused, and shown as refused
    f.sign_in(client, world.allocated)
    html = get(client, "people:detail", world.child).content.decode()
    section = " ".join(re.sub(r"<[^>]+>", "", html[html.index('id="access-log"') :]).split())
    for text in (
        "Bea Colleague",
        "Olu Otherteam",
        "Social worker",
        "Northbridge Council",
        "Viewed the record",
        "Denied",
        "Allowed: team involvement",
        "Denied: not involved",
        "Alex Allocated",
        "Allowed: own involvement",
    ):
        assert text in section, text
    assert reverse("people:access-log", kwargs={"public_id": world.child.public_id}) in html


def test_it_shows_only_the_latest_10_access_log_entries(client, world):
    f.sign_in(client, world.allocated)
    for _ in range(12):
        get(client, "chronology:events", world.child)
    html = get(client, "people:detail", world.child).content.decode()
    section = html[html.index('id="access-log"') :]
    assert len(re.findall(r"Viewed the chronology", section)) == 9  # + this view = 10
    assert "Viewed the record" in section


def test_the_page_view_is_audited_with_its_basis(client, world):
    f.sign_in(client, world.manager)
    get(client, "people:detail", world.child)
    event = AuditEvent.objects.get(action="person.view", actor=world.manager)
    assert (event.person, event.outcome, event.basis) == (world.child, "ALLOWED", "management-line")


@pytest.mark.parametrize(
    ("persona", "links"),
    [
        ("allocated", {"people:edit", "people:address-add", "people:name-add", "people:relationship-add"}),
        (
            "manager",
            {
                "people:edit",
                "people:address-add",
                "people:name-add",
                "people:relationship-add",
                "people:merge",
                "access:restrict",
            },
        ),
        ("health", set()),
    ],
)
def test_it_links_to_the_changes_the_role_may_make(client, world, persona, links):
    f.sign_in(client, world.personas()[persona])
    html = get(client, "people:detail", world.child).content.decode()
    every = {
        "people:edit",
        "people:address-add",
        "people:name-add",
        "people:relationship-add",
        "people:merge",
        "access:restrict",
    }
    shown = {name for name in every if f'href="{reverse(name, kwargs={"public_id": world.child.public_id})}"' in html}
    assert shown == links


def test_it_marks_a_restricted_record(client, world):
    world.child.is_restricted = True
    world.child.save(update_fields=["is_restricted"])
    NamedAccess.objects.create(
        person=world.child,
        user=world.allocated,
        granted_by=world.manager,
        granted_at=timezone.now(),
        reason="Adoption placement",
    )
    f.sign_in(client, world.allocated)
    response = get(client, "people:detail", world.child)
    assert response.status_code == 200
    assert 'govuk-tag--red">Restricted record</strong>' in response.content.decode()


def test_it_says_when_the_record_was_merged_into_another(client, world):
    world.sibling.merged_into = world.child
    world.sibling.save(update_fields=["merged_into"])
    f.involve(world.sibling, user=world.allocated, created_by=world.manager)
    f.sign_in(client, world.allocated)
    html = get(client, "people:detail", world.sibling).content.decode()
    assert "This record was merged into another record" in html
    assert f'href="{reverse("people:detail", kwargs={"public_id": world.child.public_id})}"' in html


def test_an_unborn_child_shows_the_due_date_and_the_pregnant_person(client, world):
    unborn = f.make_person(
        world.la,
        given_name="",
        family_name="Example",
        date_of_birth=None,
        kind="UNBORN",
        expected_due_date=timezone.localdate() + dt.timedelta(days=60),
        pregnant_person=world.parent,
    )
    f.involve(unborn, user=world.allocated, created_by=world.manager)
    f.sign_in(client, world.allocated)
    html = get(client, "people:detail", unborn).content.decode()
    assert '<h1 class="govuk-heading-l">Unborn baby Example</h1>' in html
    assert "Expected due date" in html and "Date of birth" not in html
    due = unborn.expected_due_date
    assert f"{due.day} {due:%B %Y}" in html
    assert (
        f'href="{reverse("people:detail", kwargs={"public_id": world.parent.public_id})}">Testparent Example</a>'
        in html
    )


def test_the_full_chronology_is_paginated_100_to_a_page_and_audited(client, world):
    add_chronology(world.child, 230)
    f.sign_in(client, world.allocated)
    first = get(client, "chronology:events", world.child).content.decode()
    assert len(re.findall(r"Event number \d+", first)) == 100
    assert "Event number 230" in first and "230 events" in first
    last = get(client, "chronology:events", world.child, page="3").content.decode()
    assert len(re.findall(r"Event number \d+", last)) == 30
    assert "Event number 1<" in last.replace("\n", "<")
    assert 'aria-current="page" aria-label="Page 3 of 3"' in last
    events = AuditEvent.objects.filter(action="person.chronology.view", actor=world.allocated, person=world.child)
    assert [e.details["page"] for e in events.order_by("id")] == [1, 3]


def test_the_full_access_log_is_paginated_and_audited(client, world):
    f.sign_in(client, world.allocated)
    for _ in range(55):
        get(client, "people:genogram-svg", world.child)
    html = get(client, "people:access-log", world.child).content.decode()
    assert len(re.findall(r"Viewed the family tree", html)) == 49  # 50 a page, this view first
    assert "Viewed the access log" in html and "56 entries" in html
    page2 = get(client, "people:access-log", world.child, page="2").content.decode()
    assert len(re.findall(r"Viewed the family tree", page2)) == 7  # page 1's view of the log came first
    assert (
        AuditEvent.objects.filter(action="person.access-log.view", person=world.child, outcome="ALLOWED").count() == 2
    )


def test_the_genogram_is_served_as_an_svg_image_and_audited(client, world):
    make_family(world)
    f.sign_in(client, world.health)
    response = get(client, "people:genogram-svg", world.child)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    body = response.content.decode()
    assert body.startswith('<svg xmlns="http://www.w3.org/2000/svg"') and body.rstrip().endswith("</svg>")
    assert ">Testgran</text>" in body and ">Key</text>" in body
    assert AuditEvent.objects.filter(action="person.genogram.view", actor=world.health, outcome="ALLOWED").exists()


def test_a_signed_out_visitor_is_sent_to_sign_in(client, world):
    response = get(client, "people:detail", world.child)
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:sign-in"))
    assert not AuditEvent.objects.filter(person=world.child).exists()
