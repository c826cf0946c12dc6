"""Stream the CIN census XML for one local authority and one collection year.

Who is in it (statutory.md §1.1, §5.3): every child with an episode referred or open at any point
between 1 April and 31 March, with only the episodes, assessments, plans, enquiries and reviews
that fall in or overlap the year. Anything dated after 31 March is left out (a closure, an
authorisation, a plan end, a review), so a return re-run in May says what was true on the census
day. Records keep native codes; `years.CollectionYear` maps them for the year.

Memory stays flat: the children's ids are read with `iterator()` and handled in chunks, each chunk
costing the same fixed number of queries (`QUERIES_PER_CHUNK`) whatever its contents, and each
child is written out (XMLGenerator) before the next chunk is read.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from xml.sax.saxutils import XMLGenerator
from xml.sax.xmlreader import AttributesImpl

from django.db.models import F, Q, QuerySet
from django.db.models.functions import Coalesce

from safeguarding.casework.codes import ConferenceKind, Section47Outcome
from safeguarding.casework.models import (
    Assessment,
    CategoryChange,
    ChildInNeedPlan,
    ChildProtectionPlan,
    Conference,
    Episode,
    Section47Enquiry,
)
from safeguarding.organisations.models import Organisation, OrganisationType
from safeguarding.people.codes import Disability, PersonKind, Sex
from safeguarding.people.models import Person, PersonDisability

from .years import CollectionYear

SOFTWARE_CODE = "Open Safeguarding"
RELEASE = "0.1"
CHUNK_SIZE = 500
QUERIES_PER_CHUNK = 9
LA_CHILD_ID_MAX = 20  # validator rules 1570 (length) and 1580 (alphanumeric)
_NOT_ALPHANUMERIC = re.compile(r"[^A-Za-z0-9]")
_UPN = re.compile(r"[A-Za-z]\d{11}[0-9A-Za-z]")
_DISABILITY_ORDER = {code: i for i, code in enumerate(Disability.values)}
SCHOOL_AGE = 6  # validator 8770Q: UN1 is "not of school age"
NO_ATTRIBUTES = AttributesImpl({})
Row = Mapping[str, Any]  # a .values() row


@dataclass
class ExportResult:
    year: CollectionYear
    local_authority: Organisation
    children: int = 0
    episodes: int = 0
    # LAchildID -> the child's public id, so validation results can link to each child's page.
    child_ids: dict[str, str] = field(default_factory=dict)


def la_child_id(person: Any) -> str:
    """The child's census id: the authority's own person id when it fits the rules (at most 20
    letters and digits, once separators are dropped), otherwise 20 hex digits of the public id."""
    own = _NOT_ALPHANUMERIC.sub("", person.la_person_id or "")
    if own and len(own) <= LA_CHILD_ID_MAX:
        return own
    return person.public_id.hex[:LA_CHILD_ID_MAX].upper()


def in_year(day: dt.date | None, year: CollectionYear) -> dt.date | None:
    """`day` if it happened by the census day, else None (activity after 31 March is left out)."""
    return day if day is not None and day <= year.reference_date else None


def _episodes_in_year(local_authority: Organisation, year: CollectionYear) -> QuerySet[Episode]:
    return Episode.objects.filter(local_authority=local_authority, referral_date__lte=year.reference_date).filter(
        Q(closure_date__isnull=True) | Q(closure_date__gte=year.start)
    )


def _child_key() -> Coalesce:
    # A merged duplicate's episodes are returned under the record it was merged into.
    return Coalesce(F("person__merged_into_id"), F("person_id"))


def child_count(local_authority: Organisation, year: CollectionYear) -> int:
    return _episodes_in_year(local_authority, year).annotate(child=_child_key()).values("child").distinct().count()


def _child_ids(local_authority: Organisation, year: CollectionYear) -> Iterator[int]:
    rows = (
        _episodes_in_year(local_authority, year)
        .annotate(child=_child_key())
        .values_list("child", flat=True)
        .distinct()
        .order_by("child")
    )
    return rows.iterator(chunk_size=CHUNK_SIZE * 4)


def _chunks(ids: Iterator[int], size: int) -> Iterator[list[int]]:
    chunk: list[int] = []
    for child_id in ids:
        chunk.append(child_id)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class _Writer:
    """XMLGenerator with two-space indentation (readable diffs of golden files)."""

    def __init__(self, out: IO[bytes]) -> None:
        self.xml = XMLGenerator(out, encoding="UTF-8", short_empty_elements=False)
        self.depth = 0

    def start(self, name: str) -> None:
        if self.depth:
            self.xml.ignorableWhitespace("\n" + "  " * self.depth)
        self.xml.startElement(name, NO_ATTRIBUTES)
        self.depth += 1

    def end(self, name: str) -> None:
        self.depth -= 1
        self.xml.ignorableWhitespace("\n" + "  " * self.depth)
        self.xml.endElement(name)

    def leaf(self, name: str, value: object) -> None:
        if value is None or value == "":
            return  # optional element with nothing to say: omitted, never empty
        self.xml.ignorableWhitespace("\n" + "  " * self.depth)
        self.xml.startElement(name, NO_ATTRIBUTES)
        self.xml.characters(_text(value))
        self.xml.endElement(name)


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"  # the pipeline XSD and DfE both accept 0/1
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


@dataclass
class _Chunk:
    """One chunk of children and their in-year records, grouped by parent id."""

    people: dict[int, Any]
    disabilities: dict[int, list[str]]
    episodes: dict[int, list[Row]]
    assessments: dict[int, list[Row]]
    cin_plans: dict[int, list[Row]]
    section47s: dict[int, list[Row]]
    initial_conferences: dict[int, list[Row]]  # by episode, those without an s47
    s47_conference: dict[int, dt.date]  # s47 id -> its initial conference date
    cp_plans: dict[int, list[Row]]  # by episode, the plans in the year
    plan_starts: dict[int, list[dt.date]]  # by child, every plan start up to the census day
    reviews: dict[int, list[dt.date]]
    categories: dict[int, list[tuple[dt.date, int, str]]]
    reference_date: dt.date


def _group(rows: Iterable[Row], key: str) -> dict[int, list[Row]]:
    grouped: dict[int, list[Row]] = defaultdict(list)
    for row in rows:
        grouped[row[key]].append(row)
    return grouped


def _section47_in_year(s47: Row, conference_on: dt.date | None, start: dt.date) -> bool:
    """Started in the year, or ended in it: by its conference, or (without one) by its outcome,
    or still running."""
    if s47["start_date"] >= start:
        return True
    if conference_on is not None:
        return conference_on >= start
    return s47["completed_on"] is None or s47["completed_on"] >= start


def _load_chunk(ids: list[int], local_authority: Organisation, year: CollectionYear) -> _Chunk:
    """The fixed set of QUERIES_PER_CHUNK queries for one chunk of children."""
    start, ref = year.start, year.reference_date
    # The chunk's children and any duplicates merged into them (by the indexed merged_into column),
    # so every later query is a plain indexed `IN` on person or episode ids.
    wanted = set(ids)
    survivor_of: dict[int, int] = {}
    people: dict[int, Person] = {}
    for p in Person.objects.filter(Q(id__in=ids) | Q(merged_into_id__in=ids)).only(
        "id",
        "public_id",
        "kind",
        "la_person_id",
        "upn",
        "date_of_birth",
        "expected_due_date",
        "sex",
        "ethnicity",
        "merged_into_id",
    ):
        survivor_of[p.id] = p.merged_into_id if p.merged_into_id in wanted else p.id
        if survivor_of[p.id] == p.id:
            people[p.id] = p
    disabilities: dict[int, list[str]] = defaultdict(list)
    for person_id, code in PersonDisability.objects.filter(person_id__in=ids).values_list("person_id", "code"):
        disabilities[person_id].append(code)

    # Every episode of these children up to the census day, by the (person, referral_date) index;
    # the authority and the year are checked here, so no query plan can fall back to a scan. The
    # earlier episodes are needed for their plans (NumberOfPreviousCPP).
    every_episode: dict[int, int] = {}  # episode id -> child
    episode_rows: list[dict[str, Any]] = []
    for e in (
        Episode.objects.filter(person_id__in=list(survivor_of), referral_date__lte=ref)
        .values(
            "id",
            "person_id",
            "local_authority_id",
            "referral_date",
            "referral_source",
            "primary_need",
            "referral_nfa",
            "closure_date",
            "closure_reason",
        )
        .order_by("referral_date", "id")
    ):
        if e["local_authority_id"] != local_authority.pk:
            continue
        every_episode[e["id"]] = survivor_of[e["person_id"]]
        if e["closure_date"] is None or e["closure_date"] >= start:
            episode_rows.append({**e, "child": every_episode[e["id"]]})
    episode_ids = [e["id"] for e in episode_rows]

    assessments = (
        Assessment.objects.filter(episode_id__in=episode_ids, start_date__lte=ref)
        .filter(Q(authorised_on__isnull=True) | Q(authorised_on__gte=start))
        .values("episode_id", "start_date", "authorised_on", "factors")
        .order_by("start_date", "id")
    )
    cin_plans = (
        ChildInNeedPlan.objects.filter(episode_id__in=episode_ids, start_date__lte=ref)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
        .values("episode_id", "start_date", "end_date")
        .order_by("start_date", "id")
    )
    conferences = list(
        Conference.objects.filter(episode_id__in=episode_ids, held_on__lte=ref).values(
            "episode_id", "kind", "section47_id", "plan_id", "held_on"
        )
    )
    s47_conference = {
        c["section47_id"]: c["held_on"]
        for c in conferences
        if c["kind"] == ConferenceKind.INITIAL and c["section47_id"] is not None
    }
    section47s = [
        s
        for s in Section47Enquiry.objects.filter(episode_id__in=episode_ids, start_date__lte=ref)
        .values("id", "episode_id", "start_date", "conference_target_date", "completed_on", "outcome")
        .order_by("start_date", "id")
        if _section47_in_year(s, s47_conference.get(s["id"]), start)
    ]
    initial_conferences = _group(
        (
            c
            for c in conferences
            if c["kind"] == ConferenceKind.INITIAL and c["section47_id"] is None and c["held_on"] >= start
        ),
        "episode_id",
    )
    reviews: dict[int, list[dt.date]] = defaultdict(list)
    for c in conferences:
        if c["kind"] == ConferenceKind.REVIEW and c["plan_id"] is not None and c["held_on"] >= start:
            reviews[c["plan_id"]].append(c["held_on"])

    # Every plan the child has had with this authority up to the census day: the earlier ones
    # are counted for NumberOfPreviousCPP, the ones in the year are written out.
    all_plans: list[dict[str, Any]] = [
        {**p, "child": every_episode[p["episode_id"]]}
        for p in ChildProtectionPlan.objects.filter(episode_id__in=list(every_episode), start_date__lte=ref)
        .values("id", "episode_id", "start_date", "end_date", "initial_category", "latest_category")
        .order_by("start_date", "id")
    ]
    plan_starts: dict[int, list[dt.date]] = defaultdict(list)
    for plan in all_plans:
        plan_starts[plan["child"]].append(plan["start_date"])
    episode_id_set = set(episode_ids)
    plans_in_year = [
        p for p in all_plans if p["episode_id"] in episode_id_set and (p["end_date"] is None or p["end_date"] >= start)
    ]
    categories: dict[int, list[tuple[dt.date, int, str]]] = defaultdict(list)
    for plan_id, changed_on, pk, category in CategoryChange.objects.filter(
        plan_id__in=[p["id"] for p in plans_in_year]
    ).values_list("plan_id", "changed_on", "id", "category"):
        categories[plan_id].append((changed_on, pk, category))

    return _Chunk(
        people=people,
        disabilities=disabilities,
        episodes=_group(episode_rows, "child"),
        assessments=_group(assessments, "episode_id"),
        cin_plans=_group(cin_plans, "episode_id"),
        section47s=_group(section47s, "episode_id"),
        initial_conferences=initial_conferences,
        s47_conference=s47_conference,
        cp_plans=_group(plans_in_year, "episode_id"),
        plan_starts=plan_starts,
        reviews=reviews,
        categories=categories,
        reference_date=ref,
    )


def write_census(
    out: IO[bytes],
    *,
    local_authority: Organisation,
    year: CollectionYear,
    now: dt.datetime,
    chunk_size: int = CHUNK_SIZE,
    progress: Callable[[int], None] | None = None,
) -> ExportResult:
    """Write the census XML for `local_authority` and `year` to `out` (bytes, UTF-8)."""
    result = ExportResult(year=year, local_authority=local_authority)
    w = _Writer(out)
    w.xml.startDocument()
    w.start("Message")
    _write_header(w, local_authority, year, now)
    w.start("Children")
    for ids in _chunks(_child_ids(local_authority, year), chunk_size):
        chunk = _load_chunk(ids, local_authority, year)
        for child_id in ids:
            episodes = chunk.episodes.get(child_id, [])
            if not episodes:
                continue
            _write_child(w, chunk, chunk.people[child_id], episodes, year, result)
        if progress is not None:
            progress(len(ids))
    w.end("Children")
    w.end("Message")
    w.xml.ignorableWhitespace("\n")
    w.xml.endDocument()
    return result


def _write_header(w: _Writer, la: Organisation, year: CollectionYear, now: dt.datetime) -> None:
    w.start("Header")
    w.start("CollectionDetails")
    w.leaf("Collection", "CIN")
    w.leaf("Year", year.end_year)
    w.leaf("ReferenceDate", year.reference_date)
    w.end("CollectionDetails")
    w.start("Source")
    w.leaf("SourceLevel", "L")
    w.leaf("LEA", la.dfe_la_code)
    w.leaf("SoftwareCode", SOFTWARE_CODE)
    w.leaf("Release", RELEASE)
    w.leaf("SerialNo", "001")
    w.leaf("DateTime", now.astimezone(dt.UTC).replace(microsecond=0, tzinfo=None).isoformat())
    w.end("Source")
    w.end("Header")


def _write_child(
    w: _Writer,
    chunk: _Chunk,
    person: Any,
    episodes: list[Row],
    year: CollectionYear,
    result: ExportResult,
) -> None:
    ref = year.reference_date
    child_id = la_child_id(person)
    result.children += 1
    result.episodes += len(episodes)
    result.child_ids[child_id] = str(person.public_id)
    born = person.date_of_birth if person.date_of_birth and person.date_of_birth <= ref else None
    unborn = born is None and (person.kind == PersonKind.UNBORN or person.date_of_birth is not None)

    w.start("Child")
    w.start("ChildIdentifiers")
    w.leaf("LAchildID", child_id)
    upn = person.upn.strip().upper() if person.upn else ""
    w.leaf("UPN", upn if _UPN.fullmatch(upn) else None)
    w.leaf("UPNunknown", None if _UPN.fullmatch(upn) else _upn_unknown(person, born, unborn, episodes, ref))
    w.leaf("PersonBirthDate", born)
    w.leaf("ExpectedPersonBirthDate", None if born else (person.expected_due_date or person.date_of_birth))
    w.leaf(year.sex_element, year.sex(Sex.UNKNOWN if unborn else person.sex))  # 8750: unborn are U
    w.end("ChildIdentifiers")

    w.start("ChildCharacteristics")
    w.leaf("Ethnicity", person.ethnicity)
    w.start("Disabilities")
    # No disability recorded is returned as NONE (8540 needs a code for every child in need).
    codes = sorted(set(chunk.disabilities.get(person.id, [])), key=lambda c: _DISABILITY_ORDER.get(c, 99))
    if len(codes) > 1 and Disability.NONE in codes:
        codes.remove(Disability.NONE)  # 8790: NONE never beside another code
    for code in codes or [Disability.NONE]:
        w.leaf("Disability", code)
    w.end("Disabilities")
    w.end("ChildCharacteristics")

    for episode in episodes:
        _write_episode(w, chunk, episode, year)
    w.end("Child")


def _upn_unknown(person: Any, born: dt.date | None, unborn: bool, episodes: list[Row], ref: dt.date) -> str | None:
    """The UPNunknown reason we can know: UN1 under school age (or unborn), UN7 referral with no
    further action. Other reasons need the school's knowledge, so nothing is claimed (8770Q asks)."""
    if unborn or (born is not None and person.age_on(ref) is not None and person.age_on(ref) < SCHOOL_AGE):
        return "UN1"
    if all(e["referral_nfa"] for e in episodes):
        return "UN7"
    return None


