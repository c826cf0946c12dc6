"""What is due and overdue across a set of open episodes, in a constant number of queries (for
My work, the team dashboard and the episode page, where it is a list of one).

The caller has already decided (and audited) which children it may show: this module dates
their episodes' next steps with the named rules in casework.rules. It reads the clock never:
`today` is passed in. Items:
- an open single assessment: against the worker's own timescale, with the local maximum beside it;
- a completed assessment awaiting a manager's authorisation (no timescale);
- an initial child protection conference due after a strategy discussion that started a section 47;
- the first core group of a child protection plan that has had none;
- the next review conference of an open child protection plan;
- the next review of an open child in need plan.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Max, Q

from safeguarding.people.models import Person
from safeguarding.standards.rules import Standard

from . import rules
from .codes import ConferenceKind, Section47Outcome, StrategyOutcome
from .models import Assessment, ChildInNeedPlan, ChildProtectionPlan, Conference, Episode, StrategyDiscussion

ASSESSMENT = "ASSESSMENT"
ICPC = "ICPC"
FIRST_CORE_GROUP = "FIRST_CORE_GROUP"
REVIEW_CONFERENCE = "REVIEW_CONFERENCE"
CIN_PLAN_REVIEW = "CIN_PLAN_REVIEW"
AUTHORISATION = "AUTHORISATION"

WORKER_TIMESCALE_SOURCE = (
    "Working Together to Safeguard Children: the timescale is set by the social worker's professional judgement"
)


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%b %Y}"


@dataclass(frozen=True)
class DueItem:
    episode: Episode
    kind: str
    what: str
    due_on: dt.date
    days_overdue: int
    standard_title: str
    standard_source: str
    is_local_variation: bool = False
    note: str = ""

    @property
    def person(self) -> Person:
        return self.episode.person

    @property
    def is_overdue(self) -> bool:
        return self.days_overdue > 0

    @property
    def sort_key(self) -> tuple[int, dt.date, str]:
        return (0 if self.is_overdue else 1, self.due_on, self.episode.person.family_name)


def _item(
    episode: Episode, kind: str, what: str, due_on: dt.date, standard: Standard, today: dt.date, note: str = ""
) -> DueItem:
    return DueItem(
        episode=episode,
        kind=kind,
        what=what,
        due_on=due_on,
        days_overdue=rules.days_overdue(due_on, today),
        standard_title=f"{standard.title} ({standard.describe()})",
        standard_source=standard.source,
        is_local_variation=standard.is_local_variation,
        note=note,
    )


def _assessment_item(a: Assessment, episode: Episode, maximum: Standard, today: dt.date) -> DueItem:
    """The worker's timescale is the due date; the local maximum binds when it comes first."""
    own = rules.assessment_due(a)
    local_max = rules.assessment_local_maximum(episode, maximum)
    if own <= local_max:
        worker = Standard(
            "ASSESSMENT_TIMESCALE",
            "Timescale set by the worker",
            a.timescale_working_days,
            "WORKING_DAYS",
            WORKER_TIMESCALE_SOURCE,
            False,
        )
        passed = " (passed)" if local_max < today else ""
        note = f"Local maximum {_day(local_max)}{passed} ({maximum.describe()} from referral)"
        return _item(episode, ASSESSMENT, "Single assessment", own, worker, today, note)
    note = f"The worker's timescale ({_day(own)}) is beyond the local maximum"
    return _item(episode, ASSESSMENT, "Single assessment", local_max, maximum, today, note)


