"""Every read of personal data goes through here: decide (policy), audit, return.

Views call these inside transaction.atomic() and render inside the same block, so the
audit row commits with the read, or neither happens. Refusals raise Refused; the caller
records them with record_refusal() in a transaction of its own (so a refusal is audited
even though the read's transaction is rolled back) and shows a 403 or 404.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Min, Prefetch, Q, QuerySet, Window

from safeguarding.accounts.models import User
from safeguarding.accounts.principal import Principal
from safeguarding.accounts.roles import Capability
from safeguarding.audit import services as audit
from safeguarding.audit.models import AuditEvent, Outcome
from safeguarding.chronology.models import ChronologyEntry
from safeguarding.organisations.models import Organisation, Team
from safeguarding.people import search
from safeguarding.people.models import (
    Address,
    FamilyGroup,
    FamilyMember,
    Person,
    PersonDisability,
    PersonName,
    Relationship,
)
from safeguarding.people.panels import NAME, USER_NAME, defer_all_but

from .models import Involvement, NamedAccess
from .policy import Basis, accessible_people, basis_for, known_to, open_involvements, visible_in_search


@dataclass
class Refused(Exception):
    """A refused read. `visible` is True when the principal may know the record exists."""

    principal: Principal
    action: str
    public_id: str
    person: Person | None = None
    visible: bool = False
    message: str = "You do not have access to this record"

    def __str__(self) -> str:
        return self.message

    @property
    def offers_break_glass(self) -> bool:
        """True when the refusal page should offer emergency (break-glass) access."""
        return self.visible and self.person is not None and self.principal.can(Capability.BREAK_GLASS)


@dataclass(frozen=True)
class Opened:
    person: Person
    basis: Basis


def _parse_public_id(public_id: Any) -> uuid.UUID | None:
    try:
        return public_id if isinstance(public_id, uuid.UUID) else uuid.UUID(str(public_id))
    except ValueError:
        return None


def open_person(
    principal: Principal,
    public_id: Any,
    *,
    now: dt.datetime,
    action: str = "person.view",
    details: dict[str, Any] | None = None,
) -> Opened:
    """Open one person's record for `action`, writing its audit row, or raise Refused."""
    pid = _parse_public_id(public_id)
    person = (
        Person.objects.select_related("local_authority", "merged_into", "pregnant_person").filter(public_id=pid).first()
        if pid
        else None
    )
    if person is None:
        raise Refused(principal=principal, action=action, public_id=str(public_id)[:80])
    basis = basis_for(principal, person, now=now)
    if basis is None:
        visible = Person.objects.filter(known_to(principal), pk=person.pk).exists()
        raise Refused(principal=principal, action=action, public_id=str(pid), person=person, visible=visible)
    audit.record(principal=principal, action=action, at=now, person=person, basis=basis.value, details=details)
    return Opened(person=person, basis=basis)


def record_refusal(refusal: Refused, *, now: dt.datetime) -> None:
    with transaction.atomic():
        audit.record(
            principal=refusal.principal,
            action=refusal.action,
            at=now,
            outcome=Outcome.DENIED,
            person=refusal.person,
            object_type="person",
            object_id=refusal.public_id,
            basis="no-relationship" if refusal.person else "no-such-record",
        )


@dataclass
class SearchHit:
    person: Person
    can_open: bool
    score: float


@dataclass
class SearchResult:
    hits: list[SearchHit] = field(default_factory=list)
    truncated: bool = False