def _write_episode(w: _Writer, chunk: _Chunk, episode: Row, year: CollectionYear) -> None:
    start, ref = year.start, year.reference_date
    closed_on = in_year(episode["closure_date"], year)
    w.start("CINdetails")
    w.leaf("CINreferralDate", episode["referral_date"])
    w.leaf("ReferralSource", episode["referral_source"])
    w.leaf("PrimaryNeedCode", episode["primary_need"])
    w.leaf("CINclosureDate", closed_on)
    w.leaf("ReasonForClosure", episode["closure_reason"] if closed_on else None)
    # An ICPC without an s47 in this episode (e.g. a transfer-in) is reported here; never both (2884).
    direct = chunk.initial_conferences.get(episode["id"], [])
    w.leaf("DateOfInitialCPC", min(c["held_on"] for c in direct) if direct else None)

    for assessment in chunk.assessments.get(episode["id"], []):
        authorised = in_year(assessment["authorised_on"], year)
        w.start("Assessments")
        w.leaf("AssessmentActualStartDate", assessment["start_date"])
        w.leaf("AssessmentAuthorisationDate", authorised)
        factors = list(dict.fromkeys(year.factor(c) for c in assessment["factors"] or [] if c))
        factors = [c for c in factors if c not in year.unknown_codes]
        if authorised and factors:  # 8614: factors only on a completed assessment
            w.start("FactorsIdentifiedAtAssessment")
            for code in factors:
                w.leaf("AssessmentFactors", code)
            w.end("FactorsIdentifiedAtAssessment")
        w.end("Assessments")

    for plan in chunk.cin_plans.get(episode["id"], []):
        w.start("CINPlanDates")
        w.leaf("CINPlanStartDate", plan["start_date"])
        w.leaf("CINPlanEndDate", in_year(plan["end_date"], year))
        w.end("CINPlanDates")

    for s47 in chunk.section47s.get(episode["id"], []):
        finished = in_year(s47["completed_on"], year)
        w.start("Section47")
        w.leaf("S47ActualStartDate", s47["start_date"])
        w.leaf("InitialCPCtarget", s47["conference_target_date"])
        w.leaf("DateOfInitialCPC", chunk.s47_conference.get(s47["id"]))
        # Not required when the enquiry ended, by the census day, with any outcome but a conference.
        w.leaf("ICPCnotRequired", bool(finished and s47["outcome"] and s47["outcome"] != Section47Outcome.CONFERENCE))
        w.end("Section47")

    w.leaf("ReferralNFA", bool(episode["referral_nfa"]))  # after Section47 in the XSD sequence

    for plan in chunk.cp_plans.get(episode["id"], []):
        w.start("ChildProtectionPlans")
        w.leaf("CPPstartDate", plan["start_date"])
        w.leaf("CPPendDate", in_year(plan["end_date"], year))
        w.leaf("InitialCategoryOfAbuse", plan["initial_category"])
        w.leaf("LatestCategoryOfAbuse", _latest_category(chunk, plan))
        w.leaf("NumberOfPreviousCPP", sum(1 for s in chunk.plan_starts[episode["child"]] if s < plan["start_date"]))
        dates = sorted(d for d in chunk.reviews.get(plan["id"], []) if start <= d <= ref)
        if dates:  # one <Reviews> holding every review date (the XSD allows one)
            w.start("Reviews")
            for day in dates:
                w.leaf("CPPreviewDate", day)
            w.end("Reviews")
        w.end("ChildProtectionPlans")
    w.end("CINdetails")


def _latest_category(chunk: _Chunk, plan: Row) -> str:
    """The category as it stood on the census day: the last change by then, else the initial one.
    A plan with no recorded changes keeps the category on the plan itself."""
    changes = chunk.categories.get(plan["id"])
    if not changes:
        return str(plan["latest_category"] or plan["initial_category"])
    by_census_day = [c for c in changes if c[0] <= chunk.reference_date]
    return max(by_census_day)[2] if by_census_day else str(plan["initial_category"])


def export_to_file(
    path: Path,
    *,
    local_authority: Organisation,
    year: CollectionYear,
    now: dt.datetime,
    progress: Callable[[int], None] | None = None,
) -> ExportResult:
    """Write the return to `path` (removed again if the export fails part-way)."""
    try:
        with path.open("wb") as out:
            return write_census(out, local_authority=local_authority, year=year, now=now, progress=progress)
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def local_authorities() -> QuerySet[Organisation]:
    """The local authorities this database holds (those that can make a return)."""
    return Organisation.objects.filter(type=OrganisationType.LOCAL_AUTHORITY).order_by("dfe_la_code", "name")
