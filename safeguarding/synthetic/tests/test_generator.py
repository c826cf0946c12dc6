"""The generator writes realistic, reproducible, entirely synthetic local areas."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

import jellyfish
import nhs_number
import pytest

from safeguarding.access import queries
from safeguarding.access.models import Involvement, InvolvementKind
from safeguarding.access.policy import basis_for
from safeguarding.accounts.models import Membership, User
from safeguarding.accounts.principal import Principal
from safeguarding.accounts.roles import Role
from safeguarding.chronology.models import ChronologyEntry
from safeguarding.core.text import fold, normalise_postcode
from safeguarding.organisations.models import Organisation, OrganisationType, Succession
from safeguarding.people.codes import PersonKind, RelationshipType
from safeguarding.people.identifiers import clean_upn
from safeguarding.people.models import (
    Address,
    FamilyMember,
    NameKey,
    Person,
    PersonDisability,
    PersonName,
    Relationship,
)
from safeguarding.people.search import keys_for
from safeguarding.people.services import probable_duplicates
from safeguarding.synthetic.generator import SeedingRefused, generate, search_name

from .conftest import AS_OF, NOW, rolled_back, seed

pytestmark = pytest.mark.django_db


def _digest() -> tuple:
    people = list(
        Person.objects.order_by("id").values_list(
            "public_id", "given_name", "family_name", "date_of_birth", "nhs_number", "ethnicity", "la_person_id"
        )
    )
    relationships = list(
        Relationship.objects.order_by("id").values_list(
            "from_person__public_id", "to_person__public_id", "type", "start_date", "end_date"
        )
    )
    addresses = list(Address.objects.order_by("id").values_list("person__public_id", "line_1", "postcode"))
    users = list(User.objects.order_by("id").values_list("username", "first_name", "last_name"))
    return people, relationships, addresses, users


def _seeded_digest(seed_value: int) -> tuple:
    with rolled_back():
        seed(150, seed=seed_value)
        return _digest()


def test_it_generates_the_same_data_for_the_same_seed():
    first, second, other = _seeded_digest(7), _seeded_digest(7), _seeded_digest(8)
    assert len(first[0]) > 300
    assert first == second
    assert first[0] != other[0]


def test_it_creates_every_organisation_type_relationship_type_and_role():
    seed(60)
    assert set(Organisation.objects.values_list("type", flat=True)) == set(OrganisationType.values)
    assert set(Relationship.objects.values_list("type", flat=True)) == set(RelationshipType.values)
    assert set(Membership.objects.values_list("role", flat=True)) == set(Role.values)
    assert Relationship.objects.filter(end_date__isnull=False).exists()


def test_it_records_the_nhs_commissioner_successions():
    summary = seed(60)
    orgs = summary.areas[0].orgs
    chain = {(s.predecessor_id, s.successor_id): s.effective_date for s in Succession.objects.all()}
    assert chain[(orgs["pct"].pk, orgs["ccg"].pk)] == dt.date(2013, 4, 1)
    assert chain[(orgs["ccg"].pk, orgs["icb"].pk)] == dt.date(2022, 7, 1)
    assert orgs["ccg"].valid_to == dt.date(2022, 6, 30) and orgs["icb"].valid_from == dt.date(2022, 7, 1)
    partnership = summary.areas[0].partnership
    members = set(partnership.organisations.values_list("type", flat=True))
    assert OrganisationType.SCHOOL in members and OrganisationType.GP_PRACTICE in members
    assert OrganisationType.PRIMARY_CARE_TRUST not in members  # abolished bodies are not partners


def test_its_identifiers_are_in_the_documented_fictional_ranges():
    seed(100, local_authorities=2)
    for org in Organisation.objects.all():
        assert not org.dfe_la_code or org.dfe_la_code in ("950", "951")
        assert not org.ods_code or org.ods_code.startswith("ZZ")
        assert not org.school_urn or int(org.school_urn) >= 900000
        assert not org.office_hours_phone or org.office_hours_phone.startswith(
            ("0161 496 0", "020 7946 0", "01632 960")
        )


def test_it_refuses_impossible_requests():
    with pytest.raises(SeedingRefused):
        generate(seed=1, local_authorities=0, children=10, as_of=AS_OF, now=NOW)
    with pytest.raises(SeedingRefused):
        generate(seed=1, local_authorities=1, children=1, as_of=AS_OF, now=NOW)


def test_a_second_run_adds_new_areas_without_reusing_codes_or_nhs_numbers():
    seed(80, seed=1)
    seed(80, seed=1)
    assert sorted(Organisation.objects.exclude(dfe_la_code="").values_list("dfe_la_code", flat=True)) == ["950", "951"]
    numbers = Counter(Person.objects.exclude(nhs_number="").values_list("nhs_number", flat=True))
    shared = [n for n, count in numbers.items() if count > 1]
    for number in shared:  # only deliberate duplicates share a number: same name and date of birth
        pair = Person.objects.filter(nhs_number=number)
        assert len({(p.family_name, p.date_of_birth) for p in pair}) == 1


# --- On a local area of 2,000 children ------------------------------------------------------------


def test_every_nhs_number_is_valid_and_in_the_never_issued_999_range(two_thousand):
    numbers = list(Person.objects.exclude(nhs_number="").values_list("nhs_number", flat=True))
    assert len(numbers) > 4000
    assert all(n.startswith("999") and nhs_number.is_valid(n) for n in numbers)
    assert not Person.objects.filter(kind=PersonKind.UNBORN).exclude(nhs_number="").exists()


def test_ethnicity_is_roughly_in_national_proportions(two_thousand):
    counts = Counter(Person.objects.filter(kind=PersonKind.CHILD).values_list("ethnicity", flat=True))
    total = sum(counts.values())
    assert total == 2000

    def share(*codes: str) -> float:
        return sum(counts[c] for c in codes) / total

    assert 0.62 <= share("WBRI") <= 0.76
    assert 0.04 <= share("WIRI", "WIRT", "WOTH", "WROM") <= 0.11
    assert 0.025 <= share("MWBC", "MWBA", "MWAS", "MOTH") <= 0.095
    assert 0.06 <= share("AIND", "APKN", "ABAN", "AOTH") <= 0.15
    assert 0.02 <= share("BCRB", "BAFR", "BOTH") <= 0.085
    assert len(counts) >= 17


def test_names_carry_apostrophes_hyphens_and_diacritics(two_thousand):
    names = [f"{g} {f}" for g, f in Person.objects.values_list("given_name", "family_name")]
    assert any("'" in n for n in names)
    assert any("-" in n for n in names)
    assert any(not n.isascii() for n in names)
    assert len({n.split(" ", 1)[-1] for n in names}) > 300  # many different family names


def test_every_person_has_the_search_keys_the_services_would_give_them(two_thousand):
    keys = defaultdict(set)
    for person_id, key in NameKey.objects.values_list("person_id", "key"):
        keys[person_id].add(key)
    other = defaultdict(list)
    for person_id, given, family in PersonName.objects.values_list("person_id", "given_name", "family_name"):
        other[person_id].append((given, family))
    assert other  # some people have previous names or aliases
    for person_id, given, family, stored in Person.objects.values_list(
        "id", "given_name", "family_name", "search_name"
    ):
        assert keys[person_id] == keys_for([(given, family), *other[person_id]]), person_id
        assert stored == search_name(given, family)


def test_a_misspelt_name_still_finds_the_child(two_thousand):
    area = two_thousand.areas[0]
    worker = (
        Membership.objects.filter(organisation=area.la, role=Role.SOCIAL_WORKER)
        .select_related("user", "organisation")
        .first()
    )
    principal = Principal(user=worker.user, membership=worker, channel="COMMAND")
    children = Person.objects.filter(kind=PersonKind.CHILD, is_restricted=False).order_by("id")[:400:40]
    for child in children:
        given = fold(child.given_name)  # lower case, no diacritics or apostrophes, and one letter doubled
        typo = f"{given[:2]}{given[2:3]}{given[2:]} {child.family_name.upper()}"
        found = queries.search_people(principal, now=NOW, name=typo, date_of_birth=child.date_of_birth)
        assert child in [hit.person for hit in found.hits], typo


def test_it_includes_unborn_children_restricted_records_and_probable_duplicates(two_thousand):
    unborn = list(Person.objects.filter(kind=PersonKind.UNBORN).select_related("pregnant_person"))
    assert unborn
    for baby in unborn:
        assert baby.expected_due_date > AS_OF and baby.pregnant_person.sex == "F"
        assert Relationship.objects.filter(from_person=baby.pregnant_person, to_person=baby, type="PARENT").exists()
    assert Person.objects.filter(is_restricted=True).exists()
    by_name_and_birth = defaultdict(list)
    for person in Person.objects.filter(kind=PersonKind.CHILD):
        by_name_and_birth[(person.family_name, person.date_of_birth)].append(person)
    # Deliberate duplicates differ from their original by one slip of the keyboard (or lost diacritics).
    pairs = [
        (a, b)
        for a, b in (g for g in by_name_and_birth.values() if len(g) == 2)
        if jellyfish.damerau_levenshtein_distance(fold(a.given_name), fold(b.given_name)) <= 1
    ]
    assert len(pairs) >= 2
    found = 0
    for first, second in pairs:
        offered = probable_duplicates(
            local_authority_ids=[first.local_authority_id],
            given_name=first.given_name,
            family_name=first.family_name,
            date_of_birth=first.date_of_birth,
            nhs_number=first.nhs_number,
            exclude_id=first.pk,
        )
        found += second in [d.person for d in offered]
    assert found >= len(pairs) * 0.75  # a dropped consonant can defeat the phonetic keys (ADR 0007)


def test_children_have_plausible_details(two_thousand):
    children = Person.objects.filter(kind=PersonKind.CHILD)
    ages = [(AS_OF - c.date_of_birth).days / 365.25 for c in children]
    assert min(ages) >= 0 and max(ages) < 18
    assert Counter(children.values_list("sex", flat=True))["U"] < 0.02 * len(ages)
    stated = list(children.exclude(gender=""))
    assert stated and all(c.age_on(AS_OF) >= 12 for c in stated)
    none = PersonDisability.objects.filter(person__kind=PersonKind.CHILD, code="NONE").count()
    assert 0.85 * len(ages) <= none < len(ages)
    languages = Counter(children.values_list("first_language", flat=True))
    assert 0.75 <= languages["English"] / len(ages) < 0.97 and len(languages) > 8
    school_age = [c for c in children if c.age_on(AS_OF) >= 4]
    with_upn = [c for c in school_age if c.upn]
    assert len(with_upn) >= 0.9 * len(school_age)
    assert all(clean_upn(c.upn) == c.upn for c in with_upn)
    assert len({c.upn for c in with_upn}) == len(with_upn)  # unique, as real UPNs are


def test_addresses_have_well_formed_fictional_postcodes_and_histories(two_thousand):
    area = two_thousand.areas[0].postcode_area
    addresses = list(Address.objects.all())
    assert all(normalise_postcode(a.postcode) == a.postcode and a.postcode.startswith(area) for a in addresses)
    assert all(a.valid_to is None or a.valid_from is None or a.valid_from <= a.valid_to for a in addresses)
    assert any(a.valid_to is not None for a in addresses)  # some people have moved
    assert FamilyMember.objects.filter(end_date__isnull=False).exists()


def test_open_children_have_workers_who_can_open_them_and_a_chronology(two_thousand):
    allocations = Involvement.objects.filter(kind=InvolvementKind.ALLOCATED_WORKER, end_date__isnull=True)
    assert allocations.count() > 40
    assert Involvement.objects.filter(kind=InvolvementKind.PARTNER_PROFESSIONAL).exists()
    assert Involvement.objects.filter(end_date__isnull=False).exists()
    for allocation in allocations.select_related("person", "user")[:60]:
        membership = Membership.objects.get(user=allocation.user, is_active=True)
        principal = Principal(user=allocation.user, membership=membership, channel="COMMAND")
        assert basis_for(principal, allocation.person, now=NOW) is not None
        assert Involvement.objects.filter(person=allocation.person, kind=InvolvementKind.TEAM).exists()
        assert ChronologyEntry.objects.filter(person=allocation.person).exists()
    entries = ChronologyEntry.objects.all()
    assert not entries.filter(recorded_by__isnull=True).exists()
    assert not entries.filter(recorded_at__gt=NOW).exists()
