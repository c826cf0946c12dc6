"""The genogram layout is a pure function of the person and the recorded relationships."""

from __future__ import annotations

import datetime as dt
import itertools
import re

from django.template.loader import render_to_string

from safeguarding.people import genogram
from safeguarding.people.models import Person, Relationship

TODAY = dt.date(2025, 6, 1)
_pk = itertools.count(1)


def person(given: str, sex: str = "U", born: dt.date | None = dt.date(1990, 1, 1), **kwargs) -> Person:
    return Person(pk=next(_pk), given_name=given, family_name="Example", sex=sex, date_of_birth=born, **kwargs)


def rel(a: Person, b: Person, type: str, **kwargs) -> Relationship:
    """`a` is the <type> of `b`."""
    return Relationship(pk=next(_pk), from_person=a, to_person=b, type=type, **kwargs)


class Family:
    """A child with two generations around them, recorded the way practitioners record them."""

    def __init__(self) -> None:
        self.child = person("Sam", "M", dt.date(2016, 3, 14))
        self.mum = person("Jo", "F", dt.date(1988, 1, 9))
        self.dad = person("Lee", "M", dt.date(1986, 5, 2))
        self.stepdad = person("Chris", "M", dt.date(1984, 2, 2))
        self.sister = person("Amy", "F", dt.date(2014, 7, 2))
        self.half_brother = person("Ben", "M", dt.date(2021, 1, 5))
        self.gran = person("Ann", "F", dt.date(1962, 4, 4))
        self.grandad = person("Bob", "M", dt.date(1960, 8, 8))
        self.aunt = person("Kim", "F", dt.date(1990, 9, 9))
        self.neighbour = person("Pat", "U", None)
        self.grans_sister = person("Val", "F", dt.date(1965, 1, 1))
        self.relationships = [
            rel(self.mum, self.child, "PARENT", start_date=dt.date(2016, 3, 14)),
            rel(self.dad, self.child, "PARENT", start_date=dt.date(2016, 3, 14)),
            rel(self.stepdad, self.child, "STEP_PARENT", start_date=dt.date(2020, 6, 1)),
            rel(self.sister, self.child, "SIBLING"),
            rel(self.aunt, self.child, "CARER", description="Kinship carer at weekends", end_date=dt.date(2024, 1, 31)),
            rel(self.neighbour, self.child, "OTHER", description="Neighbour"),
            # Second degree: recorded on the relatives' records.
            rel(self.mum, self.dad, "PARTNER", start_date=dt.date(2010, 1, 1), end_date=dt.date(2019, 5, 1)),
            rel(self.mum, self.stepdad, "PARTNER", start_date=dt.date(2020, 6, 1)),
            rel(self.gran, self.mum, "PARENT"),
            rel(self.grandad, self.mum, "PARENT"),
            rel(self.mum, self.half_brother, "PARENT"),
            rel(self.stepdad, self.half_brother, "PARENT"),
            rel(self.grans_sister, self.gran, "SIBLING"),  # third degree: not drawn
        ]

    def build(self) -> genogram.Genogram:
        return genogram.build(self.child, self.relationships, today=TODAY)


def members(tree: genogram.Genogram) -> dict[int, genogram.Member]:
    return {m.key: m for m in tree.members}


def line_between(tree: genogram.Genogram, kind: str, *people: Person) -> genogram.Line:
    keys = {p.pk for p in people}
    found = [line for line in tree.lines if line.kind == kind and keys <= set(line.keys)]
    assert len(found) == 1, (kind, [p.given_name for p in people], tree.lines)
    return found[0]


def test_it_puts_each_relative_in_their_generation():
    family = Family()
    tree = family.build()
    m = members(tree)
    generations = {
        name: m[getattr(family, name).pk].generation
        for name in vars(family)
        if name != "relationships"
        if getattr(family, name).pk in m
    }
    assert generations == {
        "child": 0,
        "mum": -1,
        "dad": -1,
        "stepdad": -1,
        "aunt": -1,
        "sister": 0,
        "half_brother": 0,
        "gran": -2,
        "grandad": -2,
    }
    # Rows from top to bottom: grandparents, parents and carers, the child's generation.
    assert [gen for gen, _row in tree.rows] == [-2, -1, 0]
    assert m[family.gran.pk].y < m[family.mum.pk].y < m[family.child.pk].y == m[family.sister.pk].y


