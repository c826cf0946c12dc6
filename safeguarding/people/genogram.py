"""A genogram (family tree) drawn from the relationships recorded on a person's record.

`build()` is a pure function: from the subject and the recorded relationships (their own,
and their relatives', as loaded by access.queries.family_relationships) it decides who is
drawn, in which generation, joined by which lines, and lays them out in rows:
grandparents, parents and carers, the subject's generation, children, grandchildren.
`Genogram.svg` draws the result as an SVG with format_html (ADR 0028: a template loop per shape
cost more than the rest of the tree), so every name and number is escaped there, as auto-escaping did.

Conventions: squares for males, circles for females, diamonds when the sex is not known,
triangles for unborn children; the subject has a double outline; a horizontal line joins
partners and lines descend from parents to their children; ended relationships are
dashed; carers and step-parents not joined to a parent are linked by a dotted line; every
symbol is labelled with the relative's relationship to the subject.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from .codes import PersonKind, RelationshipType
from .models import Person, Relationship

# Geometry, in SVG user units (px at full size).
COLUMN = 150  # width of one person's column
SIZE = 40  # width and height of a symbol
ROW = 175  # distance between the tops of two generations
MARGIN = 20
TOP = 36  # room above the first row for lines between partners who are not side by side
LINE_HEIGHT = 17
OUTLINE_GAP = 5  # between the two outlines of the subject
CLIP = 18  # characters of a name shown under a symbol (the full name is in the table)
KEY_HEIGHT = 7 * 20 + 16

GENERATION_NAMES = {
    -2: "grandparents",
    -1: "parents and carers",
    0: "the child's generation",
    1: "children",
    2: "grandchildren",
}

R = RelationshipType
# (type, subject is the `from` end) -> (relation, generation, label)
_DIRECT: dict[tuple[str, bool], tuple[str, int, str]] = {
    (R.PARENT, False): ("parent", -1, "Parent"),
    (R.STEP_PARENT, False): ("step-parent", -1, "Step-parent"),
    (R.CARER, False): ("carer", -1, "Carer"),
    (R.PARTNER_OF_PARENT, False): ("partner-of-parent", -1, "Partner of a parent"),
    (R.GRANDPARENT, False): ("grandparent", -2, "Grandparent"),
    (R.SIBLING, False): ("sibling", 0, "Sibling"),
    (R.SIBLING, True): ("sibling", 0, "Sibling"),
    (R.HALF_SIBLING, False): ("half-sibling", 0, "Half-sibling"),
    (R.HALF_SIBLING, True): ("half-sibling", 0, "Half-sibling"),
    (R.PARTNER, False): ("partner", 0, "Partner"),
    (R.PARTNER, True): ("partner", 0, "Partner"),
    (R.PARENT, True): ("child", 1, "Child"),
    (R.STEP_PARENT, True): ("step-child", 1, "Step-child"),
    (R.PARTNER_OF_PARENT, True): ("child-of-partner", 1, "Child of partner"),
    (R.GRANDPARENT, True): ("grandchild", 2, "Grandchild"),
}
# When one relative is recorded twice (a grandparent who is also the carer), the first
# relation in this order places them.
_PRIORITY = [
    "parent",
    "grandparent",
    "sibling",
    "half-sibling",
    "child",
    "grandchild",
    "step-parent",
    "partner-of-parent",
    "partner",
    "step-child",
    "child-of-partner",
    "carer",
]
_CARE_LIKE = {"step-parent", "partner-of-parent", "carer", "step-child", "child-of-partner"}
_SEX_ORDER = {"M": 0, "U": 1, "F": 2}


@dataclass(frozen=True)
class Shape:
    """One outline: kind is "rect", "circle" or "polygon" (with `points`)."""

    kind: str
    x: float = 0
    y: float = 0
    width: float = 0
    height: float = 0
    cx: float = 0
    cy: float = 0
    r: float = 0
    points: str = ""
    outer: bool = False


@dataclass(frozen=True)
class TextLine:
    x: float
    y: float
    text: str
    kind: str  # "name", "age" or "role"


@dataclass
class Member:
    key: int
    name: str
    given_name: str
    family_name: str
    sex: str
    is_unborn: bool
    age: str
    role: str
    generation: int
    is_subject: bool = False
    withheld: bool = False
    notes: list[str] = field(default_factory=list)
    date_of_birth: dt.date | None = None
    x: float = 0
    y: float = 0

    @property
    def symbol(self) -> str:
        if self.is_unborn:
            return "triangle"
        return {"M": "square", "F": "circle"}.get(self.sex, "diamond")

    @property
    def cx(self) -> float:
        return self.x

    @property
    def cy(self) -> float:
        return self.y + SIZE / 2

    @property
    def bottom(self) -> float:
        """Below the last line of text under the symbol."""
        return self.y + SIZE + 8 + LINE_HEIGHT * len(self.text_lines)

    @property
    def top(self) -> float:
        return self.y - (OUTLINE_GAP if self.is_subject else 0)

    @property
    def shapes(self) -> list[Shape]:
        shapes = [_shape(self.symbol, self.x, self.cy, SIZE / 2, outer=False)]
        if self.is_subject:
            shapes.append(_shape(self.symbol, self.x, self.cy, SIZE / 2 + OUTLINE_GAP, outer=True))
        return shapes

    @property
    def text_lines(self) -> list[TextLine]:
        texts = [(_clip(self.given_name), "name"), (_clip(self.family_name), "name"), (self.age, "age")]
        texts.append((_clip(self.role), "role"))
        lines = []
        y = self.y + SIZE + OUTLINE_GAP + 14
        for text, kind in texts:
            if text:
                lines.append(TextLine(x=self.x, y=y, text=text, kind=kind))
                y += LINE_HEIGHT
        return lines

    @property
    def tooltip(self) -> str:
        notes = "; ".join(n for n in self.notes if n)
        return f"{self.name}: {self.role}" + (f" ({notes})" if notes else "")


@dataclass(frozen=True)
class Line:
    kind: str  # "partner" or "descent"
    path: str  # an SVG path: numbers and M/L commands only
    ended: bool
    care: bool = False
    keys: tuple[int, ...] = ()  # the people it joins: partners, or parent(s) then child


@dataclass(frozen=True)
class Listed:
    """One row of the text alternative: one recorded relationship drawn in the genogram."""

    person: str
    relationship: str
    since: dt.date | None
    until: dt.date | None
    ended: bool
    relationship_id: int | None


@dataclass
class Genogram:
    subject: Member
    members: list[Member]
    lines: list[Line]
    listed: list[Listed]
    width: int
    height: int
    columns: int
    rows: list[tuple[int, list[Member]]]

    @property
    def is_empty(self) -> bool:
        return len(self.members) <= 1

    @property
    def title(self) -> str:
        return f"Family tree (genogram) of {self.subject.name}"

    @property
    def description(self) -> str:
        counts = Counter(m.role for m in self.members if not m.is_subject)
        parts = [_count(role, n) for role, n in sorted(counts.items())]
        names = {**GENERATION_NAMES, 0: f"the {self.subject.role.split()[-1]}'s generation"}
        generations = ", ".join(names[g] for g, _ in self.rows)
        who = ", ".join(parts) if parts else "no relatives"
        n = len(self.members) - 1
        return (
            f"{n} {'relative' if n == 1 else 'relatives'} recorded ({who}), in rows from top to bottom: {generations}. "
            "The same relationships are listed in the table after the family tree."
        )

    @property
    def size_class(self) -> int:
        """How many columns wide the drawing is (at most 12): the page's CSS keeps it legible."""
        return min(math.ceil(self.width / COLUMN), 12)

    @property
    def key_y(self) -> float:
        return self.height - KEY_HEIGHT

    @property
    def key(self) -> list[dict[str, object]]:
        """The key drawn under the tree: samples of each symbol and line."""
        y0 = self.key_y + 12
        entries: list[dict[str, object]] = []
        labels = [
            ("square", "Male"),
            ("circle", "Female"),
            ("diamond", "Sex not known"),
            ("subject", f"{self.subject.role} (double outline)"),
            ("solid", "Current relationship"),
            ("dashed", "Ended relationship"),
            ("dotted", "Carer or step-parent"),
        ]
        for i, (sample, label) in enumerate(labels):
            y = y0 + i * 20
            x = MARGIN + 10
            entry: dict[str, object] = {"label": label, "text_x": MARGIN + 48, "text_y": y + 5, "sample": sample}
            if sample in ("square", "circle", "diamond", "subject"):
                symbol = "square" if sample == "subject" else sample
                shapes = [_shape(symbol, x + 8, y, 6, outer=False)]
                if sample == "subject":
                    shapes.append(_shape(symbol, x + 8, y, 9, outer=True))
                entry["shapes"] = shapes
            else:
                entry["path"] = _path((x - 2, y), (x + 26, y))
            entries.append(entry)
        return entries

    @property
    def svg(self) -> SafeString:
        """The drawing as SVG markup, every value escaped (format_html)."""
        return _svg(self)