def search_people(
    principal: Principal,
    *,
    now: dt.datetime,
    name: str = "",
    date_of_birth: dt.date | None = None,
    nhs_number: str = "",
    postcode: str = "",
) -> SearchResult:
    """Find people in the principal's search scope. Audited with the ids of every row shown.

    Everyone allowed to search sees minimal details (name, date of birth, local authority);
    whether each row can be opened is decided by the same policy as open_person.
    """
    if not principal.can(Capability.SEARCH_PEOPLE):
        raise Refused(
            principal=principal, action="person.search", public_id="", message="Your role cannot search for people"
        )
    qs = Person.objects.filter(visible_in_search(principal))
    name_qs = search.candidates(name)
    if name_qs is not None:
        qs = qs.filter(id__in=name_qs.values("id"))
    qs = qs.filter(search.exact_filters(date_of_birth=date_of_birth, nhs_number=nhs_number, postcode=postcode))
    limit = settings.SEARCH_RESULT_LIMIT
    pool = list(
        qs.distinct()
        .select_related("local_authority")
        .prefetch_related(Prefetch("other_names", queryset=PersonName.objects.all()))
        .order_by("family_name", "given_name", "id")[: limit * 4]
    )
    openable = set(
        Person.objects.filter(accessible_people(principal, now=now), id__in=[p.id for p in pool]).values_list(
            "id", flat=True
        )
    )
    hits = [
        SearchHit(person=p, can_open=p.id in openable, score=search.similarity(name, p) if name else 1.0) for p in pool
    ]
    if name:
        hits = [h for h in hits if h.score >= 0.75]
        hits.sort(key=lambda h: (-h.score, h.person.family_name, h.person.given_name))
    result = SearchResult(hits=hits[:limit], truncated=len(hits) > limit)
    audit.record(
        principal=principal,
        action="person.search",
        at=now,
        object_type="search",
        details={
            "criteria": {
                "name": name[:100],
                "date_of_birth": date_of_birth.isoformat() if date_of_birth else "",
                "nhs_number": nhs_number,
                "postcode": postcode,
            },
            "shown": [str(h.person.public_id) for h in result.hits],
        },
    )
    return result


def people_for_my_work(principal: Principal, *, now: dt.datetime) -> dict[str, list[Person]]:
    """Children allocated to me and to my team (list page: audited with the rows shown)."""
    from .models import Involvement, InvolvementKind  # local: keeps the module's import surface small

    membership = principal.membership
    if membership is None:
        return {"mine": [], "team": []}
    day = now.date()
    scope = Person.objects.filter(accessible_people(principal, now=now), merged_into__isnull=True)
    open_inv = Involvement.objects.filter(start_date__lte=day).exclude(end_date__lt=day)
    mine = list(
        scope.filter(id__in=open_inv.filter(user=principal.user).values("person_id"))
        .select_related("local_authority")
        .order_by("family_name", "given_name")
    )
    team: list[Person] = []
    if membership.team_id:
        team = list(
            scope.filter(
                id__in=open_inv.filter(team_id=membership.team_id, kind=InvolvementKind.TEAM).values("person_id")
            )
            .exclude(id__in=[p.id for p in mine])
            .select_related("local_authority")
            .order_by("family_name", "given_name")
        )
    audit.record(
        principal=principal,
        action="work.list",
        at=now,
        object_type="list",
        details={"shown": [str(p.public_id) for p in mine + team]},
    )
    return {"mine": mine, "team": team}


def involvement_since(
    principal: Principal, people: list[Person], *, now: dt.datetime, via_team: bool = False
) -> dict[int, dt.date]:
    """When the principal's (or, with via_team, their team's) current involvement with each person began.

    Only for people already listed and audited by people_for_my_work (one query)."""
    membership = principal.membership
    if membership is None or not people or (via_team and membership.team_id is None):
        return {}
    holder = Q(team_id=membership.team_id) if via_team else Q(user=principal.user)
    rows = (
        Involvement.objects.filter(open_involvements(now.date()), holder, person_id__in=[p.pk for p in people])
        .values("person_id")
        .annotate(since=Min("start_date"))
    )
    return {row["person_id"]: row["since"] for row in rows}


def access_log(person: Person, *, limit: int = 50) -> list[AuditEvent]:
    """Who has looked at or changed this record (only call after open_person).

    One query: the latest rows are picked by the (person, -at) index in a subquery and only those are joined to
    their organisation (a much-viewed record has thousands of rows, and joining them all before the sort cost
    more than the rest of the query)."""
    latest = AuditEvent.objects.filter(person=person).order_by("-at", "-id").values("id")[:limit]
    return list(
        AuditEvent.objects.filter(id__in=latest)
        .select_related("organisation")
        .defer("details", *defer_all_but("organisation", Organisation, NAME))
        .order_by("-at", "-id")[:limit]
    )


