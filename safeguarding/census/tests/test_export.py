"""The census XML: exactly what a fixed set of children gives (golden files), in the XSD's order,
with 0/1 booleans, for the children of the year only, and with nothing dated after 31 March."""

from __future__ import annotations

import datetime as dt
import difflib
import io
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import xmlschema
from django.db import connection
from django.test.utils import CaptureQueriesContext

from safeguarding.census import export, validation
from safeguarding.census.years import YEARS, current_or_latest, year_containing, year_for

from . import factories as cf

GOLDEN = Path(__file__).parent / "golden"
D = dt.date


def _export(la, label: str, **kwargs) -> bytes:
    out = io.BytesIO()
    export.write_census(out, local_authority=la, year=year_for(label), now=cf.AT, **kwargs)
    return out.getvalue()


def _root(data: bytes) -> ET.Element:
    return ET.fromstring(data)  # noqa: S314 - our own export


def _child(root: ET.Element, la_child_id: str) -> ET.Element | None:
    for child in root.iter("Child"):
        if child.findtext("ChildIdentifiers/LAchildID") == la_child_id:
            return child
    return None


@pytest.mark.parametrize("label", ["2024-25", "2025-26"])
def test_the_fixed_children_give_exactly_the_golden_file(world, golden, label):
    """Set OSG_UPDATE_GOLDEN=1 to rewrite the files after a deliberate change (then read the diff)."""
    data = _export(world.la, label)
    path = GOLDEN / f"cin_{label}.xml"
    if os.environ.get("OSG_UPDATE_GOLDEN"):
        path.write_bytes(data)
    expected = path.read_text(encoding="utf-8")
    diff = "\n".join(
        difflib.unified_diff(expected.splitlines(), data.decode().splitlines(), "golden", "export", lineterm="")
    )
    assert data.decode() == expected, diff


@pytest.mark.parametrize("label", ["2024-25", "2025-26"])
def test_the_export_is_valid_against_the_years_xsd(world, golden, label, tmp_path):
    path = tmp_path / "cin.xml"
    path.write_bytes(_export(world.la, label))
    errors, count = validation.check_xsd(path, year_for(label))
    assert count == 0, errors


def test_every_element_is_in_the_order_of_the_xsd_sequence(world, golden):
    year = year_for("2025-26")
    schema = xmlschema.XMLSchema(str(year.xsd_path))
    root = _root(_export(world.la, year.label))

    def check(element: ET.Element, declaration) -> None:
        if not declaration.type.has_complex_content():
            return
        declared = {e.name: e for e in declaration.type.content.iter_elements()}
        order = list(declared)
        positions = [order.index(child.tag) for child in element]
        assert positions == sorted(positions), f"{element.tag}: {[c.tag for c in element]} not in {order}"
        for child in element:
            check(child, declared[child.tag])

    check(root, schema.elements["Message"])
    details = root.find("Children/Child/CINdetails")
    tags = [c.tag for c in details]
    assert tags.index("Section47") < tags.index("ReferralNFA") < tags.index("ChildProtectionPlans")


def test_booleans_are_0_or_1_and_dates_are_iso(world, golden):
    data = _export(world.la, "2025-26")
    root = _root(data)
    flags = [e.text for e in root.iter() if e.tag in ("ReferralNFA", "ICPCnotRequired")]
    assert flags and set(flags) <= {"0", "1"}
    assert b"true" not in data.lower() and b"false" not in data.lower()
    for e in root.iter():
        if "Date" in e.tag and e.tag != "DateTime" and len(e) == 0:
            assert dt.date.fromisoformat(e.text or "") is not None


def test_only_the_children_of_the_year_are_in_it(world, golden):
    root = _root(_export(world.la, "2025-26"))
    ids = [c.findtext("ChildIdentifiers/LAchildID") for c in root.iter("Child")]
    assert ids == ["NB000001", "NB000002", "NB000003", "NB000004", "NB000005", "NB000006"]
    assert "NB000007" not in ids  # closed on 31 March 2025, the day before the year began
    assert "NB000008" not in ids  # referred on 2 April 2026, after the year
    assert "SM000001" not in ids  # another authority's child
    earlier = _root(_export(world.la, "2024-25"))
    assert [c.findtext("ChildIdentifiers/LAchildID") for c in earlier.iter("Child")] == ["NB000003", "NB000007"]


def test_a_child_open_on_1_april_is_in_with_their_episode_from_before_the_year(world, golden):
    child = _child(_root(_export(world.la, "2025-26")), "NB000003")
    assert child is not None
    assert child.findtext("CINdetails/CINreferralDate") == "2025-01-10"
    assert child.findtext("CINdetails/CINclosureDate") == "2025-10-01"
    assert child.find("CINdetails/Assessments") is None  # authorised in February 2025: last year's
    assert child.findtext("CINdetails/CINPlanDates/CINPlanStartDate") == "2025-02-25"