_PLURALS = {
    "Parent": "parents",
    "Step-parent": "step-parents",
    "Carer": "carers",
    "Partner of a parent": "partners of a parent",
    "Grandparent": "grandparents",
    "Sibling": "siblings",
    "Half-sibling": "half-siblings",
    "Partner": "partners",
    "Child": "children",
    "Step-child": "step-children",
    "Child of partner": "children of a partner",
    "Grandchild": "grandchildren",
}


def _count(label: str, n: int) -> str:
    return f"{n} {label.lower() if n == 1 else _PLURALS.get(label, label.lower())}"


def _clip(text: str) -> str:
    return text if len(text) <= CLIP else text[: CLIP - 1].rstrip() + "…"


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _path(*points: tuple[float, float]) -> str:
    return " ".join(f"{'L' if i else 'M'}{_num(x)} {_num(y)}" for i, (x, y) in enumerate(points))


def _shape(symbol: str, cx: float, cy: float, half: float, *, outer: bool) -> Shape:
    if symbol == "square":
        return Shape("rect", x=cx - half, y=cy - half, width=2 * half, height=2 * half, outer=outer)
    if symbol == "circle":
        return Shape("circle", cx=cx, cy=cy, r=half, outer=outer)
    if symbol == "triangle":
        pts = [(cx, cy - half), (cx + half, cy + half), (cx - half, cy + half)]
    else:
        pts = [(cx, cy - half), (cx + half, cy), (cx, cy + half), (cx - half, cy)]
    return Shape("polygon", points=" ".join(f"{_num(a)},{_num(b)}" for a, b in pts), outer=outer)


