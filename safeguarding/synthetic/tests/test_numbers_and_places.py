"""Synthetic identifiers and places: valid where they must be, invented where they must be."""

from __future__ import annotations

import itertools
import random

import nhs_number

from safeguarding.core.text import normalise_postcode
from safeguarding.people.identifiers import clean_upn, synthetic_nhs_number
from safeguarding.synthetic import places
from safeguarding.synthetic.numbers import nhs_numbers, upn


def test_it_yields_the_same_nhs_numbers_as_the_reference_generator():
    assert list(itertools.islice(nhs_numbers(), 300)) == [synthetic_nhs_number(i) for i in range(300)]


def test_every_nhs_number_it_yields_is_valid_and_in_the_never_issued_999_range():
    numbers = list(itertools.islice(nhs_numbers(), 50_000))
    assert all(n.startswith("999") and len(n) == 10 and nhs_number.is_valid(n) for n in numbers)
    assert numbers == sorted(set(numbers))
    assert not any(n.startswith("999000000") for n in numbers)  # that prefix has no valid check digit


def test_it_continues_after_the_last_number_used():
    first = list(itertools.islice(nhs_numbers(), 10))
    assert list(itertools.islice(nhs_numbers(after=first[4]), 5)) == first[5:10]


def test_upns_have_the_statutory_shape_and_a_check_letter():
    made = [upn("950", 2000 + i, 2019, i * 7) for i in range(200)]
    assert all(clean_upn(u) == u and u[1:4] == "950" for u in made)
    assert not any(u[0] in "IOS" for u in made)
    assert len({u[0] for u in made}) > 10  # the check letter depends on the digits


def test_place_names_are_invented_not_real_local_authorities():
    names = list(itertools.islice(places.place_names(random.Random(1), set()), 300))
    assert len(set(names)) == 300
    assert not any(places.is_real_la_name(n) for n in names)
    assert places.is_real_la_name("Kent") and places.is_real_la_name("Kentmere")  # the check can fail


def test_la_codes_and_postcode_areas_are_outside_the_real_ranges():
    assert not any(201 <= int(code) <= 943 for code in places.LA_CODES)
    assert {"991", "992"}.isdisjoint(places.LA_CODES)  # kept for the test fixtures
    assert len(set(places.POSTCODE_AREAS)) == len(places.POSTCODE_AREAS) >= len(places.LA_CODES)
    for area in ("B", "M", "SW", "AB", "ZE", "BX"):
        assert area not in places.POSTCODE_AREAS


def test_synthetic_postcodes_are_well_formed():
    rng = random.Random(2)
    for code in places.LA_CODES[:50]:
        made = places.postcode(places.postcode_area(code), rng.randint(1, 20), rng)
        assert normalise_postcode(made) == made
