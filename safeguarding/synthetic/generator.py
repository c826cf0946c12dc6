"""The synthetic data generator: realistic, entirely invented local areas.

For each local authority it writes a partnership of organisations of every type (with the NHS
commissioner succession PCT -> CCG -> ICB), teams, users in every role, and households of children
and adults with relationships, family groups, addresses, disabilities, search keys, involvements
and chronology entries.

It is a bulk loader: it writes with bulk_create in batches inside the caller's transaction rather
than through the services (which audit every row), and the caller writes one audit row for the
run (record_run). Everything is drawn from one random.Random(seed): the same seed and as-of date
give the same data. Identifier ranges are documented in places.py.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import random
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Max, Model
from tqdm import tqdm

from safeguarding.access.models import Involvement, InvolvementKind, NamedAccess
from safeguarding.accounts.models import Membership, User
from safeguarding.accounts.roles import Role
from safeguarding.audit import services as audit
from safeguarding.audit.models import Channel
from safeguarding.chronology.models import ChronologyEntry, Significance
from safeguarding.core.dates import is_backdated
from safeguarding.core.text import fold
from safeguarding.organisations.models import Organisation, OrganisationType, Partnership, Succession, Team
from safeguarding.people.codes import SYMMETRIC_RELATIONSHIPS, NameKind, PersonKind, RelationshipType
from safeguarding.people.models import (
    Address,
    FamilyGroup,
    FamilyMember,
    NameKey,
    Person,
    PersonDisability,
    PersonName,
    Relationship,
)
from safeguarding.people.search import keys_for

from . import journey_rows, names, places
from .numbers import nhs_numbers, upn

BATCH_SIZE = 5_000
PCT_TO_CCG = dt.date(2013, 4, 1)
CCG_TO_ICB = dt.date(2022, 7, 1)
CASELOAD = 18  # children per social worker
# Share of households open to each service (children in need about 3.3% and on a plan 0.4% nationally).
_STATUS_SHARES = (("cp", 0.004), ("cin", 0.030), ("early_help", 0.020), ("closed", 0.046))
_DISABILITY_CODES = ("AUT", "LD", "COMM", "BEH", "MOB", "HEAR", "VIS", "PC", "INC", "HAND", "CON", "DDA")
_DISABILITY_WEIGHTS = (25, 20, 18, 12, 6, 4, 3, 3, 2, 2, 2, 3)


class SeedingRefused(Exception):
    """The generator cannot run with these options; the message says why."""


@dataclass
class Area:
    """One generated local area: what the demo and the benchmarks need to find again."""

    place: str
    la_code: str
    postcode_area: str
    la: Organisation
    partnership: Partnership
    orgs: dict[str, Organisation]
    teams: dict[str, Team] = field(default_factory=dict)
    managers: dict[int, User] = field(default_factory=dict)  # team id -> its team manager
    showcase_child: Person | None = None


@dataclass
class Summary:
    areas: list[Area]
    counts: Counter[str]


def generate(
    *,
    seed: int,
    local_authorities: int,
    children: int,
    as_of: dt.date,
    now: dt.datetime,
    progress: bool = False,
    journeys: bool = True,
) -> Summary:
    """Generate `local_authorities` areas of `children` children each. Call inside transaction.atomic()."""
    return generate_areas(
        seed=seed, sizes=[children] * local_authorities, as_of=as_of, now=now, progress=progress, journeys=journeys
    )


def generate_areas(
    *,
    seed: int,
    sizes: Sequence[int],
    as_of: dt.date,
    now: dt.datetime,
    progress: bool = False,
    journeys: bool = True,
    journey_stages: Sequence[str] = (),
) -> Summary:
    """One area per entry of `sizes`, with that many children. Call inside transaction.atomic()."""
    if not sizes or min(sizes) < 2:
        raise SeedingRefused("Ask for at least one local authority, with at least two children in each")
    used = _existing("dfe_la_code")
    free_codes = [c for c in places.LA_CODES if c not in used]
    if len(sizes) > len(free_codes):
        raise SeedingRefused(f"Only {len(free_codes)} more synthetic local authority codes are available")
    # On an empty database the first area is always 950, so the same seed gives the same data; a second
    # run into the same database starts from another code and so draws different (non-clashing) ids.
    generator = _Generator(seed=f"{seed}/{free_codes[0]}", as_of=as_of, now=now, journeys=journeys)
    areas = []
    with tqdm(total=sum(sizes), unit="child", disable=not progress, desc="Seeding") as bar:
        for la_code, size in zip(free_codes, sizes, strict=False):
            generator.size = size
            generator.area_first_child, generator.area_restricted = generator.counts[PersonKind.CHILD], 0
            if generator.journeys is not None:
                generator.journeys.forced = list(journey_stages)  # the first households' current stages
            areas.append(generator.build_area(la_code))
            generator.populate(size, bar)
    return Summary(areas=areas, counts=generator.counts)


def record_run(*, now: dt.datetime, details: dict[str, Any]) -> None:
    """The one audit row for a seeding run (the rows themselves are bulk-written, not audited)."""
    audit.record(
        principal=None,
        action="synthetic.seeded",
        at=now,
        channel=Channel.COMMAND,
        actor_name="seed_synthetic",
        object_type="synthetic",
        details=details,
    )


def _existing(field_name: str) -> set[str]:
    return set(Organisation.objects.exclude(**{field_name: ""}).values_list(field_name, flat=True))


@functools.lru_cache(maxsize=100_000)
def _keys(all_names: tuple[tuple[str, str], ...]) -> frozenset[str]:
    return frozenset(keys_for(all_names))


@functools.lru_cache(maxsize=100_000)
def search_name(given: str, family: str) -> str:
    """Person.search_name, as people.services.refresh_name_keys computes it."""
    return fold(f"{family} {given}")[:250]


def at(day: dt.date, hour: int = 12, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=dt.UTC)


def years(n: float) -> dt.timedelta:
    return dt.timedelta(days=round(n * 365.25))


@dataclass
class _School:
    org: Organisation
    establishment: int
    phase: str  # "primary" or "secondary"
    dsl: User | None = None


@dataclass
class _Staff:
    """The users of one area that households are allocated to."""

    assessment: list[tuple[User, Team]] = field(default_factory=list)
    cin_cp: list[tuple[User, Team]] = field(default_factory=list)
    early_help: list[tuple[User, Team]] = field(default_factory=list)
    health_visitors: list[User] = field(default_factory=list)
    school_nurses: list[User] = field(default_factory=list)
    midwives: list[User] = field(default_factory=list)
    gp_leads: list[User] = field(default_factory=list)
    mash: list[User] = field(default_factory=list)
    org_of: dict[int, int] = field(default_factory=dict)  # user id -> organisation id


@dataclass
class _Street:
    name: str
    town: str
    postcodes: tuple[str, ...]
    houses: int


AddressRow = tuple[str, str, str, str, dt.date | None, dt.date | None]
OtherName = tuple[str, str, str, dt.date | None, dt.date | None]  # kind, given, family, from, to


@dataclass
class _Pending:
    """Rows waiting to be written; they refer to Person objects, whose ids exist only after the flush."""

    people: list[Person] = field(default_factory=list)
    unborn: list[Person] = field(default_factory=list)
    names: dict[int, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    other_names: list[tuple[Person, OtherName]] = field(default_factory=list)
    disabilities: list[tuple[Person, str]] = field(default_factory=list)
    disabled: set[int] = field(default_factory=set)  # id() of the people given a disability answer
    addresses: list[tuple[Person, AddressRow]] = field(default_factory=list)
    relationships: list[tuple[Person, Person, str, str, dt.date | None, dt.date | None]] = field(default_factory=list)
    families: list[tuple[FamilyGroup, list[tuple[Person, dt.date | None, dt.date | None]]]] = field(
        default_factory=list
    )
    involvements: list[tuple[Any, ...]] = field(default_factory=list)
    named_access: list[tuple[Person, int, int, dt.datetime, str]] = field(default_factory=list)
    chronology: list[tuple[Any, ...]] = field(default_factory=list)


class _Generator:
    area: Area

    def __init__(self, *, seed: int | str, as_of: dt.date, now: dt.datetime, journeys: bool = True) -> None:
        self.rng = random.Random(seed)
        self.as_of = as_of
        self.now = now
        self.size = 0  # children in the area being built
        self.area_first_child = 0  # children made before this area
        self.area_restricted = 0  # restricted records made in this area
        self.counts: Counter[str] = Counter()
        latest = Person.objects.filter(nhs_number__startswith="999").aggregate(m=Max("nhs_number"))["m"] or ""
        self.nhs = nhs_numbers(after=latest)
        taken_urns = [int(u) for u in _existing("school_urn") if u.isdigit() and int(u) >= places.URN_START]
        self.next_urn = max(taken_urns, default=places.URN_START - 1) + 1
        self.taken_places = {
            name.removesuffix(" Council")
            for name in Organisation.objects.filter(type=OrganisationType.LOCAL_AUTHORITY).values_list(
                "name", flat=True
            )
        }
        self.usernames = set(User.objects.values_list("username", flat=True))
        self.person_serial = Person.objects.count()
        self.upn_serials: Counter[tuple[int, int]] = Counter()
        self.event_serial = 0
        self.schools: list[_School] = []
        self.schools_by_phase: dict[str, list[_School]] = {}
        self.staff = _Staff()
        self.streets: list[_Street] = []
        self.pending = _Pending()
        self.journeys = journey_rows.Writer(self) if journeys else None

    def uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def day_between(self, start: dt.date, end: dt.date) -> dt.date:
        return start if end <= start else start + dt.timedelta(days=self.rng.randint(0, (end - start).days))

    # --- organisations, teams and users ------------------------------------------------------

    def build_area(self, la_code: str) -> Area:
        rng, n = self.rng, self.size
        place = next(places.place_names(rng, self.taken_places))
        towns = [place, *places.town_names(rng, self.taken_places, 3 + rng.randint(0, 4))]
        orgs: dict[str, Organisation] = {}
        used_names: set[str] = set()

        def org(key: str, name: str, type_: str, **kwargs: Any) -> Organisation:
            if name in used_names:  # two "Oak Primary School"s: say where
                name = f"{name}, {rng.choice(towns)}"
            base, suffix = name, 2
            while name in used_names:
                name, suffix = f"{base} {suffix}", suffix + 1
            used_names.add(name)
            orgs[key] = Organisation(
                public_id=self.uuid(),
                name=name,
                type=type_,
                office_hours_phone=places.phone(rng),
                inbox_email=places.email("safeguarding", name),
                **kwargs,
            )
            return orgs[key]

        org(
            "la",
            f"{place} Council",
            OrganisationType.LOCAL_AUTHORITY,
            dfe_la_code=la_code,
            out_of_hours_phone=places.phone(rng),
        )
        org(
            "icb",
            f"NHS {place} Integrated Care Board",
            OrganisationType.INTEGRATED_CARE_BOARD,
            ods_code=places.ods("Q", la_code),
            valid_from=CCG_TO_ICB,
        )
        org(
            "ccg",
            f"NHS {place} Clinical Commissioning Group",
            OrganisationType.CLINICAL_COMMISSIONING_GROUP,
            ods_code=places.ods("C", la_code),
            valid_from=PCT_TO_CCG,
            valid_to=CCG_TO_ICB - dt.timedelta(days=1),
        )
        org(
            "pct",
            f"{place} Primary Care Trust",
            OrganisationType.PRIMARY_CARE_TRUST,
            ods_code=places.ods("P", la_code),
            valid_from=dt.date(2002, 4, 1),
            valid_to=PCT_TO_CCG - dt.timedelta(days=1),
        )
        org(
            "acute",
            f"{place} Hospitals NHS Foundation Trust",
            OrganisationType.NHS_TRUST,
            ods_code=places.ods("R", la_code, 1),
            out_of_hours_phone=places.phone(rng),
        )
        org(
            "community",
            f"{place} Community Health NHS Trust",
            OrganisationType.NHS_TRUST,
            ods_code=places.ods("R", la_code, 2),
        )
        org("police", f"{place} Police", OrganisationType.POLICE_FORCE, out_of_hours_phone=places.phone(rng))
        for i in range(max(2, n // 1000)):
            org(
                f"gp{i}",
                places.gp_practice_name(rng.choice(towns), rng),
                OrganisationType.GP_PRACTICE,
                ods_code=places.ods("G", la_code, 100 + i),
            )
        self.schools = []
        for phase, count, namer in (
            ("primary", max(2, n // 750), places.primary_school_name),
            ("secondary", max(1, n // 2500), places.secondary_school_name),
        ):
            for i in range(count):
                school = org(
                    f"{phase}{i}", namer(rng.choice(towns), rng), OrganisationType.SCHOOL, school_urn=self._urn()
                )
                self.schools.append(_School(school, (2000 if phase == "primary" else 4000) + i, phase))
        self.schools_by_phase = {
            phase: [school for school in self.schools if school.phase == phase] for phase in ("primary", "secondary")
        }
        for i in range(max(1, n // 1000)):
            org(
                f"ey{i}",
                places.early_years_name(rng.choice(towns), rng),
                OrganisationType.EARLY_YEARS,
                school_urn=self._urn(),
            )
        for i, name in enumerate(rng.sample(places.voluntary_names(place), rng.randint(3, 5))):
            org(f"vol{i}", name, OrganisationType.VOLUNTARY)
        Organisation.objects.bulk_create(list(orgs.values()), batch_size=BATCH_SIZE)
        self.counts["organisations"] += len(orgs)
        orgs.update(self._shared_orgs(la_code, place))

        Succession.objects.bulk_create(
            [
                Succession(
                    predecessor=orgs["pct"],
                    successor=orgs["ccg"],
                    effective_date=PCT_TO_CCG,
                    note="Primary care trusts abolished; commissioning passed to clinical commissioning groups",
                ),
                Succession(
                    predecessor=orgs["ccg"],
                    successor=orgs["icb"],
                    effective_date=CCG_TO_ICB,
                    note="Clinical commissioning groups replaced by integrated care boards",
                ),
            ]
        )
        partnership = Partnership.objects.create(
            public_id=self.uuid(), name=f"{place} Safeguarding Children Partnership", local_authority=orgs["la"]
        )
        partnership.organisations.add(*(o for key, o in orgs.items() if key not in ("ccg", "pct", "sha")))
        self.area = Area(
            place=place,
            la_code=la_code,
            postcode_area=places.postcode_area(la_code),
            la=orgs["la"],
            partnership=partnership,
            orgs=orgs,
        )
        self._build_teams()
        self._build_staff()
        self._readers_and_referrers()
        self._build_streets(towns)
        return self.area

    def _urn(self) -> str:
        urn = self.next_urn
        self.next_urn += 1
        if urn > 999_999:
            raise SeedingRefused("The synthetic URN range (900000-999999) is used up")
        return str(urn)

    def _shared_orgs(self, la_code: str, place: str) -> dict[str, Organisation]:
        """National bodies shared by every area, and the strategic health authority of this area's region."""
        england, _ = Organisation.objects.get_or_create(
            ods_code="ZZE01",
            defaults={
                "name": "NHS England",
                "type": OrganisationType.NHS_ENGLAND,
                "valid_from": PCT_TO_CCG,
                "public_id": self.uuid(),
            },
        )
        ofsted, _ = Organisation.objects.get_or_create(
            type=OrganisationType.INSPECTORATE,
            name="Ofsted",
            defaults={"public_id": self.uuid(), "inbox_email": "enquiries@ofsted.example"},
        )
        region = places.LA_CODES.index(la_code) // 5
        sha, created = Organisation.objects.get_or_create(
            ods_code=f"ZZS{region:02d}",
            defaults={
                "name": f"{place} and District Strategic Health Authority",
                "type": OrganisationType.STRATEGIC_HEALTH_AUTHORITY,
                "valid_from": dt.date(2006, 7, 1),
                "valid_to": PCT_TO_CCG - dt.timedelta(days=1),
                "public_id": self.uuid(),
            },
        )
        if created:
            Succession.objects.create(
                predecessor=sha,
                successor=england,
                effective_date=PCT_TO_CCG,
                note="Strategic health authorities abolished; functions passed to NHS England",
            )
        return {"england": england, "ofsted": ofsted, "sha": sha}

    def _social_workers_needed(self) -> int:
        shares = dict(_STATUS_SHARES)
        return max(2, math.ceil(self.size * (shares["cp"] + shares["cin"]) / CASELOAD))

    def _build_teams(self) -> None:
        n, o = self.size, self.area.orgs
        team_count = max(2, math.ceil(self._social_workers_needed() / 7))
        assessment_teams = max(1, round(team_count * 0.4))
        eh_teams = max(1, math.ceil(n * dict(_STATUS_SHARES)["early_help"] / 20 / 8))
        parents = {
            "service": Team(organisation=o["la"], name="Children's Social Care"),
            "early_help": Team(organisation=o["la"], name="Early Help Service"),
            "qa": Team(organisation=o["la"], name="Quality Assurance and Audit"),
            "performance": Team(organisation=o["la"], name="Performance and Intelligence"),
            "partnership": Team(organisation=o["la"], name="Safeguarding Partnership Business Unit"),
            "digital": Team(organisation=o["la"], name="Digital and Systems Support"),
            "designated": Team(organisation=o["icb"], name="Designated Safeguarding Professionals"),
            "ed": Team(organisation=o["acute"], name="Emergency Department"),
            "paediatrics": Team(organisation=o["acute"], name="Paediatrics"),
            "maternity": Team(organisation=o["acute"], name="Maternity"),
            "acute_safeguarding": Team(organisation=o["acute"], name="Safeguarding Children Team"),
            "community_safeguarding": Team(organisation=o["community"], name="Safeguarding Children Team"),
            "health_visiting": Team(organisation=o["community"], name="Health Visiting Service"),
            "school_nursing": Team(organisation=o["community"], name="School Nursing Team"),
            "ppu": Team(organisation=o["police"], name="Public Protection Unit"),
        }
        self._save_teams(parents)
        service, early_help = parents["service"], parents["early_help"]
        subteams = {"mash": Team(organisation=o["la"], name="Multi-Agency Safeguarding Hub (MASH)", parent=service)}
        for i in range(1, assessment_teams + 1):
            subteams[f"assessment{i}"] = Team(organisation=o["la"], name=f"Assessment Team {i}", parent=service)
        for i in range(1, team_count - assessment_teams + 1):
            subteams[f"cin_cp{i}"] = Team(
                organisation=o["la"], name=f"Child in Need and Child Protection Team {i}", parent=service
            )
        for i in range(1, eh_teams + 1):
            subteams[f"eh{i}"] = Team(organisation=o["la"], name=f"Early Help Team {i}", parent=early_help)
        for i in range(1, max(1, n // 15000) + 1):
            subteams[f"hv{i}"] = Team(
                organisation=o["community"], name=f"Health Visiting Team {i}", parent=parents["health_visiting"]
            )
        self._save_teams(subteams)

    def _save_teams(self, teams: dict[str, Team]) -> None:
        for key, team in teams.items():
            team.public_id = self.uuid()
            team.inbox_email = places.email(team.name, team.organisation.name)
            self.area.teams[key] = team
        Team.objects.bulk_create(list(teams.values()))
        self.counts["teams"] += len(teams)

    def _staffing_plan(self) -> list[tuple[str, Organisation, Team | None, str, int]]:
        """(key, organisation, team, role, how many) for every post in the area."""
        n, t, o = self.size, self.area.teams, self.area.orgs
        sw_teams = [k for k in t if k.startswith(("assessment", "cin_cp"))]
        eh_teams = [k for k in t if k.startswith("eh")]
        hv_teams = [k for k in t if k.startswith("hv")]
        plan: list[tuple[str, Organisation, Team | None, str, int]] = []
        for key in sw_teams:
            plan.append(
                (key, o["la"], t[key], Role.SOCIAL_WORKER, math.ceil(self._social_workers_needed() / len(sw_teams)))
            )
        for key in eh_teams:
            plan.append((key, o["la"], t[key], Role.EARLY_HELP, max(2, math.ceil(n * 0.02 / 20 / len(eh_teams)))))
        for key in hv_teams:
            plan.append((key, o["community"], t[key], Role.HEALTH_SCHEDULED, max(2, n // 2500 // len(hv_teams))))
        for key in [*sw_teams, *eh_teams, "mash", "service", "early_help"]:
            plan.append((f"manager:{key}", o["la"], t[key], Role.TEAM_MANAGER, 1))
        plan += [
            ("mash", o["la"], t["mash"], Role.MASH_OFFICER, max(2, n // 8000)),
            ("mash", o["police"], t["ppu"], Role.MASH_OFFICER, max(1, n // 20000)),
            ("partnership", o["la"], t["partnership"], Role.PARTNERSHIP_MANAGER, 1),
            ("analyst", o["la"], t["performance"], Role.ANALYST, max(1, n // 30000)),
            ("auditor", o["la"], t["qa"], Role.AUDITOR, max(1, n // 30000)),
            ("admin", o["la"], t["digital"], Role.SYSTEM_ADMIN, 1),
            ("designated", o["icb"], t["designated"], Role.DESIGNATED_PROFESSIONAL, 2),
            ("named", o["acute"], t["acute_safeguarding"], Role.NAMED_PROFESSIONAL, 2),
            ("named", o["community"], t["community_safeguarding"], Role.NAMED_PROFESSIONAL, 2),
            ("unscheduled", o["acute"], t["ed"], Role.HEALTH_UNSCHEDULED, max(2, n // 15000)),
            ("unscheduled", o["acute"], t["paediatrics"], Role.HEALTH_UNSCHEDULED, max(1, n // 20000)),
            ("midwife", o["acute"], t["maternity"], Role.HEALTH_SCHEDULED, max(1, n // 15000)),
            ("school_nurse", o["community"], t["school_nursing"], Role.HEALTH_SCHEDULED, max(1, n // 6000)),
        ]
        plan += [("gp", org, None, Role.HEALTH_SCHEDULED, 1) for key, org in o.items() if key.startswith("gp")]
        plan += [(f"dsl{i}", s.org, None, Role.EARLY_HELP, 1) for i, s in enumerate(self.schools)]
        plan += [("voluntary", org, None, Role.EARLY_HELP, 1) for key, org in o.items() if key.startswith("vol")]
        return plan

    def _readers_and_referrers(self) -> None:
        """The police's safeguarding partner, who reads the partnership's work, and each school's safeguarding
        lead, who refers to the front door. Drawn from their own random stream, so adding them left every
        other generated row as it was for a seed."""
        main, self.rng = self.rng, random.Random(f"readers/{self.area.la_code}/{self.area.place}")
        try:
            o, t = self.area.orgs, self.area.teams
            plan: list[tuple[Organisation, Team | None, str]] = [(o["police"], t["ppu"], Role.PARTNERSHIP_MEMBER)]
            plan += [(school.org, None, Role.PARTNER_PROFESSIONAL) for school in self.schools]
            users = [(self._user(org, role), org, team, role) for org, team, role in plan]
            User.objects.bulk_create([user for user, _o, _t, _r in users])
            Membership.objects.bulk_create(self._membership(user, org, team, role) for user, org, team, role in users)
            self.counts["users"] += len(users)
            self.counts["memberships"] += len(users)
        finally:
            self.rng = main

    def _membership(self, user: User, org: Organisation, team: Team | None, role: str) -> Membership:
        """A current membership that began up to ten years ago."""
        return Membership(
            public_id=self.uuid(),
            user=user,
            organisation=org,
            team=team,
            role=role,
            starts_on=self.as_of - dt.timedelta(days=self.rng.randint(30, 3650)),
        )

    def _build_staff(self) -> None:
        """Users in every role, with memberships; a few social workers also have an ended membership."""
        posts = [
            (key, self._user(org, role), org, team, role)
            for key, org, team, role, count in self._staffing_plan()
            for _ in range(count)
        ]
        User.objects.bulk_create([user for _k, user, _o, _t, _r in posts], batch_size=BATCH_SIZE)
        memberships = [self._membership(user, org, team, role) for _k, user, org, team, role in posts]
        sw_teams = [team for key, team in self.area.teams.items() if key.startswith(("assessment", "cin_cp"))]
        for _k, user, org, team, role in posts:
            if role == Role.SOCIAL_WORKER and len(sw_teams) > 1 and self.chance(0.1):
                ended = self.as_of - dt.timedelta(days=self.rng.randint(40, 700))
                memberships.append(
                    Membership(
                        public_id=self.uuid(),
                        user=user,
                        organisation=org,
                        role=role,
                        is_active=False,
                        team=self.rng.choice([other for other in sw_teams if other != team]),
                        starts_on=ended - dt.timedelta(days=self.rng.randint(200, 1500)),
                        ends_on=ended,
                    )
                )
        Membership.objects.bulk_create(memberships, batch_size=BATCH_SIZE)
        self.counts["users"] += len(posts)
        self.counts["memberships"] += len(memberships)

        staff = _Staff()
        lists: dict[str, list[User]] = {
            "midwife": staff.midwives,
            "school_nurse": staff.school_nurses,
            "mash": staff.mash,
            "gp": staff.gp_leads,
        }
        for key, user, org, team, role in posts:
            staff.org_of[user.pk] = org.pk
            if key.startswith("manager:") and team is not None:
                self.area.managers[team.pk] = user
            elif role == Role.SOCIAL_WORKER and team is not None:
                (staff.assessment if key.startswith("assessment") else staff.cin_cp).append((user, team))
            elif role == Role.EARLY_HELP and team is not None:
                staff.early_help.append((user, team))
            elif key.startswith("dsl"):
                self.schools[int(key[3:])].dsl = user
            elif key.startswith("hv"):
                staff.health_visitors.append(user)
            elif key in lists:
                lists[key].append(user)
        self.staff = staff

    _JOB_TITLES: dict[str, tuple[str, ...]] = {
        Role.SOCIAL_WORKER: ("Social worker", "Senior social worker", "Advanced practitioner"),
        Role.TEAM_MANAGER: ("Team manager",),
        Role.MASH_OFFICER: ("MASH social worker", "MASH information officer", "Detective constable (MASH)"),
        Role.EARLY_HELP: ("Family support worker", "Early help practitioner", "Designated safeguarding lead"),
        Role.HEALTH_UNSCHEDULED: ("Emergency department nurse", "Paediatric registrar", "Staff nurse"),
        Role.HEALTH_SCHEDULED: ("Health visitor", "School nurse", "Midwife", "GP safeguarding lead"),
        Role.DESIGNATED_PROFESSIONAL: ("Designated nurse for safeguarding children", "Designated doctor"),
        Role.NAMED_PROFESSIONAL: ("Named nurse for safeguarding children", "Named doctor", "Named midwife"),
        Role.PARTNERSHIP_MANAGER: ("Safeguarding partnership business manager",),
        Role.PARTNERSHIP_MEMBER: ("Detective superintendent, public protection", "Head of safeguarding"),
        Role.PARTNER_PROFESSIONAL: ("Designated safeguarding lead", "Deputy designated safeguarding lead"),
        Role.ANALYST: ("Performance analyst", "Data analyst"),
        Role.AUDITOR: ("Quality assurance auditor", "Information governance auditor"),
        Role.SYSTEM_ADMIN: ("System administrator",),
    }

    def _user(self, org: Organisation, role: str) -> User:
        rng = self.rng
        heritage = names.pick_heritage(names.pick_group(rng), rng)
        sex = "F" if rng.random() < 0.78 else "M"  # the children's workforce is mostly women
        given = names.given_name(heritage, sex, "adult", rng)
        family = names.family_name(heritage, rng)
        if sex == "F":
            family = names.feminine_family_name(family, heritage, rng)
        base = f"{fold(given).replace(' ', '')}.{fold(family).replace(' ', '')}"
        username, n = base, 1
        while username in self.usernames:
            n += 1
            username = f"{base}{n}"
        self.usernames.add(username)
        return User(
            public_id=self.uuid(),
            username=username,
            first_name=given,
            last_name=family,
            email=places.email(username, org.name),
            job_title=rng.choice(self._JOB_TITLES[role]),
            phone=places.phone(rng),
            password=f"!synthetic-{rng.getrandbits(64):016x}",  # "!": unusable
            date_joined=self.now,
        )

    def _build_streets(self, towns: list[str]) -> None:
        rng, area = self.rng, self.area
        districts = max(3, self.size // 4000)
        self.streets = []
        for _ in range(max(30, self.size // 12)):
            district = rng.randint(1, districts)
            town = towns[(district - 1) * len(towns) // districts]
            postcodes = tuple(places.postcode(area.postcode_area, district, rng) for _ in range(rng.randint(1, 3)))
            self.streets.append(_Street(places.street_name(rng), town, postcodes, rng.randint(8, 160)))

    # --- people -------------------------------------------------------------------------------

    def populate(self, children: int, bar: Any) -> None:
        made = 0
        while made < children:
            before = self.counts[PersonKind.CHILD]
            _Household(self, room=children - made, showcase=made == 0).build()
            step = self.counts[PersonKind.CHILD] - before
            made += step
            bar.update(step)
            if len(self.pending.people) >= BATCH_SIZE:
                self.flush()
        self.flush()

    def person(
        self,
        *,
        kind: str,
        given: str,
        family: str,
        dob: dt.date | None,
        sex: str,
        ethnicity: str,
        heritage: str,
        other_names: Sequence[OtherName] = (),
        due: dt.date | None = None,
        pregnant: Person | None = None,
    ) -> Person:
        rng = self.rng
        self.person_serial += 1
        is_child = kind != PersonKind.ADULT
        age = (self.as_of - dob).days // 365 if dob else None
        created = max(dob or self.as_of, self.as_of - dt.timedelta(days=rng.randint(0, 3650)))
        person = Person(
            public_id=self.uuid(),
            kind=kind,
            local_authority_id=self.area.la.pk,
            given_name=given,
            family_name=family,
            date_of_birth=dob,
            expected_due_date=due,
            pregnant_person=pregnant,
            sex=sex,
            gender=rng.choice(names.STATED_GENDERS)
            if age is not None and 12 <= age < 18 and self.chance(0.012)
            else "",
            ethnicity=ethnicity,
            first_language=""
            if kind == PersonKind.UNBORN
            else names.first_language(heritage, is_child=is_child, rng=rng),
            nhs_number=next(self.nhs) if kind != PersonKind.UNBORN and self.chance(0.98 if is_child else 0.92) else "",
            la_person_id=str(100000 + self.person_serial),
            search_name=search_name(given, family),
            created_at=at(created, 9 + rng.randint(0, 8), rng.randint(0, 59)),
            updated_at=at(self.as_of),
        )
        if kind == PersonKind.CHILD and dob is not None and age is not None and age >= 4 and self.chance(0.97):
            person.upn = self._upn(dob, age)
        pending = self.pending
        (pending.unborn if pregnant is not None else pending.people).append(person)
        pending.names[id(person)] = ((given, family), *((g, f) for _k, g, f, _a, _b in other_names))
        pending.other_names.extend((person, other) for other in other_names)
        self._disabilities(person)
        self.counts[kind] += 1
        return person

    def school_for(self, age: int) -> _School:
        return self.rng.choice(self.schools_by_phase["primary" if age <= 10 else "secondary"])

    def _upn(self, dob: dt.date, age: int) -> str:
        """A UPN allocated by the child's school in the year they started school (unique per school and year).

        Characters 2-4 must be a code the DfE recognises (validator rule 1530) and the synthetic LA codes are
        not, so UPNs carry one of the pseudo-LA codes 001-005 and the area's position in the establishment.
        """
        school = self.school_for(age)
        year = dob.year + 5
        self.upn_serials[(school.establishment, year)] += 1
        index = places.LA_CODES.index(self.area.la_code)
        number = school.establishment % 1000
        establishment = (index // 5) * 200 + (number % 100 if school.phase == "primary" else 100 + number % 100)
        return upn(f"00{1 + index % 5}", establishment, year, self.upn_serials[(school.establishment, year)])

    def _disabilities(self, person: Person) -> None:
        """Children: mostly NONE, some one or two CIN codes, a few unrecorded. Adults: mostly unrecorded."""
        if person.kind == PersonKind.UNBORN:
            return
        rng = self.rng
        r = rng.random()
        codes: list[str] = []
        if person.kind == PersonKind.CHILD:
            if r < 0.90:
                codes = ["NONE"]
            elif r < 0.99:
                codes = sorted(set(rng.choices(_DISABILITY_CODES, _DISABILITY_WEIGHTS, k=1 if r < 0.97 else 2)))
        elif r < 0.07:
            codes = ["NONE"]
        elif r < 0.10:
            codes = rng.choices(_DISABILITY_CODES, _DISABILITY_WEIGHTS)
        self.pending.disabilities.extend((person, code) for code in codes)
        if codes:
            self.pending.disabled.add(id(person))

    def adult(
        self,
        heritage: str,
        sex: str,
        dob: dt.date | None,
        *,
        ethnicity: str | None = None,
        given: str | None = None,
        family: str | None = None,
        generation: str = "adult",
        other_names: Sequence[OtherName] = (),
    ) -> Person:
        rng = self.rng
        if family is None:
            family = names.family_name(heritage, rng)
            if sex == "F":
                family = names.feminine_family_name(family, heritage, rng)
        if dob is not None and self.chance(0.03):
            dob = None  # date of birth not known
        return self.person(
            kind=PersonKind.ADULT,
            given=given or names.given_name(heritage, sex, generation, rng),
            family=family,
            dob=dob,
            sex=sex,
            ethnicity=ethnicity or names.ethnicity_of(heritage),
            heritage=heritage,
            other_names=other_names,
        )

    def child(self, heritage: str, ethnicity: str, family: str, dob: dt.date) -> Person:
        rng = self.rng
        r = rng.random()
        sex = "M" if r < 0.505 else ("F" if r < 0.997 else "U")
        given = names.given_name(heritage, sex, "child", rng)
        if sex == "F":
            family = names.polish_feminine(family)
        aliases: list[OtherName] = []
        if self.chance(0.03):
            aliases.append((NameKind.ALIAS, given, names.family_name(heritage, rng), None, None))
        return self.person(
            kind=PersonKind.CHILD,
            given=given,
            family=family,
            dob=dob,
            sex=sex,
            ethnicity=ethnicity,
            heritage=heritage,
            other_names=aliases,
        )

    def duplicate(self, child: Person) -> Person:
        """A deliberate probable duplicate: same date of birth, a misspelt name, sometimes the same NHS number."""
        rng = self.rng
        dup = self.person(
            kind=PersonKind.CHILD,
            given=misspell(child.given_name, rng),
            family=child.family_name,
            dob=child.date_of_birth,
            sex=child.sex,
            ethnicity=rng.choice((child.ethnicity, "NOBT")),
            heritage="british",
        )
        dup.first_language = child.first_language
        dup.nhs_number = child.nhs_number if self.chance(0.5) else ""
        dup.upn = ""
        self.counts["probable duplicates"] += 1
        return dup

    def address_history(self, since: dt.date) -> list[AddressRow]:
        """One to three addresses from `since` to today, the last one current."""
        rng, as_of = self.rng, self.as_of
        moves = sorted(self.day_between(since, as_of) for _ in range(rng.choices((0, 1, 2), (60, 30, 10))[0]))
        starts = [since, *moves]
        rows: list[AddressRow] = []
        for i, start in enumerate(starts):
            end = starts[i + 1] - dt.timedelta(days=1) if i + 1 < len(starts) else None
            if end is not None and end < start:
                continue
            street = rng.choice(self.streets)
            if self.chance(0.15):
                line_1, line_2 = f"Flat {rng.randint(1, 40)}, {places.building_name(rng)}", street.name
            else:
                line_1, line_2 = f"{rng.randint(1, street.houses)} {street.name}", ""
            rows.append((line_1, line_2, street.town, rng.choice(street.postcodes), start, end))
        return rows

    def give_address(self, person: Person, history: list[AddressRow]) -> None:
        dob = person.date_of_birth
        for line_1, line_2, town, postcode, start, end in history:
            if dob is not None and end is not None and end < dob:
                continue
            begin = max(start, dob) if start is not None and dob is not None else start
            self.pending.addresses.append((person, (line_1, line_2, town, postcode, begin, end)))

    def relate(
        self,
        a: Person,
        b: Person,
        kind: str,
        start: dt.date | None = None,
        end: dt.date | None = None,
        description: str = "",
    ) -> None:
        if start is not None and end is not None and end < start:
            end = start
        self.pending.relationships.append((a, b, kind, description, start, end))

    # --- involvement and chronology ----------------------------------------------------------

    def involve(self, children: list[Person], history: list[AddressRow], showcase: bool) -> None:
        """Open (or closed) social care or early help for a household's children, with partner professionals."""
        rng, staff, as_of = self.rng, self.staff, self.as_of
        status = "cp" if showcase else _pick_status(rng.random())
        if self.journeys is not None and status != "early_help":
            # Social care comes from the simulated journeys (synthetic.journeys), not from a status.
            self.journeys.household(children, showcase)
            return
        if not status or not children:
            return
        if status == "early_help":
            worker, team = rng.choice(staff.early_help)
        else:
            pool = staff.cin_cp if status == "cp" or (status == "cin" and self.chance(0.6)) else staff.assessment
            worker, team = rng.choice(pool)
        manager = self.area.managers[team.pk]
        youngest = max(c.date_of_birth or c.expected_due_date or as_of for c in children)
        latest_start = as_of - dt.timedelta(days=20)
        lookback = years(6 if status == "closed" else 2)
        start = self.day_between(min(max(youngest, as_of - lookback), latest_start), latest_start)
        if youngest > latest_start:  # a newborn or an unborn baby: the household was referred before the birth
            start = as_of - dt.timedelta(days=rng.randint(20, 120))
        end = None
        if status == "closed":
            yesterday = as_of - dt.timedelta(days=1)
            end = max(start, min(yesterday, self.day_between(start + dt.timedelta(days=30), yesterday)))
        la_id = self.area.la.pk
        for child in children:
            began = max(start, child.date_of_birth) if child.date_of_birth else start
            if end is not None and began > end:
                continue
            rows = [
                (child, InvolvementKind.ALLOCATED_WORKER, worker.pk, None, la_id, "Allocated worker"),
                (child, InvolvementKind.TEAM, None, team.pk, la_id, team.name),
            ]
            partners = self._partner_professionals(child) if status in ("cp", "cin") else []
            rows += [
                (child, InvolvementKind.PARTNER_PROFESSIONAL, user.pk, None, staff.org_of[user.pk], description)
                for user, description in partners
            ]
            self.pending.involvements.extend((*row, began, end, manager.pk) for row in rows)
            if child.is_restricted:
                for user_id in sorted({worker.pk, manager.pk}):
                    self.pending.named_access.append(
                        (child, user_id, manager.pk, at(began), "Restricted record: named workers only (synthetic)")
                    )
            low, high = (40, 44) if showcase and child is children[0] else _EVENT_COUNTS[status]
            self._chronology(
                child, status, began, end, worker, [u for u, _d in partners], rng.randint(low, high), history
            )

    def _partner_professionals(self, child: Person) -> list[tuple[User, str]]:
        rng, staff = self.rng, self.staff
        found: list[tuple[User, str]] = []
        if child.kind == PersonKind.UNBORN:
            if self.chance(0.8):
                found.append((rng.choice(staff.midwives), "Community midwife"))
            return found
        age = (self.as_of - child.date_of_birth).days // 365 if child.date_of_birth else 0
        if age < 5 and self.chance(0.7):
            found.append((rng.choice(staff.health_visitors), "Health visitor"))
        if age >= 4 and self.chance(0.6):
            school = self.school_for(age)
            if school.dsl is not None:
                found.append((school.dsl, f"Designated safeguarding lead, {school.org.name}"))
        if age >= 5 and self.chance(0.1):
            found.append((rng.choice(staff.school_nurses), "School nurse"))
        if self.chance(0.3):
            found.append((rng.choice(staff.gp_leads), "GP"))
        return found

    def _chronology(
        self,
        child: Person,
        status: str,
        start: dt.date,
        end: dt.date | None,
        worker: User,
        partners: list[User],
        count: int,
        history: list[AddressRow],
    ) -> None:
        rng = self.rng
        days = sorted(self.day_between(start, end or self.as_of) for _ in range(count - 1))
        plan = [(start, _OPENING[status])] + [(day, rng.choice(_EVENTS[status])) for day in days]
        if status == "closed" and end is not None:
            plan[-1] = (end, ("Case closed", "Case closed: {reason}", Significance.SIGNIFICANT))
        authors = [worker, *partners, *self.staff.mash[:2]]
        for occurred_on, (category, summary, significance) in plan:
            author = worker if category in _WORKER_CATEGORIES else rng.choice(authors)
            delay = rng.choices((0, 1, 2, 5, 14), (60, 20, 10, 7, 3))[0]
            recorded_at = min(
                self.now, at(occurred_on + dt.timedelta(days=delay), 9 + rng.randint(0, 8), rng.randint(0, 59))
            )
            self.event_serial += 1
            text = summary.format(
                name=child.given_name or "the baby",
                reason=rng.choice(_CLOSURE_REASONS),
                category=rng.choice(_CP_CATEGORIES),
                source=rng.choice(_SOURCES),
                percent=rng.randint(61, 97),
                postcode=history[-1][3] if history else "",
            )
            self.pending.chronology.append(
                (
                    child,
                    occurred_on,
                    recorded_at,
                    author.pk,
                    self.staff.org_of.get(author.pk),
                    category,
                    text,
                    significance,
                    is_backdated(occurred_on, recorded_on=recorded_at.date()),
                    str(self.event_serial),
                )
            )

    # --- writing ------------------------------------------------------------------------------

    def flush(self) -> None:
        """Write everything pending: people first (their ids are needed by every other row)."""
        p = self.pending
        if not p.people and not p.unborn:
            return
        Person.objects.bulk_create(p.people, batch_size=BATCH_SIZE)
        Person.objects.bulk_create(p.unborn, batch_size=BATCH_SIZE)  # after the pregnant people they point at
        _bulk(
            NameKey,
            [
                NameKey(person_id=person.pk, key=key)
                for person in p.people + p.unborn
                for key in sorted(_keys(p.names[id(person)]))
            ],
        )
        _bulk(
            PersonName,
            [
                PersonName(person_id=person.pk, kind=k, given_name=g, family_name=f, valid_from=a, valid_to=b)
                for person, (k, g, f, a, b) in p.other_names
            ],
        )
        if self.journeys is not None:
            self.journeys.flush()
        _bulk(PersonDisability, [PersonDisability(person_id=person.pk, code=code) for person, code in p.disabilities])
        _bulk(
            Address,
            [
                Address(
                    person_id=person.pk, line_1=l1, line_2=l2, town=town, postcode=postcode, valid_from=a, valid_to=b
                )
                for person, (l1, l2, town, postcode, a, b) in p.addresses
            ],
        )
        relationships = _relationships(p.relationships)
        _bulk(Relationship, relationships)
        FamilyGroup.objects.bulk_create([family for family, _members in p.families], batch_size=BATCH_SIZE)
        _bulk(
            FamilyMember,
            [
                FamilyMember(family_id=family.pk, person_id=person.pk, start_date=a, end_date=b)
                for family, members in p.families
                for person, a, b in members
            ],
        )
        _bulk(
            Involvement,
            [
                Involvement(
                    person_id=person.pk,
                    kind=kind,
                    user_id=user_id,
                    team_id=team_id,
                    organisation_id=org_id,
                    description=description,
                    start_date=start,
                    end_date=end,
                    created_by_id=by,
                    created_at=at(start, 10),
                )
                for person, kind, user_id, team_id, org_id, description, start, end, by in p.involvements
            ],
        )
        _bulk(
            NamedAccess,
            [
                NamedAccess(
                    person_id=person.pk, user_id=user_id, granted_by_id=by, granted_at=granted_at, reason=reason
                )
                for person, user_id, by, granted_at, reason in p.named_access
            ],
        )
        _bulk(
            ChronologyEntry,
            [
                ChronologyEntry(
                    person_id=person.pk,
                    occurred_on=on,
                    recorded_at=recorded,
                    recorded_by_id=by,
                    agency_id=agency,
                    category=category,
                    summary=summary,
                    significance=significance,
                    is_backdated=backdated,
                    source_type="synthetic.event",
                    source_id=serial,
                )
                for person, on, recorded, by, agency, category, summary, significance, backdated, serial in p.chronology
            ],
        )
        self.counts["relationships"] += len(relationships)
        self.counts["addresses"] += len(p.addresses)
        self.counts["family groups"] += len(p.families)
        self.counts["involvements"] += len(p.involvements)
        self.counts["chronology entries"] += len(p.chronology)
        self.pending = _Pending()


class _Household:
    """One family: parents, children, sometimes new partners, grandparents, a kinship carer, an unborn baby.

    The first household of every area is the showcase: it always has every relationship type.
    """

    def __init__(self, g: _Generator, *, room: int, showcase: bool) -> None:
        self.g = g
        self.rng = g.rng
        self.room = room  # children that may still be created in this area
        self.showcase = showcase
        self.first_child_count = g.counts[PersonKind.CHILD]

    def build(self) -> None:
        g, rng, as_of, showcase = self.g, self.rng, self.g.as_of, self.showcase
        ethnicity = names.pick_ethnicity(rng)
        mother_options, father_options = names.PARENT_HERITAGES[ethnicity]
        mother_group, father_group = rng.choice(mother_options), rng.choice(father_options)
        if mother_group == "any":
            mother_group = names.pick_group(rng)
        if father_group == "any":
            father_group = mother_group if g.chance(0.8) else names.pick_group(rng)
        mother_h = names.pick_heritage(mother_group, rng)
        same = father_group == mother_group and g.chance(0.9)
        father_h = mother_h if same else names.pick_heritage(father_group, rng)
        child_h = rng.choice((mother_h, father_h))
        self.ethnicity, self.child_h = ethnicity, child_h

        def adult_ethnicity(heritage: str) -> str:
            return ethnicity if ethnicity in ("REFU", "NOBT") and g.chance(0.7) else names.ethnicity_of(heritage)

        # Children's dates of birth: the eldest 0-17, the rest spaced 11 months to 5 years.
        count = 2 if showcase else min(self.room, rng.choices((1, 2, 3, 4, 5, 6), (40, 34, 16, 6, 3, 1))[0])
        eldest = as_of - dt.timedelta(days=rng.randint(12 * 365 if showcase else 0, 18 * 365 - 30))
        dobs = [eldest]
        while len(dobs) < count:
            following = dobs[-1] + dt.timedelta(days=rng.randint(330, 3 * 365 if showcase else 5 * 365))
            if following > as_of:
                break
            dobs.append(following)
        mother_age = rng.uniform(24, 30) if showcase else min(44.0, max(16.0, rng.triangular(16, 42, 28)))
        mother_dob = eldest - years(mother_age)
        father_dob = mother_dob - years(rng.uniform(1, 4) if showcase else rng.gauss(2.5, 3.5))

        r = rng.random()
        structure = (
            "separated"
            if showcase
            else ("together" if r < 0.52 else "separated" if r < 0.82 else "father_unknown" if r < 0.97 else "kinship")
        )
        father_family = names.family_name(father_h, rng)
        maiden = names.feminine_family_name(names.family_name(mother_h, rng), mother_h, rng)
        married = structure != "father_unknown" and g.chance(0.55)
        mother_family = names.feminine_family_name(father_family, father_h, rng) if married else maiden
        self.children_family = father_family if structure != "father_unknown" and g.chance(0.85) else mother_family
        mother_given = names.given_name(mother_h, "F", "adult", rng)
        previous = (
            [(NameKind.PREVIOUS, mother_given, maiden, None, eldest)] if married and maiden != mother_family else []
        )
        mother = g.adult(
            mother_h,
            "F",
            mother_dob,
            ethnicity=adult_ethnicity(mother_h),
            given=mother_given,
            family=mother_family,
            other_names=previous,
        )
        father = None
        if structure != "father_unknown":
            father = g.adult(father_h, "M", father_dob, ethnicity=adult_ethnicity(father_h), family=father_family)
        household_start = g.day_between(eldest - years(3), eldest)
        history = g.address_history(household_start)
        children = [self._child(dob) for dob in dobs]
        fathers: list[Person | None] = [father] * len(children)

        separated_on = new_partner = None
        if father is not None:
            partner_from = max(eldest - years(rng.uniform(0, 4)), mother_dob + years(16))
            if structure == "separated":
                earliest = dobs[-1] + dt.timedelta(days=200)
                separated_on = max(
                    partner_from, earliest if showcase else g.day_between(earliest, as_of - dt.timedelta(days=30))
                )
            g.relate(mother, father, RelationshipType.PARTNER, partner_from, separated_on, "Married" if married else "")
        if separated_on is not None and (showcase or g.chance(0.45)):
            new_partner = g.adult(rng.choice((mother_h, father_h)), "M", mother_dob - years(rng.gauss(3, 5)))
            together_from = separated_on + dt.timedelta(days=100) if showcase else g.day_between(separated_on, as_of)
            ended = None if showcase or g.chance(0.85) else g.day_between(together_from, as_of)
            g.relate(mother, new_partner, RelationshipType.PARTNER, together_from, ended)
            step = showcase or g.chance(0.4)
            for child in children:
                g.relate(
                    new_partner,
                    child,
                    RelationshipType.STEP_PARENT if step else RelationshipType.PARTNER_OF_PARENT,
                    max(together_from, child.date_of_birth or together_from),
                    ended,
                )
            half_dob = together_from + dt.timedelta(days=rng.randint(300, 1500))
            if (showcase or g.chance(0.35)) and half_dob <= as_of and self._room():
                children.append(self._child(half_dob, new_partner.family_name))
                fathers.append(new_partner)
        if father is not None and separated_on is not None and (showcase or g.chance(0.25)):
            self._fathers_new_family(
                father, father_h, [c for c, f in zip(children, fathers, strict=True) if f is father], separated_on
            )

        for child, child_father in zip(children, fathers, strict=True):
            g.relate(mother, child, RelationshipType.PARENT, child.date_of_birth)
            if child_father is not None:
                g.relate(child_father, child, RelationshipType.PARENT, child.date_of_birth)
        for i, older in enumerate(children):
            for j in range(i + 1, len(children)):
                kind = RelationshipType.SIBLING if fathers[i] is fathers[j] else RelationshipType.HALF_SIBLING
                g.relate(older, children[j], kind, children[j].date_of_birth)

        grandparents = self._grandparents(
            [(mother, mother_h, children)]
            + (
                [(father, father_h, [c for c, f in zip(children, fathers, strict=True) if f is father])]
                if father
                else []
            )
        )
        carer = None
        if structure == "kinship" or showcase:
            carer = self._kinship_carer(mother, mother_h, grandparents, children)
        if showcase or g.chance(0.08):
            other = g.adult(
                names.pick_heritage(names.pick_group(rng), rng) if g.chance(0.3) else mother_h,
                rng.choice("MF"),
                mother_dob + years(rng.uniform(-10, 10)),
            )
            description = rng.choice(names.OTHER_RELATIVES)
            for child in children if showcase or g.chance(0.5) else children[:1]:
                g.relate(other, child, RelationshipType.OTHER, description=description)
            g.give_address(other, g.address_history(as_of - years(rng.uniform(0, 10))))

        unborn = None
        youngest = children[-1].date_of_birth or as_of
        if (showcase or g.chance(0.008)) and (as_of - youngest).days > 300:
            unborn = g.person(
                kind=PersonKind.UNBORN,
                given="",
                family=mother.family_name,
                dob=None,
                sex="U",
                ethnicity=ethnicity,
                heritage=child_h,
                due=as_of + dt.timedelta(days=rng.randint(14, 180)),
                pregnant=mother,
            )
            expecting_with = new_partner if new_partner is not None else (father if separated_on is None else None)
            g.relate(mother, unborn, RelationshipType.PARENT)
            if expecting_with is not None:
                g.relate(expecting_with, unborn, RelationshipType.PARENT)
            for child, child_father in zip(children, fathers, strict=True):
                same = child_father is not None and child_father is expecting_with
                g.relate(child, unborn, RelationshipType.SIBLING if same else RelationshipType.HALF_SIBLING)

        # Where everyone lives.
        residents = [
            mother,
            *children,
            *([father] if father is not None and separated_on is None else []),
            *([new_partner] if new_partner is not None else []),
        ]
        for person in residents:
            g.give_address(person, history)
        if father is not None and separated_on is not None and g.chance(0.8):
            g.give_address(father, g.address_history(separated_on))
        for relative in grandparents:
            if relative is not carer:
                g.give_address(relative, g.address_history(as_of - years(rng.uniform(0, 25))))

        members: list[tuple[Person, dt.date | None, dt.date | None]] = [(mother, household_start, None)]
        members += [(c, max(household_start, c.date_of_birth or household_start), None) for c in children]
        if father is not None:
            members.append((father, household_start, separated_on))
        members += [(p, None, None) for p in (new_partner, unborn) if p is not None]
        g.pending.families.append(
            (
                FamilyGroup(
                    public_id=g.uuid(),
                    local_authority_id=g.area.la.pk,
                    name=f"{self.children_family} family",
                    created_at=at(household_start),
                ),
                members,
            )
        )
        for child in list(children):
            # About 0.15% of records are restricted; every area of 100+ children has at least one.
            first_due = not g.area_restricted and g.counts[PersonKind.CHILD] - g.area_first_child >= 100
            if not showcase and (g.chance(0.0015) or first_due):
                child.is_restricted = True
                g.area_restricted += 1
            if self._room() and g.chance(0.004):
                g.duplicate(child)
        g.involve(children + ([unborn] if unborn else []), history, showcase)
        if showcase:
            g.area.showcase_child = children[0]
            children[0].nhs_number = children[0].nhs_number or next(g.nhs)

    def _room(self) -> bool:
        return self.g.counts[PersonKind.CHILD] - self.first_child_count < self.room

    def _child(self, dob: dt.date, family: str | None = None) -> Person:
        return self.g.child(self.child_h, self.ethnicity, family or self.children_family, dob)

    def _fathers_new_family(self, father: Person, heritage: str, his_children: list[Person], since: dt.date) -> None:
        """The father's new partner (partner of a parent to his children) and perhaps their baby."""
        g, rng, as_of = self.g, self.rng, self.g.as_of
        partner = g.adult(heritage, "F", (father.date_of_birth or as_of - years(35)) + years(rng.uniform(-2, 8)))
        together = since + dt.timedelta(days=200) if self.showcase else g.day_between(since, as_of)
        g.relate(father, partner, RelationshipType.PARTNER, together)
        for child in his_children:
            g.relate(partner, child, RelationshipType.PARTNER_OF_PARENT, max(together, child.date_of_birth or together))
        g.give_address(partner, g.address_history(together))
        baby_dob = together + dt.timedelta(days=rng.randint(300, 900))
        if baby_dob <= as_of and self._room() and (self.showcase or g.chance(0.4)):
            baby = g.child(heritage, names.ethnicity_of(heritage), father.family_name, baby_dob)
            g.relate(father, baby, RelationshipType.PARENT, baby_dob)
            g.relate(partner, baby, RelationshipType.PARENT, baby_dob)
            for child in his_children:
                g.relate(child, baby, RelationshipType.HALF_SIBLING, baby_dob)
            g.give_address(baby, g.address_history(baby_dob))

    def _grandparents(self, sides: list[tuple[Person, str, list[Person]]]) -> list[Person]:
        g, rng = self.g, self.rng
        found: list[Person] = []
        for i, (parent, heritage, grandchildren) in enumerate(sides):
            if not grandchildren or not (self.showcase or g.chance(0.35 if i == 0 else 0.15)):
                continue
            born = parent.date_of_birth
            for sex in ("F", "M") if self.showcase or g.chance(0.4) else ("F",):
                dob = born - years(rng.uniform(19, 34)) if born else None
                grandparent = g.adult(
                    heritage,
                    sex,
                    dob,
                    generation="older",
                    family=parent.family_name if sex == "M" or g.chance(0.6) else None,
                )
                g.relate(grandparent, parent, RelationshipType.PARENT, born)
                for child in grandchildren:
                    g.relate(grandparent, child, RelationshipType.GRANDPARENT, child.date_of_birth)
                found.append(grandparent)
        return found

    def _kinship_carer(
        self, mother: Person, heritage: str, grandparents: list[Person], children: list[Person]
    ) -> Person:
        """A grandparent, or the mother's sister, who cared for the children for a time (the showcase's aunt)."""
        g, rng, as_of = self.g, self.rng, self.g.as_of
        if grandparents and not self.showcase:
            carer, description = grandparents[0], "Kinship carer (grandparent)"
        else:
            born = mother.date_of_birth
            carer = g.adult(heritage, "F", born + years(rng.uniform(-8, 8)) if born else None)
            g.relate(carer, mother, RelationshipType.SIBLING)
            description = "Kinship carer (aunt)"
        placed = g.day_between(max(c.date_of_birth or as_of for c in children), as_of)
        returned = g.day_between(placed, as_of) if self.showcase or g.chance(0.3) else None
        for child in children:
            g.relate(
                carer, child, RelationshipType.CARER, max(placed, child.date_of_birth or placed), returned, description
            )
        g.give_address(carer, g.address_history(as_of - years(rng.uniform(0, 15))))
        return carer


def _pick_status(r: float) -> str:
    for status, share in _STATUS_SHARES:
        if r < share:
            return status
        r -= share
    return ""


def _relationships(rows: list[tuple[Person, Person, str, str, dt.date | None, dt.date | None]]) -> list[Relationship]:
    seen: set[tuple[int, int, str]] = set()
    out = []
    for a, b, kind, description, start, end in rows:
        key = (min(a.pk, b.pk), max(a.pk, b.pk), kind) if kind in SYMMETRIC_RELATIONSHIPS else (a.pk, b.pk, kind)
        if key in seen or a.pk == b.pk:
            continue
        seen.add(key)
        out.append(
            Relationship(
                from_person_id=a.pk,
                to_person_id=b.pk,
                type=kind,
                description=description,
                start_date=start,
                end_date=end,
            )
        )
    return out


def _bulk(model: type[Model], rows: list[Any]) -> None:
    model._default_manager.bulk_create(rows, batch_size=BATCH_SIZE)


def misspell(name: str, rng: random.Random) -> str:
    """A plausible typing or transcription error: swap, drop or double a letter, or lose the diacritics."""
    folded = fold(name).title()
    if folded != name and rng.random() < 0.3:
        return folded
    if len(name) < 4:
        return name + name[-1]
    i = rng.randint(1, len(name) - 2)
    how = rng.randint(0, 2)
    if how == 0:
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    if how == 1:
        return name[:i] + name[i + 1 :]
    return name[:i] + name[i] + name[i:]


_WORKER_CATEGORIES = frozenset({"Referral", "Assessment", "Visit", "Case closed", "Early help"})
_EVENT_COUNTS = {"cp": (15, 30), "cin": (6, 15), "early_help": (4, 10), "closed": (3, 6)}
_OPENING = {
    "cp": (
        "Contact",
        "Contact received from {source}: concerns about {name}'s safety at home",
        Significance.SIGNIFICANT,
    ),
    "cin": ("Referral", "Referral accepted from {source}; single assessment started", Significance.SIGNIFICANT),
    "early_help": ("Early help", "Early help assessment started with the family's agreement", Significance.ROUTINE),
    "closed": ("Referral", "Referral accepted from {source}", Significance.SIGNIFICANT),
}
_COMMON = [
    ("Visit", "Home visit: {name} seen and spoken to alone", Significance.ROUTINE),
    ("Visit", "Home visit: home conditions improved since the last visit", Significance.ROUTINE),
    ("Visit", "Unannounced visit: no answer at the door; card left", Significance.ROUTINE),
    ("School", "School reported attendance of {percent}% this term", Significance.ROUTINE),
    ("School", "School raised a concern: {name} arrived hungry and without a coat", Significance.SIGNIFICANT),
    ("Health", "Health review: growth and development on track", Significance.ROUTINE),
    ("Health", "Missed health appointment (was not brought)", Significance.SIGNIFICANT),
    ("Health", "Attended the emergency department with a minor injury; explanation consistent", Significance.ROUTINE),
    ("Family", "Mother reported that her partner has moved out", Significance.SIGNIFICANT),
    ("Family", "Family moved to a new address ({postcode})", Significance.ROUTINE),
    ("Meeting", "Team around the family meeting held; plan reviewed", Significance.ROUTINE),
]
_EVENTS = {
    "cp": _COMMON
    + [
        (
            "Strategy discussion",
            "Strategy discussion held with police and health; section 47 enquiry agreed",
            Significance.CRITICAL,
        ),
        ("Section 47", "Section 47 enquiry completed: concerns substantiated", Significance.CRITICAL),
        (
            "Conference",
            "Initial child protection conference: child protection plan, category {category}",
            Significance.CRITICAL,
        ),
        ("Core group", "Core group meeting: plan reviewed with parents and professionals", Significance.ROUTINE),
        ("Conference", "Review child protection conference: plan to continue", Significance.SIGNIFICANT),
        ("Police", "Police attended a domestic incident at the home; no arrests", Significance.CRITICAL),
    ],
    "cin": _COMMON
    + [
        ("Assessment", "Single assessment completed: child in need plan agreed", Significance.SIGNIFICANT),
        ("Meeting", "Child in need review meeting held", Significance.ROUTINE),
    ],
    "early_help": _COMMON[:6]
    + [
        ("Early help", "Family support worker session on routines and boundaries", Significance.ROUTINE),
        ("Early help", "Early help review: good progress against the plan", Significance.ROUTINE),
    ],
    "closed": _COMMON[:8] + [("Assessment", "Single assessment completed", Significance.SIGNIFICANT)],
}
_SOURCES = (
    "school",
    "police",
    "the health visitor",
    "the emergency department",
    "a GP",
    "a neighbour",
    "a family member",
    "housing",
    "an anonymous caller",
    "the early help service",
)
_CP_CATEGORIES = ("neglect", "emotional abuse", "physical abuse", "sexual abuse", "multiple")
_CLOSURE_REASONS = (
    "child no longer in need",
    "no further action after assessment",
    "referred to early help",
    "family moved to another local authority",
)