def describe_age(person: Person, today: dt.date) -> str:
    if person.kind == PersonKind.UNBORN:
        due = person.expected_due_date
        return f"Due {due.day} {due:%b %Y}" if due else "Unborn"
    born = person.date_of_birth
    if born is None:
        return "Age not known"
    months = (today.year - born.year) * 12 + today.month - born.month - (today.day < born.day)
    if months < 24:
        return f"{max(months, 0)} {'month' if months == 1 else 'months'} old"
    return f"Age {months // 12}"


def is_ended(relationship: Relationship, today: dt.date) -> bool:
    return relationship.end_date is not None and relationship.end_date <= today


class _Builder:
    def __init__(self, subject: Person, today: dt.date) -> None:
        self.subject = subject
        self.today = today
        self.members: dict[int, Member] = {}
        self.relations: dict[int, list[str]] = {}
        self.descents: dict[tuple[int, int], tuple[bool, bool]] = {}  # (parent, child) -> (ended, care)
        self.unions: dict[frozenset[int], bool] = {}  # pair -> ended
        self._rows: list[tuple[Person, str, Relationship, bool]] = []
        self.direct_keys: set[int] = set()  # relatives recorded against the subject
        self.inferred: set[int] = set()  # siblings found as a parent's other children
        self.members[subject.pk] = self._member(subject, generation=0, role="", subject=True)

    def _member(self, person: Person, *, generation: int, role: str, subject: bool = False) -> Member:
        withheld = person.is_restricted and not subject
        return Member(
            key=person.pk,
            name="Name withheld (restricted record)" if withheld else person.display_name,
            given_name="Name withheld" if withheld else (person.given_name or person.display_name),
            family_name="" if withheld else (person.family_name if person.given_name else ""),
            sex=person.sex,
            is_unborn=person.kind == PersonKind.UNBORN,
            age="" if withheld else describe_age(person, self.today),
            role=role or ("This child" if person.kind != PersonKind.ADULT else "This person"),
            generation=generation,
            is_subject=subject,
            withheld=withheld,
            date_of_birth=None if withheld else (person.date_of_birth or person.expected_due_date),
        )

    def _list(self, person: Person, text: str, rel: Relationship, *, second: bool = False) -> None:
        self._rows.append((person, text, rel, second))

    def listing(self) -> list[Listed]:
        """The text alternative: one row per recorded relationship drawn, closest relatives first.
        A relative's relative is described through them: "Grandparent (parent of Jo Example)"."""
        rows = []
        for person, text, rel, second in self._rows:
            member = self.members[person.pk]
            if second:
                text = f"{member.role} ({text[0].lower()}{text[1:]})"
            if rel.description and not member.withheld:
                text = f"{text}: {rel.description}"
            listed = Listed(
                person=member.name,
                relationship=text,
                since=rel.start_date,
                until=rel.end_date,
                ended=is_ended(rel, self.today),
                relationship_id=rel.pk,
            )
            rows.append(((second, _PRIORITY.index(self.primary(person.pk)), member.name), listed))
        return [listed for _key, listed in sorted(rows, key=lambda r: r[0])]

    def _add(self, person: Person, relation: str, generation: int, label: str) -> Member:
        relations = self.relations.setdefault(person.pk, [])
        relations.append(relation)
        member = self.members.get(person.pk)
        if member is None:
            member = self._member(person, generation=generation, role=label)
            self.members[person.pk] = member
        elif _PRIORITY.index(relation) < _PRIORITY.index(self.primary(person.pk)):
            member.generation, member.role = generation, label
        return member

    def primary(self, key: int) -> str:
        return min(self.relations.get(key, ["carer"]), key=_PRIORITY.index)

    def has(self, key: int, relation: str) -> bool:
        return relation in self.relations.get(key, [])

    # Relationships with the subject at one end.
    def direct(self, rel: Relationship) -> None:
        mine = rel.from_person_id == self.subject.pk
        other = rel.to_person if mine else rel.from_person
        spec = _DIRECT.get((rel.type, mine))
        if spec is None:  # "Other", and people the subject cares for: listed on the page, not drawn
            return
        relation, generation, label = spec
        member = self._add(other, relation, generation, label)
        self.direct_keys.add(other.pk)
        if rel.description and not member.withheld:
            member.notes.append(rel.description)
        ended = is_ended(rel, self.today)
        sid, oid = self.subject.pk, other.pk
        if relation == "parent":
            self.descents[(oid, sid)] = (ended, False)
        elif relation == "child":
            self.descents[(sid, oid)] = (ended, False)
        elif relation in ("step-parent", "carer", "partner-of-parent"):
            self.descents.setdefault((oid, sid), (ended, True))
        elif relation in ("step-child", "child-of-partner"):
            self.descents.setdefault((sid, oid), (ended, True))
        elif relation == "partner":
            self.unions[frozenset((sid, oid))] = ended
        self._list(other, label, rel)

    # Relationships between two others: grandparents, partners of parents, parents' children.
    def add_second_degree_people(self, rels: list[Relationship]) -> None:
        for rel in rels:
            a, b = rel.from_person, rel.to_person
            if self.subject.pk in (a.pk, b.pk):
                continue
            if rel.type == R.PARENT and self.has(b.pk, "parent") and a.pk not in self.members:
                self._add(a, "grandparent", -2, "Grandparent")
            elif rel.type == R.PARENT and self.has(a.pk, "parent") and b.pk not in self.members:
                self._add(b, "sibling", 0, "Sibling")
                self.inferred.add(b.pk)
            elif rel.type == R.PARTNER:
                for p, q in ((a, b), (b, a)):
                    if self.has(p.pk, "parent") and q.pk not in self.members:
                        self._add(q, "partner-of-parent", -1, "Partner of a parent")
                        break

    def second_degree_lines(self, rels: list[Relationship]) -> None:
        for rel in rels:
            a, b = rel.from_person, rel.to_person
            if self.subject.pk in (a.pk, b.pk) or a.pk not in self.members or b.pk not in self.members:
                continue
            ma, mb = self.members[a.pk], self.members[b.pk]
            ended = is_ended(rel, self.today)
            if rel.type == R.PARENT and mb.generation == ma.generation + 1:
                self.descents[(a.pk, b.pk)] = (ended, False)
                if self._listed_as_first(a.pk, b.pk):
                    self._list(a, f"Parent of {mb.name}", rel, second=True)
                else:
                    self._list(b, f"Child of {ma.name}", rel, second=True)
            elif rel.type == R.PARTNER and ma.generation == mb.generation:
                self.unions[frozenset((a.pk, b.pk))] = ended
                first = self._listed_as_first(a.pk, b.pk)
                self._list(a if first else b, f"Partner of {(mb if first else ma).name}", rel, second=True)

    def _listed_as_first(self, a: int, b: int) -> bool:
        """A row names the relative found through the other one (a grandparent through a parent)."""
        return a not in self.direct_keys or b in self.direct_keys

    def finish_links(self) -> None:
        sid = self.subject.pk
        parents = [k for k in self.members if self.has(k, "parent")]
        # Inferred siblings: children of a parent are siblings when they share all the
        # subject's recorded parents, half-siblings otherwise.
        for key in self.inferred:
            theirs = {p for (p, c) in self.descents if c == key}
            if not set(parents) <= theirs:
                self.members[key].role = "Half-sibling"
                self.relations[key] = ["half-sibling"]
        # Full siblings recorded without their own parents hang from the subject's parents.
        for key in self.members:
            if self.has(key, "sibling") and not any(c == key for (_p, c) in self.descents):
                for p in parents:
                    self.descents[(p, key)] = self.descents.get((p, sid), (False, False))
        # A step-parent or partner joined to a parent needs no line of their own to the child.
        for key in list(self.members):
            relation = self.primary(key)
            joined = any(key in pair and any(self.has(o, "parent") for o in pair if o != key) for pair in self.unions)
            if relation in ("step-parent", "partner-of-parent") and joined:
                self.descents.pop((key, sid), None)
            if relation not in _CARE_LIKE and (key, sid) in self.descents and self.descents[(key, sid)][1]:
                self.descents.pop((key, sid))  # e.g. a grandparent who is also the carer
        # Two parents of one child are drawn as a couple even when no partnership is recorded.
        children: dict[int, list[int]] = {}
        for (p, c), (_ended, care) in self.descents.items():
            if not care:
                children.setdefault(c, []).append(p)
        for ps in children.values():
            if len(ps) == 2 and self.members[ps[0]].generation == self.members[ps[1]].generation:
                self.unions.setdefault(frozenset(ps), False)