# Read helpers for the child's page. Call them only after open_person() has allowed and
# audited the read. Each makes a fixed number of queries, whatever the size of the record.

SECOND_DEGREE_LIMIT = 500


def ensure_can_search(principal: Principal) -> None:
    """Raise Refused (as search_people would) when the principal's role cannot search."""
    if not principal.can(Capability.SEARCH_PEOPLE):
        message = "Your role cannot search for people"
        raise Refused(principal=principal, action="person.search", public_id="", message=message)


@dataclass(frozen=True)
class FamilyRelationships:
    direct: list[Relationship]  # rows with the person at one end
    second_degree: list[Relationship]  # rows touching a direct relative but not the person


# What the family table and the genogram read of each relative (people.genogram, people.views.record): loading
# only these halves the work of reading relatives, who are many on a large family's record.
RELATIVE_FIELDS = ("public_id", "kind", "given_name", "family_name", "date_of_birth", "expected_due_date", "sex")
_RELATIVES = tuple(
    f"{end}__{name}" for end in ("from_person", "to_person") for name in (*RELATIVE_FIELDS, "is_restricted")
)
_RELATIONSHIP_FIELDS = ("from_person", "to_person", "type", "description", "start_date", "end_date", *_RELATIVES)


def family_relationships(person: Person) -> FamilyRelationships:
    """The person's recorded relationships and their relatives' (two queries)."""
    mine = Q(from_person=person) | Q(to_person=person)
    direct = list(
        Relationship.objects.filter(mine)
        .select_related("from_person", "to_person")
        .only(*_RELATIONSHIP_FIELDS)
        .order_by("type", "start_date", "id")
    )
    relatives = {r.to_person_id if r.from_person_id == person.pk else r.from_person_id for r in direct}
    second: list[Relationship] = []
    if relatives:
        second = list(
            Relationship.objects.filter(Q(from_person_id__in=relatives) | Q(to_person_id__in=relatives))
            .exclude(mine)
            .select_related("from_person", "to_person")
            .only(*_RELATIONSHIP_FIELDS)
            .order_by("id")[:SECOND_DEGREE_LIMIT]
        )
    return FamilyRelationships(direct=direct, second_degree=second)


@dataclass(frozen=True)
class Family:
    """One family group the person belongs to, with every member (the person too), by name."""

    family: FamilyGroup
    members: list[FamilyMember]


_MEMBER = ("given_name", "family_name", "kind", "is_restricted")  # a member's display name, or withheld


def families_of(person: Person) -> list[Family]:
    """The person's family groups by name, each with its members (one query: the members of every group the
    person is in, with their group and their person)."""
    mine = FamilyMember.objects.filter(person=person).values("family_id")
    rows = (
        FamilyMember.objects.filter(family_id__in=mine)
        .select_related("family", "person")
        .only("family", "person", "start_date", "end_date", "family__name", *(f"person__{f}" for f in _MEMBER))
        .order_by("family__name", "family_id", "person__family_name", "person__given_name", "id")
    )
    families: dict[int, Family] = {}
    for row in rows:
        families.setdefault(row.family_id, Family(family=row.family, members=[])).members.append(row)
    return list(families.values())


@dataclass(frozen=True)
class PersonRecord:
    """Everything the child's page shows, loaded with a constant number of queries."""

    person: Person
    other_names: list[PersonName]
    disabilities: list[PersonDisability]
    addresses: list[Address]  # current first, then most recent
    relationships: FamilyRelationships
    families: list[Family]  # the person's family groups, each with its members
    involvements: list[Involvement]  # open on the day, with worker, team and organisation
    chronology: list[ChronologyEntry]  # most recent entries
    chronology_count: int
    access_log: list[AuditEvent]