def due_items(episodes: Iterable[Episode], *, today: dt.date) -> list[DueItem]:
    """Every next step due on these open episodes, overdue first, then by due date.

    Seven queries at most, however many episodes: the standards, then one per kind of record.
    The episodes should come with `person` selected (select_related) as the items show the child.
    """
    by_id = {e.pk: e for e in episodes if e.closure_date is None}
    if not by_id:
        return []
    ids = list(by_id)
    standards = rules.standards_for({e.local_authority_id for e in by_id.values()})
    items: list[DueItem] = []

    open_or_unauthorised = Q(completed_on__isnull=True) | Q(authorised_on__isnull=True)
    for a in Assessment.objects.filter(open_or_unauthorised, episode_id__in=ids):
        episode = by_id[a.episode_id]
        if a.completed_on is not None:
            # Completed, waiting for a manager: no timescale, but a manager must see it.
            items.append(
                DueItem(
                    episode=episode,
                    kind=AUTHORISATION,
                    what="Manager's authorisation of the assessment",
                    due_on=a.completed_on,
                    days_overdue=0,
                    standard_title="No set timescale",
                    standard_source="Local practice: a team manager authorises the assessment's outcome",
                    note=f"Completed {_day(a.completed_on)}",
                )
            )
            continue
        items.append(
            _assessment_item(a, episode, standards[episode.local_authority_id][rules.ASSESSMENT_MAXIMUM], today)
        )

    # An ICPC is due after a strategy discussion that started a section 47 enquiry, unless the
    # enquiry has decided no conference is needed or an initial conference has been held since.
    initial_held = {
        (row["episode_id"]): row["last"]
        for row in Conference.objects.filter(episode_id__in=ids, kind=ConferenceKind.INITIAL)
        .values("episode_id")
        .annotate(last=Max("held_on"))
    }
    discussions = (
        StrategyDiscussion.objects.filter(episode_id__in=ids, outcome=StrategyOutcome.SECTION_47)
        .exclude(section47__outcome__in=[Section47Outcome.CHILD_IN_NEED, Section47Outcome.NOT_SUBSTANTIATED])
        .order_by("episode_id", "-held_on")
    )
    seen: set[int] = set()
    for d in discussions:
        if d.episode_id in seen:
            continue  # only the latest discussion in each episode sets the date
        seen.add(d.episode_id)
        last_initial = initial_held.get(d.episode_id)
        if last_initial is not None and last_initial >= d.held_on:
            continue
        episode = by_id[d.episode_id]
        d.episode = episode
        standard = standards[episode.local_authority_id][rules.ICPC_AFTER_STRATEGY]
        note = f"After the strategy discussion of {_day(d.held_on)}"
        items.append(
            _item(
                episode,
                ICPC,
                "Initial child protection conference",
                rules.conference_due(d, standard),
                standard,
                today,
                note,
            )
        )

    plans = ChildProtectionPlan.objects.filter(episode_id__in=ids, end_date__isnull=True).annotate(
        core_group_count=Count("core_groups", distinct=True),
        last_review_on=Max("conferences__held_on", filter=Q(conferences__kind=ConferenceKind.REVIEW)),
    )
    for plan in plans:
        episode = by_id[plan.episode_id]
        plan.episode = episode
        la = standards[episode.local_authority_id]
        if not plan.core_group_count:
            standard = la[rules.FIRST_CORE_GROUP]
            items.append(
                _item(
                    episode,
                    FIRST_CORE_GROUP,
                    "First core group meeting",
                    rules.first_core_group_due(plan, standard),
                    standard,
                    today,
                )
            )
        last = plan.last_review_on  # type: ignore[attr-defined]
        code = rules.FIRST_REVIEW_CONFERENCE if last is None else rules.SUBSEQUENT_REVIEW_CONFERENCE
        due_on = rules.next_review_conference_due(
            plan, last, first=la[rules.FIRST_REVIEW_CONFERENCE], subsequent=la[rules.SUBSEQUENT_REVIEW_CONFERENCE]
        )
        note = f"Last review {_day(last)}" if last else f"Plan started {_day(plan.start_date)}"
        items.append(
            _item(episode, REVIEW_CONFERENCE, "Review child protection conference", due_on, la[code], today, note)
        )

    cin_plans = ChildInNeedPlan.objects.filter(episode_id__in=ids, end_date__isnull=True).annotate(
        last_review_on=Max("reviews__held_on")
    )
    for cin in cin_plans:
        episode = by_id[cin.episode_id]
        cin.episode = episode
        standard = standards[episode.local_authority_id][rules.CIN_PLAN_REVIEW]
        last = cin.last_review_on  # type: ignore[attr-defined]
        note = f"Last review {_day(last)}" if last else f"Plan started {_day(cin.start_date)}"
        items.append(
            _item(
                episode,
                CIN_PLAN_REVIEW,
                "Child in need plan review",
                rules.cin_plan_review_due(cin, last, standard),
                standard,
                today,
                note,
            )
        )

    items.sort(key=lambda i: i.sort_key)
    return items


def overdue_count(items: Iterable[DueItem]) -> int:
    return sum(1 for i in items if i.is_overdue)