def build(subject: Person, relationships: Iterable[Relationship], *, today: dt.date) -> Genogram:
    """Decide who is drawn where. `relationships` may hold the subject's own relationships and
    their relatives' (second degree); anything else is ignored."""
    seen: set[int] = set()
    direct: list[Relationship] = []
    second: list[Relationship] = []
    for rel in relationships:
        if id(rel) in seen or (rel.pk is not None and rel.pk in seen):
            continue
        seen.add(rel.pk if rel.pk is not None else id(rel))
        (direct if subject.pk in (rel.from_person_id, rel.to_person_id) else second).append(rel)
    builder = _Builder(subject, today)
    for rel in direct:
        builder.direct(rel)
    builder.add_second_degree_people(second)
    builder.second_degree_lines(second)
    builder.finish_links()
    return _layout(builder)


def _partners(b: _Builder, key: int) -> list[int]:
    return sorted(o for pair in b.unions if key in pair for o in pair if o != key)


def _order_rows(b: _Builder) -> dict[int, list[Member]]:
    rows: dict[int, list[Member]] = {}
    for member in b.members.values():
        rows.setdefault(member.generation, []).append(member)

    def by_sex(m: Member) -> tuple[int, int]:
        return (_SEX_ORDER.get(m.sex, 1), m.key)

    def by_age(m: Member) -> tuple[dt.date, int]:
        return (m.date_of_birth or dt.date.max, m.key)

    if -1 in rows:  # parents side by side; their other partners on the outside; then the rest
        parents = [m.key for m in sorted(rows[-1], key=by_sex) if b.has(m.key, "parent")]
        order = list(parents)
        for i, key in enumerate(parents):
            extra = [o for o in _partners(b, key) if b.members[o].generation == -1 and o not in order]
            order = extra + order if i == 0 and len(parents) > 1 else order + extra
        rest = sorted(
            (m for m in rows[-1] if m.key not in order), key=lambda m: (_PRIORITY.index(b.primary(m.key)), m.key)
        )
        for m in rest:
            joined = [o for o in _partners(b, m.key) if o in order]
            at = order.index(joined[0]) if joined else len(order) - 1
            order.insert(at if joined and at == 0 else at + 1, m.key)
        rows[-1] = [b.members[k] for k in order]
    if 0 in rows:  # oldest first; the subject's partner beside them
        partners = [m for m in rows[0] if b.has(m.key, "partner") and not m.is_subject]
        row = sorted((m for m in rows[0] if m not in partners), key=by_age)
        at = row.index(b.members[b.subject.pk]) + 1
        rows[0] = row[:at] + sorted(partners, key=by_sex) + row[at:]
    for gen in (1, 2):
        if gen in rows:
            rows[gen] = sorted(rows[gen], key=by_age)
    if -2 in rows:
        rows[-2] = sorted(rows[-2], key=by_sex)
    return dict(sorted(rows.items()))