def person_record(person: Person, *, now: dt.datetime, chronology_limit: int = 20, log_limit: int = 10) -> PersonRecord:
    day = now.date()
    entries = ChronologyEntry.objects.filter(person=person)
    # The total over every entry comes in the same query as the most recent ones (a window, not a COUNT).
    chronology: list[ChronologyEntry] = list(
        entries.select_related("recorded_by", "agency")
        .defer(*defer_all_but("recorded_by", User, USER_NAME), *defer_all_but("agency", Organisation, NAME))
        .annotate(total=Window(Count("id")))[:chronology_limit]
    )
    total = chronology[0].total if chronology else 0  # type: ignore[attr-defined]
    if chronology_limit == 0:
        total = entries.count()  # no entries asked for (the API): count them on their own
    return PersonRecord(
        person=person,
        other_names=list(PersonName.objects.filter(person=person).order_by("kind", "family_name", "given_name")),
        disabilities=list(PersonDisability.objects.filter(person=person).order_by("code")),
        addresses=list(
            Address.objects.filter(person=person).order_by(F("valid_to").desc(nulls_first=True), "-valid_from", "-id")
        ),
        relationships=family_relationships(person),
        families=families_of(person),
        involvements=list(
            Involvement.objects.filter(open_involvements(day), person=person)
            .select_related("user", "team", "organisation")
            .defer(
                *defer_all_but("user", User, USER_NAME),
                *defer_all_but("team", Team, NAME),
                *defer_all_but("organisation", Organisation, NAME),
            )
            .order_by("kind", "start_date", "id")
        ),
        chronology=chronology,
        chronology_count=total,
        access_log=access_log(person, limit=log_limit),
    )


def chronology_entries(person: Person) -> QuerySet[ChronologyEntry]:
    """The person's chronology, most recent first (a queryset, for pagination)."""
    return ChronologyEntry.objects.filter(person=person).select_related("recorded_by", "agency")


def access_log_events(person: Person) -> QuerySet[AuditEvent]:
    """Every audit row about the person, most recent first (a queryset, for pagination)."""
    return AuditEvent.objects.filter(person=person).select_related("organisation").order_by("-at", "-id")


# Duplicate checks (people:create, people:merge) and the people named on a restricted record.


@dataclass(frozen=True)
class DuplicateHit:
    person: Person
    reasons: tuple[str, ...]
    can_open: bool


def probable_duplicates(
    principal: Principal,
    *,
    now: dt.datetime,
    action: str,
    given_name: str,
    family_name: str,
    date_of_birth: dt.date | None,
    nhs_number: str = "",
    exclude: Person | None = None,
) -> list[DuplicateHit]:
    """Records in the principal's search scope that are probably this person (people.services.probable_duplicates),
    with whether each may be opened. Minimal details only; audited with the rows found, like a search."""
    from safeguarding.people import services as people_services

    from .policy import searchable_local_authorities

    matches = people_services.probable_duplicates(
        local_authority_ids=searchable_local_authorities(principal),
        given_name=given_name,
        family_name=family_name,
        date_of_birth=date_of_birth,
        nhs_number=nhs_number,
        exclude_id=exclude.pk if exclude else None,
    )
    if not matches:
        return []
    ids = [m.person.pk for m in matches]
    openable = set(
        Person.objects.filter(accessible_people(principal, now=now), id__in=ids).values_list("id", flat=True)
    )
    audit.record(
        principal=principal,
        action=action,
        at=now,
        person=exclude,
        object_type="search",
        details={"shown": [str(m.person.public_id) for m in matches]},
    )
    return [DuplicateHit(person=m.person, reasons=m.reasons, can_open=m.person.pk in openable) for m in matches]


def named_on(person: Person) -> list[NamedAccess]:
    """The people named on a (restricted) record, with who named them (only call after open_person)."""
    return list(
        NamedAccess.objects.filter(person=person, revoked_at__isnull=True)
        .select_related("user", "granted_by")
        .order_by("user__last_name", "user__first_name", "id")
    )