def test_it_puts_the_childs_own_children_in_the_row_below():
    mother = person("Tia", "F", dt.date(2008, 2, 2))
    baby = person("Rio", "M", dt.date(2025, 1, 10))
    gran = person("Dee", "F", dt.date(1980, 3, 3))
    tree = genogram.build(mother, [rel(mother, baby, "PARENT"), rel(gran, mother, "PARENT")], today=TODAY)
    m = members(tree)
    assert (m[gran.pk].generation, m[mother.pk].generation, m[baby.pk].generation) == (-1, 0, 1)
    assert m[baby.pk].role == "Child" and m[baby.pk].age == "4 months old"
    assert m[gran.pk].y < m[mother.pk].y < m[baby.pk].y


def test_it_draws_ended_relationships_dashed():
    family = Family()
    tree = family.build()
    assert line_between(tree, "partner", family.mum, family.dad).ended is True
    assert line_between(tree, "partner", family.mum, family.stepdad).ended is False
    carer_line = line_between(tree, "descent", family.aunt, family.child)
    assert carer_line.ended is True and carer_line.care is True
    svg = render_to_string("people/_genogram_svg.html", {"genogram": tree})
    dashed = re.findall(r'<path class="app-genogram__(\w+)" d="[^"]+" stroke-dasharray="8 6"', svg)
    assert sorted(dashed) == ["descent", "partner"]  # the ended partnership and the ended care


def test_it_joins_partners_and_parents_to_their_children():
    family = Family()
    tree = family.build()
    assert line_between(tree, "descent", family.mum, family.dad, family.child).ended is False
    line_between(tree, "descent", family.mum, family.dad, family.sister)  # a full sibling shares the parents
    line_between(tree, "descent", family.mum, family.stepdad, family.half_brother)
    line_between(tree, "descent", family.gran, family.grandad, family.mum)
    line_between(tree, "partner", family.gran, family.grandad)  # drawn as a couple though not recorded
    m = members(tree)
    # Partners stand side by side; nobody overlaps.
    assert abs(m[family.mum.pk].x - m[family.dad.pk].x) == genogram.COLUMN
    assert abs(m[family.mum.pk].x - m[family.stepdad.pk].x) == genogram.COLUMN
    for _gen, row in tree.rows:
        xs = sorted(member.x for member in row)
        assert all(b - a >= genogram.COLUMN for a, b in itertools.pairwise(xs))
    assert all(0 < member.x < tree.width for member in tree.members)


def test_it_labels_carers_and_step_parents():
    family = Family()
    m = members(family.build())
    assert m[family.stepdad.pk].role == "Step-parent"
    assert m[family.aunt.pk].role == "Carer"
    assert m[family.half_brother.pk].role == "Half-sibling"  # a child of the mother and the stepfather
    assert m[family.gran.pk].role == "Grandparent"
    assert m[family.child.pk].role == "This child"
    texts = [line.text for line in m[family.aunt.pk].text_lines]
    assert texts == ["Kim", "Example", "Age 34", "Carer"]
    assert "Kinship carer at weekends" in m[family.aunt.pk].tooltip


def test_a_step_parent_joined_to_a_parent_has_no_line_of_their_own_but_a_lone_one_has_a_dotted_line():
    family = Family()
    tree = family.build()
    assert not [line for line in tree.lines if line.keys == (family.stepdad.pk, family.child.pk)]
    child, step = person("Noa", "F", dt.date(2015, 1, 1)), person("Max", "M")
    lone = genogram.build(child, [rel(step, child, "STEP_PARENT")], today=TODAY)
    assert line_between(lone, "descent", step, child).care is True


def test_the_text_alternative_lists_exactly_the_recorded_relationships():
    family = Family()
    tree = family.build()
    rows = {(row.person, row.relationship, row.since, row.until) for row in tree.listed}
    assert rows == {
        ("Jo Example", "Parent", dt.date(2016, 3, 14), None),
        ("Lee Example", "Parent", dt.date(2016, 3, 14), None),
        ("Chris Example", "Step-parent", dt.date(2020, 6, 1), None),
        ("Amy Example", "Sibling", None, None),
        ("Kim Example", "Carer: Kinship carer at weekends", None, dt.date(2024, 1, 31)),
        ("Jo Example", "Parent (partner of Lee Example)", dt.date(2010, 1, 1), dt.date(2019, 5, 1)),
        ("Jo Example", "Parent (partner of Chris Example)", dt.date(2020, 6, 1), None),
        ("Ann Example", "Grandparent (parent of Jo Example)", None, None),
        ("Bob Example", "Grandparent (parent of Jo Example)", None, None),
        ("Ben Example", "Half-sibling (child of Jo Example)", None, None),
        ("Ben Example", "Half-sibling (child of Chris Example)", None, None),
    }
    assert len(tree.listed) == len(rows)
    # Not drawn and not listed: the neighbour ("Other") and the grandmother's sister (third degree).
    assert {m.key for m in tree.members}.isdisjoint({family.neighbour.pk, family.grans_sister.pk})
    recorded = {r.pk for r in family.relationships}
    assert {row.relationship_id for row in tree.listed} <= recorded
    # Closest first: the relationships recorded with the child, then those found through a relative.
    assert [row.person for row in tree.listed][:5] == [
        "Jo Example",
        "Lee Example",
        "Amy Example",
        "Chris Example",
        "Kim Example",
    ]