def _place(row: list[Member], anchors: dict[int, float]) -> bool:
    """Give each member of a row an x: over or under the relatives they are linked to in the
    row already placed, keeping a column apart. Returns False when nothing anchors the row."""
    groups: dict[float, list[Member]] = {}
    for m in row:
        if m.key in anchors:
            groups.setdefault(anchors[m.key], []).append(m)
    wants: list[tuple[float, int, Member]] = []
    for anchor, members in groups.items():
        for j, m in enumerate(members):
            wants.append((anchor + (j - (len(members) - 1) / 2) * COLUMN, len(wants), m))
    ordered: list[tuple[float | None, Member]] = [(w, m) for w, _i, m in sorted(wants, key=lambda t: (t[0], t[1]))]
    ordered += [(None, m) for m in row if m.key not in anchors]
    x: float | None = None
    for want, m in ordered:
        target = want if want is not None else (x + COLUMN if x is not None else 0.0)
        x = target if x is None else max(target, x + COLUMN)
        m.x = x
    return bool(wants)


def _layout(b: _Builder) -> Genogram:
    rows = _order_rows(b)
    gens = list(rows)
    start = -1 if -1 in rows else 0
    for i, m in enumerate(rows[start]):
        m.x = i * COLUMN
    parents_of: dict[int, list[int]] = {}
    children_of: dict[int, list[int]] = {}
    for (p, c), (_ended, care) in b.descents.items():
        if not care:
            parents_of.setdefault(c, []).append(p)
            children_of.setdefault(p, []).append(c)
    loose: list[int] = []
    # Upwards from the start row (grandparents over their child), then downwards.
    for gen in sorted((g for g in gens if g < start), reverse=True) + sorted(g for g in gens if g > start):
        near = gen + 1 if gen < start else gen - 1
        placed = {m.key: m.x for m in rows.get(near, [])}
        links = children_of if gen < start else parents_of
        anchors: dict[int, float] = {}
        for m in rows[gen]:
            xs = [placed[k] for k in links.get(m.key, []) if k in placed]
            if xs:
                anchors[m.key] = sum(xs) / len(xs)
        for m in rows[gen]:  # partners go beside the person they are joined to
            if m.key not in anchors:
                joined = [anchors[o] for o in _partners(b, m.key) if o in anchors]
                if joined:
                    anchors[m.key] = joined[0]
        if gen == 0 and b.subject.pk not in anchors and anchors:
            anchors[b.subject.pk] = sum(anchors.values()) / len(anchors)
        if not _place(rows[gen], anchors):
            loose.append(gen)
    centre = (min(m.x for m in rows[start]) + max(m.x for m in rows[start])) / 2
    for gen in loose:  # rows linked to nothing above or below: centred under the start row
        shift = centre - (rows[gen][0].x + rows[gen][-1].x) / 2
        for m in rows[gen]:
            m.x += shift
    members = [m for row in rows.values() for m in row]
    low = min(m.x for m in members)
    for i, gen in enumerate(gens):
        for m in rows[gen]:
            m.x = m.x - low + MARGIN + COLUMN / 2
            m.y = TOP + i * ROW
    width = max(int(max(m.x for m in members) + COLUMN / 2 + MARGIN), 320)
    return Genogram(
        subject=b.members[b.subject.pk],
        members=members,
        lines=_lines(b, rows),
        listed=b.listing(),
        width=width,
        height=int(TOP + len(gens) * ROW + KEY_HEIGHT),
        columns=max(len(r) for r in rows.values()),
        rows=list(rows.items()),
    )


