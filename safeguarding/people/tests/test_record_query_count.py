"""The child's page makes the same number of queries however large the record is (no N+1).

(Django skips a prefetch when there is nothing to prefetch, so both records belong to a family group.)
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from safeguarding.access.models import InvolvementKind
from safeguarding.audit.models import AuditEvent
from safeguarding.people.models import Address, FamilyGroup, FamilyMember, Person, PersonDisability, PersonName
from tests import factories as f

from .test_record import add_chronology, make_family, relate

# The page itself needs about 24; each app's panel (people/panels.py: voice, casework, front door,
# early help, oversight) adds one to four. What must hold is that the count does not grow with the record.
MAX_QUERIES = 40


def make_large_record(world) -> Person:
    """A child with 300 chronology entries, dozens of relatives, addresses, names and professionals."""
    big = f.make_person(world.la, given_name="Testbig", family_name="Record", date_of_birth=dt.date(2012, 2, 2))
    f.involve(big, user=world.allocated, created_by=world.manager)
    add_chronology(big, 300)
    la = world.la
    parents = [
        f.make_person(la, given_name=f"Testparent{i}", family_name="Record", kind="ADULT", sex="MF"[i])
        for i in range(2)
    ]
    for parent in parents:
        relate(parent, big, "PARENT")
        for g in range(2):
            relate(f.make_person(la, given_name=f"Testgp{g}", family_name="Record", kind="ADULT"), parent, "PARENT")
    relate(parents[0], parents[1], "PARTNER", end_date=dt.date(2018, 1, 1))
    for i in range(25):
        sibling = f.make_person(
            la, given_name=f"Testsib{i}", family_name="Record", date_of_birth=dt.date(2010, 1, i + 1)
        )
        relate(sibling, big, "HALF_SIBLING" if i % 2 else "SIBLING")
        relate(parents[i % 2], sibling, "PARENT")
    for i in range(6):
        carer = f.make_person(la, given_name=f"Testcarer{i}", family_name="Record", kind="ADULT")
        relate(carer, big, "CARER", end_date=dt.date(2020, 1, 1) if i % 2 else None)
        relate(carer, parents[0], "OTHER")
    for i in range(10):
        Address.objects.create(
            person=big,
            line_1=f"{i} Long Road",
            postcode="NB1 1AA",
            valid_from=dt.date(2010 + i, 1, 1),
            valid_to=None if i == 9 else dt.date(2010 + i, 12, 31),
        )
        PersonName.objects.create(person=big, kind="ALIAS", given_name=f"Alias{i}", family_name="Record")
    for code in ("AUT", "LD", "VIS", "HEAR"):
        PersonDisability.objects.create(person=big, code=code)
    for i in range(3):
        group = FamilyGroup.objects.create(local_authority=la, name=f"Household {i}", created_at=timezone.now())
        for member in [big, *parents]:
            FamilyMember.objects.create(family=group, person=member)
    for _ in range(4):
        f.involve(big, team=world.team_a, kind=InvolvementKind.TEAM, created_by=world.manager)
        f.involve(
            big, user=world.health, org=world.trust, kind=InvolvementKind.PARTNER_PROFESSIONAL, created_by=world.manager
        )
    AuditEvent.objects.bulk_create(
        AuditEvent(
            at=timezone.now(),
            actor=world.colleague,
            actor_name="Bea Colleague",
            role="SOCIAL_WORKER",
            organisation=world.la,
            action="person.view",
            person=big,
            basis="team-involvement",
        )
        for _ in range(60)
    )
    return big


def _queries_to_open(client, person, django_assert_max_num_queries) -> int:
    with django_assert_max_num_queries(MAX_QUERIES) as captured:
        response = client.get(reverse("people:detail", kwargs={"public_id": person.public_id}))
    assert response.status_code == 200
    return len(captured)


def test_the_childs_page_makes_the_same_number_of_queries_for_a_small_and_a_large_record(
    client, world, django_assert_max_num_queries
):
    small = world.child
    add_chronology(small, 3)
    make_family(world)
    group = FamilyGroup.objects.create(local_authority=world.la, name="Small household", created_at=timezone.now())
    FamilyMember.objects.create(family=group, person=small)
    big = make_large_record(world)
    f.sign_in(client, world.allocated)
    client.get(reverse("people:detail", kwargs={"public_id": small.public_id}))  # warm the session
    small_count = _queries_to_open(client, small, django_assert_max_num_queries)
    big_count = _queries_to_open(client, big, django_assert_max_num_queries)
    assert big_count == small_count
    html = client.get(reverse("people:detail", kwargs={"public_id": big.public_id})).content.decode()
    assert "Testsib24" in html and "Event number 300" in html and "View the full chronology (300 events)" in html
