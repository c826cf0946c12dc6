"""Reads for My work's due items and the team manager's dashboard, each audited with the rows shown.

The episodes listed are only those of children the principal may open (access.policy.accessible_people,
the same filter as access.queries.people_for_my_work), and each list is audited with the ids of every
child shown, in the caller's transaction. Constant queries, however many episodes.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.utils import timezone

from safeguarding.access.policy import accessible_people, managed_team_ids
from safeguarding.accounts.models import Membership, User
from safeguarding.accounts.principal import Principal
from safeguarding.accounts.roles import Capability, role_can
from safeguarding.audit import services as audit
from safeguarding.casework import due_lists
from safeguarding.casework.codes import Stage
from safeguarding.casework.models import Episode, ManagementDecision
from safeguarding.organisations.models import Team
from safeguarding.people.models import Person

STAGES = [s for s in Stage if s != Stage.CLOSED]
RECENT_DECISIONS = 10
DUE_SOON_DAYS = 28  # the dashboard lists what is overdue or due within four weeks; the rest is counted


def can_see_dashboard(principal: Principal) -> bool:
    return principal.can(Capability.MANAGE_LINE) and principal.can(Capability.AUTHORISE_CASEWORK)


def open_episodes_of(people: list[Person]) -> list[Episode]:
    """The open episodes of children already listed and audited (My work), with the child set on each."""
    by_id = {p.pk: p for p in people}
    episodes = list(
        Episode.objects.filter(person_id__in=by_id, closure_date__isnull=True).select_related("allocated_worker")
    )
    for e in episodes:
        e.person = by_id[e.person_id]
    return episodes


@dataclass(frozen=True)
class MyDue:
    mine: list[due_lists.DueItem]
    team: list[due_lists.DueItem]


def due_for_my_work(principal: Principal, mine: list[Person], team: list[Person], *, today: dt.date) -> MyDue:
    """Due items on the episodes of the children listed as mine, then of those listed as my team's
    (the lists people_for_my_work has already audited), so the two sections match the lists below them."""
    episodes = open_episodes_of(mine + team)
    items = due_lists.due_items(episodes, today=today)
    mine_ids = {p.pk for p in mine}
    return MyDue(
        mine=[i for i in items if i.episode.person_id in mine_ids],
        team=[i for i in items if i.episode.person_id not in mine_ids],
    )


@dataclass
class WorkerLoad:
    worker: User
    teams: list[str]
    episodes: list[Episode] = field(default_factory=list)

    @property
    def by_stage(self) -> list[int]:
        counts = Counter(e.stage for e in self.episodes)
        return [counts.get(stage, 0) for stage in STAGES]


@dataclass(frozen=True)
class Dashboard:
    teams: list[Team]
    chosen: Team | None
    workers: list[WorkerLoad]
    unallocated: list[Episode]
    due: list[due_lists.DueItem]
    decisions: list[ManagementDecision]
    stage_labels: list[str]
    stage_totals: list[int]
    horizon: dt.date

    @property
    def open_count(self) -> int:
        return sum(self.stage_totals)

    @property
    def overdue_count(self) -> int:
        return due_lists.overdue_count(self.due)

    @property
    def due_soon(self) -> list[due_lists.DueItem]:
        return [i for i in self.due if i.due_on <= self.horizon]

    @property
    def due_later_count(self) -> int:
        return len(self.due) - len(self.due_soon)


class NotYourTeam(Exception):
    """The team asked for is not one the principal manages."""


def managed_teams(principal: Principal) -> list[Team]:
    membership = principal.membership
    if membership is None:
        return []
    return list(Team.objects.filter(id__in=managed_team_ids(membership), is_active=True).order_by("name"))


def team_dashboard(principal: Principal, *, now: dt.datetime, team_public_id: str = "") -> Dashboard:
    """The caseload, due items and recent decisions of the teams the principal manages (or one of them)."""
    teams = managed_teams(principal)
    chosen = None
    if team_public_id:
        chosen = next((t for t in teams if str(t.public_id) == team_public_id), None)
        if chosen is None:
            raise NotYourTeam(team_public_id)
    team_ids = [chosen.pk] if chosen else [t.pk for t in teams]
    visible = Person.objects.filter(accessible_people(principal, now=now), merged_into__isnull=True)
    episodes = list(
        Episode.objects.filter(team_id__in=team_ids, closure_date__isnull=True, person__in=visible)
        .select_related("person", "allocated_worker", "team")
        .order_by("person__family_name", "person__given_name", "id")
    )
    team_names = {t.pk: t.name for t in teams}
    loads: dict[int | None, WorkerLoad] = {}
    for m in (
        Membership.objects.filter(team_id__in=team_ids, is_active=True)
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    ):
        if role_can(m.role, Capability.RECORD_CASEWORK) and m.user_id != principal.user.pk:
            load = loads.setdefault(m.user_id, WorkerLoad(worker=m.user, teams=[]))
            load.teams.append(team_names.get(m.team_id or 0, ""))
    unallocated = []
    for e in episodes:
        if e.allocated_worker is None:
            unallocated.append(e)
            continue
        loads.setdefault(
            e.allocated_worker_id, WorkerLoad(worker=e.allocated_worker, teams=[e.team.name if e.team else ""])
        ).episodes.append(e)
    workers = sorted(loads.values(), key=lambda w: (-len(w.episodes), w.worker.last_name, w.worker.first_name))
    decisions = list(
        ManagementDecision.objects.filter(episode__team_id__in=team_ids, episode__person__in=visible)
        .select_related("episode__person", "recorded_by")
        .order_by("-decided_on", "-id")[:RECENT_DECISIONS]
    )
    counts = Counter(e.stage for e in episodes)
    board = Dashboard(
        teams=teams,
        chosen=chosen,
        workers=workers,
        unallocated=unallocated,
        due=due_lists.due_items(episodes, today=timezone.localdate(now)),
        decisions=decisions,
        stage_labels=[s.label for s in STAGES],
        stage_totals=[counts.get(s, 0) for s in STAGES],
        horizon=timezone.localdate(now) + dt.timedelta(days=DUE_SOON_DAYS),
    )
    shown = {str(e.person.public_id) for e in episodes} | {str(d.episode.person.public_id) for d in decisions}
    audit.record(
        principal=principal,
        action="work.team",
        at=now,
        object_type="list",
        details={"teams": [t.name for t in teams if t.pk in team_ids], "shown": sorted(shown)},
    )
    return board