def _lines(b: _Builder, rows: dict[int, list[Member]]) -> list[Line]:
    lines: list[Line] = []
    index = {m.key: i for row in rows.values() for i, m in enumerate(row)}
    couples: dict[frozenset[int], tuple[float, float]] = {}  # where a couple's children descend from
    for pair, ended in b.unions.items():
        m1, m2 = sorted((b.members[k] for k in pair), key=lambda m: m.x)
        if abs(index[m1.key] - index[m2.key]) == 1:
            x1 = m1.x + SIZE / 2 + (OUTLINE_GAP if m1.is_subject else 0)
            x2 = m2.x - SIZE / 2 - (OUTLINE_GAP if m2.is_subject else 0)
            lines.append(Line("partner", _path((x1, m1.cy), (x2, m2.cy)), ended, keys=(m1.key, m2.key)))
            couples[pair] = ((m1.x + m2.x) / 2, m1.cy)
        else:  # not side by side: over the top of the row
            y = m1.y - 16
            path = _path((m1.x, m1.top), (m1.x, y), (m2.x, y), (m2.x, m2.top))
            lines.append(Line("partner", path, ended, keys=(m1.key, m2.key)))
    by_child: dict[int, list[tuple[int, bool, bool]]] = {}
    for (p, c), (ended, care) in b.descents.items():
        by_child.setdefault(c, []).append((p, ended, care))
    bus = 0
    sources: dict[frozenset[int], float] = {}
    for child_key, parents in sorted(by_child.items(), key=lambda kv: b.members[kv[0]].x):
        child = b.members[child_key]
        blood = frozenset(p for p, _e, care in parents if not care)
        couple = blood if len(blood) == 2 and blood in couples else frozenset()
        drawn: list[tuple[frozenset[int], float, float, bool, bool]] = []
        if couple:
            x, y = couples[couple]
            drawn.append((couple, x, y, all(e for p, e, _c in parents if p in couple), False))
        for p, ended, care in parents:
            if p in couple or b.members[p].generation >= child.generation:
                continue
            drawn.append((frozenset([p]), b.members[p].x, b.members[p].bottom, ended, care))
        for source, x, y, ended, care in drawn:
            if source not in sources:
                sources[source] = child.top - 22 - 6 * (bus % 3)
                bus += 1
            mid = sources[source]
            end = (
                child.x if not care else child.x + (SIZE / 4 if x > child.x else -SIZE / 4)
            )  # beside, not on, a parent's line
            path = _path((x, y), (x, mid), (end, mid), (end, child.top))
            lines.append(Line("descent", path, ended, care, keys=(*sorted(source), child_key)))
    return lines


