"""The census tests' fixed set of children (golden files) and the validator's availability."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

import pytest

from safeguarding.census import validation
from safeguarding.people.models import Person

from . import factories as cf

D = dt.date


@dataclass
class Golden:
    protected: Person  # CP journey in 2025-26, an earlier plan in 2022, reviews and category changes
    nfa: Person  # referral with no further action, 2025-26
    open_at_start: Person  # referred 2025-01, open on 1 April 2025, closed in 2025-26
    unborn: Person  # referred before birth, 2025-26
    no_conference: Person  # s47 found no need for a conference; closure after 31 March 2026
    transfer_in: Person  # ICPC without an s47 in the episode
    closed_before: Person  # closed on 31 March 2025: in 2024-25 only
    referred_after: Person  # referred on 2 April 2026: in neither year
    elsewhere: Person  # another authority's child


def build_golden(world) -> Golden:
    la = world.la
    protected = cf.child(
        la,
        given_name="Goldie",
        la_person_id="NB-000001",
        date_of_birth=D(2014, 5, 1),
        upn=cf.valid_upn("886", "1234", "12", 345),
        disabilities=("AUT", "COMM"),
    )
    earlier = cf.episode(protected, D(2022, 3, 1), closed=D(2023, 1, 10), reason="RC7")
    cf.cp_plan(earlier, D(2022, 4, 1), end=D(2022, 12, 1), category="PHY")
    _, plan = cf.protection_journey(
        protected,
        D(2025, 5, 2),
        s47_start=D(2025, 5, 20),
        icpc=D(2025, 6, 5),
        reviews=(D(2025, 9, 1), D(2026, 2, 27), D(2026, 4, 20)),
    )
    cf.category_change(plan, D(2025, 12, 1), "MUL")
    cf.category_change(plan, D(2026, 4, 10), "EMO")  # after 31 March 2026: not in 2025-26

    nfa = cf.child(la, given_name="Nora", la_person_id="NB000002", date_of_birth=D(2019, 2, 3), sex="F")
    cf.episode(nfa, D(2025, 7, 1), source="1A", need="", nfa=True, closed=D(2025, 7, 1), reason="RC7")

    open_at_start = cf.child(
        la, given_name="Oscar", la_person_id="NB000003", date_of_birth=D(2012, 9, 9), sex="M", ethnicity="BAFR"
    )
    ep = cf.episode(open_at_start, D(2025, 1, 10), source="2A", need="N4", closed=D(2025, 10, 1), reason="RC7")
    cf.assessment(ep, D(2025, 1, 10), authorised=D(2025, 2, 20), factors=("4B", "1B"))
    cf.cin_plan(ep, D(2025, 2, 25), end=D(2025, 10, 1))

    unborn = cf.child(
        la,
        given_name="",
        family_name="Goldunborn",
        la_person_id="NB000004",
        date_of_birth=None,
        kind="UNBORN",
        expected_due_date=D(2026, 5, 15),
        sex="U",
        ethnicity="NOBT",
    )
    ep = cf.episode(unborn, D(2026, 1, 5), source="3B", need="N1")
    cf.assessment(ep, D(2026, 1, 5))

    no_conference = cf.child(la, given_name="Nell", la_person_id="NB000005", date_of_birth=D(2010, 1, 20))
    ep = cf.episode(no_conference, D(2025, 9, 1), source="6", need="N5", closed=D(2026, 4, 15), reason="RC7")
    cf.section47(ep, D(2025, 9, 3), completed=D(2025, 9, 20), outcome="NFA")
    cf.assessment(ep, D(2025, 9, 1), authorised=D(2025, 10, 10), factors=("2B",))
    cf.cin_plan(ep, D(2025, 10, 15))

    transfer_in = cf.child(la, given_name="Theo", la_person_id="NB000006", date_of_birth=D(2016, 6, 6), sex="M")
    ep = cf.episode(transfer_in, D(2025, 11, 3), source="5C", need="N1")
    cf.initial_conference(ep, D(2025, 11, 14), category="EMO")
    cf.cp_plan(ep, D(2025, 11, 14), category="EMO")

    closed_before = cf.child(la, given_name="Cleo", la_person_id="NB000007", date_of_birth=D(2011, 3, 3))
    ep = cf.episode(closed_before, D(2024, 6, 3), source="3A", need="N3", closed=D(2025, 3, 31), reason="RC8")
    cf.assessment(ep, D(2024, 6, 3), authorised=D(2024, 7, 15), factors=("21",))

    referred_after = cf.child(la, given_name="Rex", la_person_id="NB000008", date_of_birth=D(2013, 8, 8))
    cf.episode(referred_after, D(2026, 4, 2))

    elsewhere = cf.child(world.other_la, given_name="Ezra", la_person_id="SM000001", date_of_birth=D(2015, 1, 1))
    cf.episode(elsewhere, D(2025, 6, 2))
    return Golden(
        protected=protected,
        nfa=nfa,
        open_at_start=open_at_start,
        unborn=unborn,
        no_conference=no_conference,
        transfer_in=transfer_in,
        closed_before=closed_before,
        referred_after=referred_after,
        elsewhere=elsewhere,
    )


@pytest.fixture
def golden(world) -> Golden:
    return build_golden(world)


@pytest.fixture
def needs_validator() -> None:
    """Skip where the isolated validator is not built (run `make cin-validator`); fail in CI instead."""
    if validation.validator_available():
        return
    if os.environ.get("CI"):
        pytest.fail("The CIN census validator is not installed in CI: `make test` builds it (make cin-validator)")
    pytest.skip("The CIN census validator is not installed: run `make cin-validator`")