def test_activity_after_31_march_is_left_out(world, golden):
    root = _root(_export(world.la, "2025-26"))
    protected = _child(root, "NB000001")
    plan = protected.find("CINdetails/ChildProtectionPlans")
    assert [d.text for d in plan.iter("CPPreviewDate")] == ["2025-09-01", "2026-02-27"]  # not 20 April 2026
    assert len(plan.findall("Reviews")) == 1  # one <Reviews> holding every date
    assert plan.findtext("LatestCategoryOfAbuse") == "MUL"  # the change to EMO came in April 2026
    assert plan.findtext("InitialCategoryOfAbuse") == "NEG"
    still_open = _child(root, "NB000005")
    assert still_open.find("CINdetails/CINclosureDate") is None  # closed on 15 April 2026
    assert still_open.find("CINdetails/ReasonForClosure") is None


def test_earlier_plans_are_counted_and_conferences_sit_where_the_xsd_puts_them(world, golden):
    root = _root(_export(world.la, "2025-26"))
    protected = _child(root, "NB000001")
    assert protected.findtext("CINdetails/ChildProtectionPlans/NumberOfPreviousCPP") == "1"  # the 2022 plan
    assert protected.findtext("CINdetails/Section47/DateOfInitialCPC") == "2025-06-05"
    assert protected.findtext("CINdetails/Section47/ICPCnotRequired") == "0"
    assert protected.find("CINdetails/DateOfInitialCPC") is None  # never at both levels (2884)
    transfer = _child(root, "NB000006")
    assert transfer.findtext("CINdetails/DateOfInitialCPC") == "2025-11-14"  # no s47 in this episode
    no_conference = _child(root, "NB000005")
    assert no_conference.findtext("CINdetails/Section47/ICPCnotRequired") == "1"
    assert no_conference.find("CINdetails/Section47/DateOfInitialCPC") is None


def test_the_nfa_flag_unborn_children_and_disabilities(world, golden):
    root = _root(_export(world.la, "2025-26"))
    nfa = _child(root, "NB000002")
    assert nfa.findtext("CINdetails/ReferralNFA") == "1"
    assert nfa.findtext("ChildIdentifiers/UPNunknown") == "UN7"
    unborn = _child(root, "NB000004")
    assert unborn.findtext("ChildIdentifiers/Sex") == "U"
    assert unborn.findtext("ChildIdentifiers/ExpectedPersonBirthDate") == "2026-05-15"
    assert unborn.find("ChildIdentifiers/PersonBirthDate") is None
    assert [d.text for d in _child(root, "NB000001").iter("Disability")] == ["COMM", "AUT"]
    assert [d.text for d in nfa.iter("Disability")] == ["NONE"]  # nothing recorded is returned as NONE


def test_the_census_id_is_the_authoritys_own_id_or_20_characters_of_the_public_id(world):
    short = cf.child(world.la, la_person_id="AB-12/34")
    long = cf.child(world.la, la_person_id="X" * 25)
    none = cf.child(world.la)
    assert export.la_child_id(short) == "AB1234"
    for person in (long, none):
        derived = export.la_child_id(person)
        assert derived == person.public_id.hex[:20].upper()
        assert len(derived) == 20 and derived.isalnum()


def test_a_merged_duplicates_episode_is_returned_under_the_surviving_record(world):
    survivor = cf.child(world.la, la_person_id="SURV01")
    duplicate = cf.child(world.la, la_person_id="DUP01")
    cf.episode(survivor, D(2025, 4, 10), closed=D(2025, 5, 1))
    cf.episode(duplicate, D(2025, 8, 1))
    duplicate.merged_into = survivor
    duplicate.save(update_fields=["merged_into"])
    root = _root(_export(world.la, "2025-26"))
    ids = [c.findtext("ChildIdentifiers/LAchildID") for c in root.iter("Child")]
    assert ids == ["SURV01"]
    assert [d.text for d in root.iter("CINreferralDate")] == ["2025-04-10", "2025-08-01"]


def test_a_return_costs_the_same_queries_per_chunk_however_full_the_children(world):
    def queries_for(children: int) -> int:
        for i in range(children):
            person = cf.child(world.la, la_person_id=f"Q{children}X{i}")
            _, plan = cf.protection_journey(
                person, D(2025, 5, 2), s47_start=D(2025, 5, 5), icpc=D(2025, 5, 19), reviews=(D(2025, 8, 1),)
            )
            cf.category_change(plan, D(2025, 9, 1), "MUL")
        with CaptureQueriesContext(connection) as captured:
            _export(world.la, "2025-26", chunk_size=1000)
        return len(captured)

    few = queries_for(2)
    many = queries_for(6)  # 8 children in all, each with every kind of record
    assert few == many
    assert many <= export.QUERIES_PER_CHUNK + 2  # the chunk's queries plus the id list


def test_chunks_split_the_children_without_losing_or_repeating_any(world, golden):
    whole = _export(world.la, "2025-26")
    assert _export(world.la, "2025-26", chunk_size=2) == whole
    progress: list[int] = []
    _export(world.la, "2025-26", chunk_size=4, progress=progress.append)
    assert progress == [4, 2]


def test_years_run_from_1_april_to_31_march():
    year = year_for("2025-26")
    assert (year.start, year.reference_date, year.end_year) == (D(2025, 4, 1), D(2026, 3, 31), 2026)
    assert year_containing(D(2026, 3, 31)) is year
    assert year_containing(D(2026, 4, 1)) is YEARS["2026-27"]
    assert current_or_latest(D(2031, 1, 1)).label == "2026-27"
    with pytest.raises(ValueError, match="supported years are 2024-25, 2025-26"):
        year_for("2019-20")