# Drawing: format_html escapes every value it is given, as the template's auto-escaping did; the markup that varies
# (dashes, bold, colours) is chosen among literal format strings, never built from data.

_STROKE = 'stroke="#0b0c0c" stroke-width="2"'
_SHAPE = {
    "rect": '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" ' + _STROKE + "/>",
    "circle": '<circle cx="{}" cy="{}" r="{}" fill="{}" ' + _STROKE + "/>",
    "polygon": '<polygon points="{}" fill="{}" ' + _STROKE + "/>",
}
_LINE = '<path class="app-genogram__{}" d="{}"%s/>\n'
_ENDED_LINE = _LINE % ' stroke-dasharray="8 6"'
_CARE_LINE = _LINE % ' stroke-dasharray="1 5" stroke-linecap="round" stroke-width="3"'
_PLAIN_LINE = _LINE % ""
_TEXT = '<text x="{}" y="{}" text-anchor="middle"%s>{}</text>\n'
_NAME_TEXT, _SUBJECT_NAME_TEXT = _TEXT % ' fill="#0b0c0c"', _TEXT % ' font-weight="bold" fill="#0b0c0c"'
_ROLE_TEXT = _TEXT % ' fill="#505a5f"'
_MEMBER = '<g class="app-genogram__person%s">\n<title>{}</title>\n{}{}</g>\n'
_KEY_PATH = {
    "dashed": '<path d="{}" fill="none" stroke="#0b0c0c" stroke-width="2" stroke-dasharray="8 6"/>',
    "dotted": (
        '<path d="{}" fill="none" stroke="#0b0c0c" stroke-width="3" stroke-dasharray="1 5" stroke-linecap="round"/>'
    ),
    "solid": '<path d="{}" fill="none" stroke="#0b0c0c" stroke-width="2"/>',
}
_KEY_TEXT = '\n<text x="{}" y="{}" fill="#0b0c0c">{}</text>\n'
_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" class="app-genogram app-genogram--size-{}" role="img" '
    'aria-labelledby="genogram-title genogram-desc" width="{}" height="{}" viewBox="0 0 {} {}" '
    'font-family="arial, sans-serif" font-size="14">\n'
    '<title id="genogram-title">{}</title>\n'
    '<desc id="genogram-desc">{}</desc>\n'
    '<rect x="0" y="0" width="{}" height="{}" fill="#ffffff"/>\n'
    '<g fill="none" stroke="#0b0c0c" stroke-width="2">\n{}</g>\n'
    "{}"
    '<g class="app-genogram__key">\n<text x="20" y="{}" font-weight="bold" fill="#0b0c0c">Key</text>\n{}</g>\n'
    "</svg>"
)


