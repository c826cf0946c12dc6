"""The demo data set: two small synthetic areas and named logins for every role.

`make demo` runs `manage.py seed_synthetic --demo`. Loading is idempotent: once the demo users exist,
a second run changes nothing and prints the logins again. The shared password is for the demo
only (demo mode, synthetic data, MFA off); it is printed on purpose.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db.models import Q

from safeguarding.access.models import Involvement, InvolvementKind
from safeguarding.accounts.models import Membership, User
from safeguarding.accounts.roles import Role
from safeguarding.casework.codes import Stage
from safeguarding.casework.models import Allocation, Episode
from safeguarding.chronology.models import ChronologyEntry, Significance
from safeguarding.frontdoor.synthetic import DEMO_PARTNERS, load_demo_referrals
from safeguarding.organisations.models import Team
from safeguarding.people.codes import PersonKind, RelationshipType
from safeguarding.people.models import Address, Person, PersonDisability, Relationship
from safeguarding.people.services import refresh_name_keys

from .generator import Area, at, generate_areas, record_run, years
from .numbers import nhs_numbers

DEMO_PASSWORD = "open-safeguarding-demo"  # noqa: S105 - demo only, printed by `make demo` on purpose
DEMO_SEED = 2025
DEMO_SIZES = (400, 60)  # children in the main area and in the neighbouring one
# The current episodes of the first households after the showcase (so sw.demo has a child at every stage).
DEMO_STAGES = (
    Stage.ASSESSMENT,
    Stage.ASSESSMENT,
    Stage.CHILD_IN_NEED,
    Stage.CHILD_IN_NEED,
    Stage.SECTION_47,
    Stage.CONFERENCE_DUE,
    Stage.CHILD_PROTECTION,
)
ALLOCATED_TO_SOCIAL_WORKER = 16
TYPO_CHILD = ("Jaxxon", "Mcphearson")
TYPO_QUERY = "Jackson McPherson"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    area: int  # 0: the main demo area, 1: the neighbouring local authority
    org: str  # key in Area.orgs
    team: str  # key in Area.teams ("" for no team, as in a school)
    first_name: str
    last_name: str
    job_title: str
    note: str


DEMO_LOGINS = (
    DemoLogin(
        "sw.demo",
        Role.SOCIAL_WORKER,
        0,
        "la",
        "cin_cp1",
        "Sam",
        "Okoro",
        "Social worker",
        f"about {ALLOCATED_TO_SOCIAL_WORKER} children at every stage; one has a large family and a CP plan",
    ),
    DemoLogin(
        "tm.demo",
        Role.TEAM_MANAGER,
        0,
        "la",
        "cin_cp1",
        "Tessa",
        "Marlow",
        "Team manager",
        "manages sw.demo's team: due and overdue work",
    ),
    DemoLogin(
        "mash.demo", Role.MASH_OFFICER, 0, "la", "mash", "Morgan", "Reid", "MASH social worker", "the front door"
    ),
    DemoLogin(
        "eh.demo", Role.EARLY_HELP, 0, "la", "eh1", "Erin", "Walsh", "Early help practitioner", "early help families"
    ),
    DemoLogin(
        "health-unscheduled.demo",
        Role.HEALTH_UNSCHEDULED,
        0,
        "acute",
        "ed",
        "Hamid",
        "Qureshi",
        "Emergency department nurse",
        "can search; opens records by break-glass",
    ),
    DemoLogin(
        "health-scheduled.demo",
        Role.HEALTH_SCHEDULED,
        0,
        "community",
        "hv1",
        "Hannah",
        "Lindqvist",
        "Health visitor",
        "involved with three of sw.demo's children",
    ),
    DemoLogin(
        "designated.demo",
        Role.DESIGNATED_PROFESSIONAL,
        0,
        "icb",
        "designated",
        "Dana",
        "Mensah",
        "Designated nurse for safeguarding children",
        "",
    ),
    DemoLogin(
        "named.demo",
        Role.NAMED_PROFESSIONAL,
        0,
        "acute",
        "acute_safeguarding",
        "Niamh",
        "O'Connor",
        "Named nurse for safeguarding children",
        "",
    ),
    DemoLogin(
        "partnership.demo",
        Role.PARTNERSHIP_MANAGER,
        0,
        "la",
        "partnership",
        "Priya",
        "Shah",
        "Safeguarding partnership business manager",
        "",
    ),
    DemoLogin(
        "member.demo",
        Role.PARTNERSHIP_MEMBER,
        0,
        "police",
        "ppu",
        "Marcus",
        "Bell",
        "Detective superintendent, safeguarding partner",
        "reads the partnership dashboard, section 11, reviews and actions; changes nothing",
    ),
    DemoLogin(
        "dsl.demo",
        Role.PARTNER_PROFESSIONAL,
        0,
        "primary0",
        "",
        "Grace",
        "Adebayo",
        "Designated safeguarding lead (school)",
        "a school: refers a concern to the front door and follows its feedback",
    ),
    DemoLogin("analyst.demo", Role.ANALYST, 0, "la", "performance", "Ana", "Kowalska", "Performance analyst", ""),
    DemoLogin(
        "auditor.demo",
        Role.AUDITOR,
        0,
        "la",
        "qa",
        "Aled",
        "Pritchard",
        "Quality assurance auditor",
        "searches the audit log",
    ),
    DemoLogin(
        "admin.demo",
        Role.SYSTEM_ADMIN,
        0,
        "la",
        "digital",
        "Ade",
        "Balogun",
        "System administrator",
        "organisations, teams and users",
    ),
    DemoLogin(
        "other-la.demo",
        Role.SOCIAL_WORKER,
        1,
        "la",
        "cin_cp1",
        "Olu",
        "Adeyemi",
        "Social worker",
        "a neighbouring local authority: cannot find the main area's children",
    ),
)


def is_loaded() -> bool:
    return User.objects.filter(username=DEMO_LOGINS[0].username).exists()


def load(*, now: dt.datetime, as_of: dt.date, progress: bool = False) -> None:
    """Generate the demo areas and give the named logins their work. Call inside transaction.atomic()."""
    summary = generate_areas(
        seed=DEMO_SEED, sizes=DEMO_SIZES, as_of=as_of, now=now, progress=progress, journey_stages=DEMO_STAGES
    )
    password = make_password(DEMO_PASSWORD)
    users = {login.username: _demo_user(login, summary.areas, password, as_of, now) for login in DEMO_LOGINS}
    main, neighbour = summary.areas
    social_worker, team = users["sw.demo"], main.teams["cin_cp1"]
    mine = allocate_journeys(main, social_worker, team, ALLOCATED_TO_SOCIAL_WORKER - 1)
    mine.append(_typo_child(main, social_worker, team, as_of, now))
    for child in mine[:3]:
        Involvement.objects.create(
            person=child,
            kind=InvolvementKind.PARTNER_PROFESSIONAL,
            user=users["health-scheduled.demo"],
            organisation=main.orgs["community"],
            description="Health visitor",
            start_date=as_of - dt.timedelta(days=60),
            created_by=social_worker,
            created_at=at(as_of - dt.timedelta(days=60)),
        )
    _allocate(main, users["eh.demo"], main.teams["eh1"], ("eh",), 5, as_of, now)
    load_demo_referrals(
        la=main.la, mash=users["mash.demo"], manager=users["tm.demo"], password=password, as_of=as_of, now=now
    )
    allocate_journeys(neighbour, users["other-la.demo"], neighbour.teams["cin_cp1"], 5)
    record_run(
        now=now,
        details={
            "demo": True,
            "seed": DEMO_SEED,
            "sizes": list(DEMO_SIZES),
            "as_of": as_of.isoformat(),
            "counts": dict(summary.counts),
        },
    )


def _demo_user(login: DemoLogin, areas: list[Area], password: str, as_of: dt.date, now: dt.datetime) -> User:
    area = areas[login.area]
    user = User.objects.create(
        username=login.username,
        password=password,
        first_name=login.first_name,
        last_name=login.last_name,
        email=f"{login.username}@{area.place.lower()}.example",
        job_title=login.job_title,
        date_joined=now,
    )
    Membership.objects.create(
        user=user,
        organisation=area.orgs[login.org],
        team=area.teams[login.team] if login.team else None,
        role=login.role,
        starts_on=as_of - dt.timedelta(days=400),
    )
    return user


def _allocate(
    area: Area, worker: User, team: Team, team_prefixes: tuple[str, ...], wanted: int, as_of: dt.date, now: dt.datetime
) -> list[Person]:
    """Make `worker` (and `team`) the allocated worker and team of `wanted` children open to those teams.

    The showcase child (every relationship type, 40 chronology entries) comes first. The children keep the
    chronology the generator wrote; entries by their previous worker are re-attributed.
    """
    teams = [t for key, t in area.teams.items() if key.startswith(team_prefixes)]
    open_work = Involvement.objects.filter(
        kind=InvolvementKind.TEAM,
        team__in=teams,
        end_date__isnull=True,
        person__kind__in=(PersonKind.CHILD, PersonKind.UNBORN),
        person__is_restricted=False,
    )
    ids = list(open_work.order_by("person_id").values_list("person_id", flat=True).distinct())
    showcase = area.showcase_child
    if showcase is not None and showcase.pk in ids:
        ids.remove(showcase.pk)
        ids.insert(0, showcase.pk)
    chosen = ids[:wanted]
    previous = set(
        Involvement.objects.filter(
            person_id__in=chosen, kind=InvolvementKind.ALLOCATED_WORKER, end_date__isnull=True
        ).values_list("user_id", flat=True)
    )
    Involvement.objects.filter(
        person_id__in=chosen, kind=InvolvementKind.ALLOCATED_WORKER, end_date__isnull=True
    ).update(user=worker)
    Involvement.objects.filter(person_id__in=chosen, kind=InvolvementKind.TEAM, end_date__isnull=True).update(
        team=team, description=team.name
    )
    ChronologyEntry.objects.filter(person_id__in=chosen, recorded_by_id__in=previous).update(recorded_by=worker)
    people = {p.pk: p for p in Person.objects.filter(pk__in=chosen)}
    return [people[pk] for pk in chosen]


_STAGE_ORDER = (
    Stage.CHILD_PROTECTION,
    Stage.ASSESSMENT,
    Stage.CHILD_IN_NEED,
    Stage.SECTION_47,
    Stage.CONFERENCE_DUE,
    Stage.REFERRAL,
)


def allocate_journeys(area: Area, worker: User, team: Team, wanted: int) -> list[Person]:
    """Give `worker` (in `team`) `wanted` children with open episodes, one at each stage first.

    The showcase child (a CP plan with reviews, a closed earlier episode, ~300 chronology entries) comes
    first, then a child at every other stage, then children whose earlier episode closed, then any. The
    episode, its current allocation, the involvements and the worker's chronology entries move to `worker`.
    """
    episodes = list(
        Episode.objects.filter(
            local_authority=area.la, closure_date__isnull=True, referral_nfa=False, person__is_restricted=False
        )
        .order_by("id")
        .values_list("person_id", "stage", "referral_date", "allocated_worker_id")
    )
    # Siblings share a referral and a worker: allocate households, not single children.
    households: dict[tuple[Any, ...], list[int]] = {}
    stage_of: dict[tuple[Any, ...], str] = {}
    for person, stage, referral, holder in episodes:
        households.setdefault((referral, holder), []).append(person)
        stage_of[(referral, holder)] = stage
    reopened = set(
        Episode.objects.filter(local_authority=area.la, closure_date__isnull=False).values_list("person_id", flat=True)
    )
    showcase = area.showcase_child.pk if area.showcase_child is not None else None
    order = sorted(households, key=lambda k: (showcase not in households[k], not (reopened & set(households[k]))))
    picked: list[tuple[Any, ...]] = [k for k in order if showcase in households[k]]
    for stage in _STAGE_ORDER:
        group = next((k for k in order if stage_of[k] == stage and k not in picked), None)
        if group is not None:
            picked.append(group)
    picked += [k for k in order if k not in picked]
    chosen: list[int] = []
    for key in picked:
        if len(chosen) + len(households[key]) <= wanted:
            chosen += households[key]
    previous = set(
        Episode.objects.filter(person_id__in=chosen, closure_date__isnull=True).values_list(
            "allocated_worker_id", flat=True
        )
    )
    Episode.objects.filter(person_id__in=chosen, closure_date__isnull=True).update(allocated_worker=worker, team=team)
    Allocation.objects.filter(
        episode__person_id__in=chosen, episode__closure_date__isnull=True, end_date__isnull=True
    ).update(worker=worker, team=team)
    current = Involvement.objects.filter(person_id__in=chosen, end_date__isnull=True)
    current.filter(kind=InvolvementKind.ALLOCATED_WORKER).update(user=worker)
    current.filter(kind=InvolvementKind.TEAM).update(team=team, description=team.name)
    ChronologyEntry.objects.filter(person_id__in=chosen, recorded_by_id__in=previous).update(recorded_by=worker)
    people = {p.pk: p for p in Person.objects.filter(pk__in=chosen)}
    return [people[pk] for pk in chosen]


def _typo_child(area: Area, worker: User, team: Team, as_of: dt.date, now: dt.datetime) -> Person:
    """A child with an unusual spelling, found by searching for the usual one (TYPO_QUERY)."""
    latest = Person.objects.filter(nhs_number__startswith="999").order_by("-nhs_number").first()
    numbers = nhs_numbers(after=latest.nhs_number if latest else "")
    given, family = TYPO_CHILD
    mother = Person.objects.create(
        local_authority=area.la,
        kind=PersonKind.ADULT,
        given_name="Kerry",
        family_name=family,
        date_of_birth=as_of - years(29),
        sex="F",
        ethnicity="WBRI",
        first_language="English",
        nhs_number=next(numbers),
        created_at=now,
        updated_at=now,
    )
    child = Person.objects.create(
        local_authority=area.la,
        kind=PersonKind.CHILD,
        given_name=given,
        family_name=family,
        date_of_birth=as_of - years(7.3),
        sex="M",
        ethnicity="WBRI",
        first_language="English",
        nhs_number=next(numbers),
        created_at=now,
        updated_at=now,
    )
    for person in (mother, child):
        refresh_name_keys(person)
        person.save(update_fields=["search_name"])
        street = f"{14 + person.pk % 60} Linnet Close"
        Address.objects.create(
            person=person,
            line_1=street,
            town=area.place,
            postcode=f"{area.postcode_area}2 4HX",
            valid_from=as_of - years(3),
        )
    PersonDisability.objects.create(person=child, code="NONE")
    Relationship.objects.create(
        from_person=mother, to_person=child, type=RelationshipType.PARENT, start_date=child.date_of_birth
    )
    started = as_of - dt.timedelta(days=45)
    manager = Membership.objects.filter(team=team, role=Role.TEAM_MANAGER).exclude(user=worker).first()
    creator = manager.user if manager else worker
    for kind, holder in ((InvolvementKind.ALLOCATED_WORKER, {"user": worker}), (InvolvementKind.TEAM, {"team": team})):
        Involvement.objects.create(
            person=child,
            kind=kind,
            organisation=area.la,
            start_date=started,
            created_by=creator,
            created_at=at(started),
            **holder,
        )
    for days, category, summary in (
        (45, "Referral", "Referral accepted from school; single assessment started"),
        (38, "Visit", f"Home visit: {given} seen and spoken to alone"),
        (20, "School", "School reported attendance of 88% this term"),
        (6, "Visit", "Home visit: mother asked for help with routines"),
    ):
        day = as_of - dt.timedelta(days=days)
        ChronologyEntry.objects.create(
            person=child,
            occurred_on=day,
            recorded_at=at(day, 15),
            recorded_by=worker,
            agency=area.la,
            category=category,
            summary=summary,
            significance=Significance.ROUTINE,
            source_type="synthetic.event",
            source_id=f"demo-{days}",
        )
    return child


def logins_table() -> str:
    """The demo logins, their roles and where they work, with the shared password."""
    rows = [("Username", "Role", "Works in", "Try")]
    logins = [(login.username, login.note) for login in DEMO_LOGINS]
    logins += [(p.username, p.note) for p in DEMO_PARTNERS if p.username not in dict(logins)]
    for username, note in logins:
        membership = Membership.objects.filter(user__username=username).select_related("organisation", "team").first()
        if membership is None:
            continue
        place = (
            f"{membership.team.name}, {membership.organisation.name}"
            if membership.team
            else membership.organisation.name
        )
        rows.append((username, Role(membership.role).label, place, note))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = ["", "Demo logins (synthetic data only). Password for every login: " + DEMO_PASSWORD, ""]
    for i, row in enumerate(rows):
        lines.append("  ".join(cell.ljust(widths[j]) for j, cell in enumerate(row)).rstrip())
        if i == 0:
            lines.append("  ".join("-" * w for w in widths))
    lines += ["", f"Typo-tolerant search: sign in as sw.demo and search for '{TYPO_QUERY}'.", ""]
    return "\n".join(lines)


def demo_children(worker: User) -> list[Person]:
    """The children allocated to a demo worker (used by the tests and the benchmarks)."""
    return list(
        Person.objects.filter(
            Q(
                involvements__user=worker,
                involvements__kind=InvolvementKind.ALLOCATED_WORKER,
                involvements__end_date__isnull=True,
            )
        )
        .distinct()
        .order_by("id")
    )