def test_it_draws_symbols_by_sex_and_a_double_outline_for_the_child():
    child = person("Sam", "M", dt.date(2016, 3, 14))
    mum, relative, baby = person("Jo", "F"), person("Ray", "U"), person("", "U", None, kind="UNBORN")
    baby.expected_due_date = dt.date(2025, 9, 3)
    tree = genogram.build(
        child,
        [rel(mum, child, "PARENT"), rel(relative, child, "SIBLING"), rel(baby, child, "HALF_SIBLING")],
        today=TODAY,
    )
    m = members(tree)
    assert [s.kind for s in m[child.pk].shapes] == ["rect", "rect"] and m[child.pk].shapes[1].outer
    assert [s.kind for s in m[mum.pk].shapes] == ["circle"]
    assert m[relative.pk].symbol == "diamond" and m[baby.pk].symbol == "triangle"
    assert m[baby.pk].age == "Due 3 Sep 2025"


def test_it_withholds_the_names_of_relatives_whose_records_are_restricted():
    child, hidden = person("Sam", "M"), person("Secret", "F", is_restricted=True)
    tree = genogram.build(child, [rel(hidden, child, "PARENT", description="At a refuge")], today=TODAY)
    m = members(tree)
    assert m[hidden.pk].name == "Name withheld (restricted record)"
    assert "Secret" not in m[hidden.pk].tooltip + " ".join(line.text for line in m[hidden.pk].text_lines)
    assert [(row.person, row.relationship) for row in tree.listed] == [("Name withheld (restricted record)", "Parent")]


def test_the_svg_is_an_accessible_image_with_a_title_and_description():
    family = Family()
    svg = render_to_string("people/_genogram_svg.html", {"genogram": family.build()})
    assert svg.startswith("<svg ")
    assert 'role="img"' in svg and 'aria-labelledby="genogram-title genogram-desc"' in svg
    assert '<title id="genogram-title">Family tree (genogram) of Sam Example</title>' in svg
    assert re.search(r'<desc id="genogram-desc">8 relatives recorded \(1 carer, 2 grandparents, ', svg)
    for name in ("Jo", "Lee", "Chris", "Amy", "Ben", "Ann", "Bob", "Kim"):
        assert f">{name}</text>" in svg
    assert ">Age 9</text>" in svg  # the child's age, as text


def test_a_person_with_no_relationships_has_an_empty_tree():
    tree = genogram.build(person("Solo"), [], today=TODAY)
    assert tree.is_empty and tree.listed == [] and tree.lines == []


def test_a_parents_partner_stands_beside_them_whichever_way_it_was_recorded():
    child, mum, dad = person("Sam", "M", dt.date(2016, 3, 14)), person("Jo", "F"), person("Lee", "M")
    partner, other = person("Alex", "U"), person("Robin", "F")
    rels = [
        rel(mum, child, "PARENT"),
        rel(dad, child, "PARENT"),
        rel(partner, mum, "PARTNER"),  # recorded on the mother's record only
        rel(other, child, "PARTNER_OF_PARENT"),  # recorded on the child's, with no partnership to a parent
    ]
    tree = genogram.build(child, rels, today=TODAY)
    m = members(tree)
    assert (m[partner.pk].generation, m[partner.pk].role) == (-1, "Partner of a parent")
    assert (m[other.pk].generation, m[other.pk].role) == (-1, "Partner of a parent")
    line_between(tree, "partner", mum, partner)
    assert abs(m[partner.pk].x - m[mum.pk].x) == genogram.COLUMN
    assert [row.relationship for row in tree.listed if row.person == "Alex Example"] == [
        "Partner of a parent (partner of Jo Example)"
    ]
