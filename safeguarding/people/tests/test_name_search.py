"""Typo-tolerant name search, exercised through the access layer as a user would search."""

from __future__ import annotations

import pytest
from django.utils import timezone

from safeguarding.access import queries
from tests import factories as f


@pytest.fixture
def zoe(world):
    person = f.make_person(world.la, given_name="Zoë", family_name="O'Brien-Smith")
    f.involve(person, user=world.allocated, created_by=world.manager)
    return person


@pytest.mark.parametrize(
    "typed",
    [
        "Zoë O'Brien-Smith",
        "zoe obrien smith",
        "Zoe O Brien",
        "ZOE OBRIEN",
        "Zeo O'Brien",
        "obrien",
        "o'brien-smith",
        "Smith Zoe",
        "  zoë   o’brien  ",
    ],
)
def test_it_finds_a_name_despite_typos_spacing_apostrophes_and_diacritics(world, zoe, typed):
    result = queries.search_people(f.principal_for(world.allocated), now=timezone.now(), name=typed)
    assert zoe in [hit.person for hit in result.hits]


def test_it_does_not_return_unrelated_names(world, zoe):
    result = queries.search_people(f.principal_for(world.allocated), now=timezone.now(), name="Mohammed Khan")
    assert zoe not in [hit.person for hit in result.hits]