def _join(parts: Iterable[SafeString]) -> SafeString:
    return format_html_join("", "{}", ((part,) for part in parts))


def _svg_shape(shape: Shape, fill: str) -> SafeString:
    fill = "none" if shape.outer else fill
    if shape.kind == "rect":
        return format_html(_SHAPE["rect"], shape.x, shape.y, shape.width, shape.height, fill)
    if shape.kind == "circle":
        return format_html(_SHAPE["circle"], shape.cx, shape.cy, shape.r, fill)
    return format_html(_SHAPE["polygon"], shape.points, fill)


def _svg_line(line: Line) -> SafeString:
    template = _ENDED_LINE if line.ended else _CARE_LINE if line.care else _PLAIN_LINE
    return format_html(template, line.kind, line.path)


def _svg_text(member: Member, line: TextLine) -> SafeString:
    if line.kind == "role":
        template = _ROLE_TEXT
    else:
        template = _SUBJECT_NAME_TEXT if line.kind == "name" and member.is_subject else _NAME_TEXT
    return format_html(template, line.x, line.y, line.text)


def _svg_member(member: Member) -> SafeString:
    fill = "#d2e2f1" if member.is_subject else "#ffffff"
    shapes = format_html_join("", "{}\n", ((_svg_shape(shape, fill),) for shape in member.shapes))
    texts = _join(_svg_text(member, line) for line in member.text_lines)
    template = _MEMBER % (" app-genogram__person--subject" if member.is_subject else "")
    return format_html(template, member.tooltip, shapes, texts)


def _svg_key_entry(entry: dict[str, object]) -> SafeString:
    path = entry.get("path")
    if path:
        sample = format_html(_KEY_PATH.get(str(entry["sample"]), _KEY_PATH["solid"]), path)
    else:
        shapes: Iterable[Shape] = entry.get("shapes", ())  # type: ignore[assignment]
        sample = _join(_svg_shape(shape, "#ffffff") for shape in shapes)
    return format_html("{}" + _KEY_TEXT, sample, entry["text_x"], entry["text_y"], entry["label"])


def _svg(g: Genogram) -> SafeString:
    return format_html(
        _SVG,
        g.size_class,
        g.width,
        g.height,
        g.width,
        g.height,
        g.title,
        g.description,
        g.width,
        g.height,
        _join(_svg_line(line) for line in g.lines),
        _join(_svg_member(member) for member in g.members),
        g.key_y,
        _join(_svg_key_entry(entry) for entry in g.key),
    )
