"""Census test data made with the casework models directly (the services are tested by casework).

Each maker takes the dates that matter and fills the rest with plain synthetic values.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from safeguarding.accounts.models import User
from safeguarding.casework.models import (
    Assessment,
    CategoryChange,
    ChildInNeedPlan,
    ChildProtectionPlan,
    Conference,
    Episode,
    Section47Enquiry,
    StrategyDiscussion,
)
from safeguarding.organisations.models import Organisation
from safeguarding.people.models import Person, PersonDisability
from tests import factories as f

AT = dt.datetime(2026, 4, 1, 9, 0, tzinfo=dt.UTC)


def recorder() -> User:
    user, _ = User.objects.get_or_create(username="census-test-recorder")
    return user


def _recorded() -> dict[str, Any]:
    return {"recorded_at": timezone.now(), "recorded_by": recorder()}


def child(la: Organisation, *, la_person_id: str = "", disabilities: tuple[str, ...] = (), **kwargs: Any) -> Person:
    kwargs.setdefault("sex", "F")
    kwargs.setdefault("ethnicity", "WBRI")
    person = f.make_person(la, la_person_id=la_person_id, **kwargs)
    for code in disabilities:
        PersonDisability.objects.create(person=person, code=code)
    return person


def episode(
    person: Person,
    referral_date: dt.date,
    *,
    la: Organisation | None = None,
    source: str = "2A",
    need: str = "N1",
    nfa: bool = False,
    closed: dt.date | None = None,
    reason: str = "",
) -> Episode:
    return Episode.objects.create(
        person=person,
        local_authority=la or person.local_authority,
        referral_date=referral_date,
        referral_source=source,
        primary_need=need,
        referral_nfa=nfa,
        closure_date=closed,
        closure_reason=reason or ("RC7" if closed else ""),
        **_recorded(),
    )


def assessment(
    ep: Episode, start: dt.date, *, authorised: dt.date | None = None, factors: tuple[str, ...] = ()
) -> Assessment:
    return Assessment.objects.create(
        episode=ep,
        start_date=start,
        timescale_working_days=45,
        timescale_reason="Usual timescale",
        completed_on=authorised,
        authorised_on=authorised,
        factors=list(factors),
        **_recorded(),
    )


def cin_plan(ep: Episode, start: dt.date, *, end: dt.date | None = None) -> ChildInNeedPlan:
    return ChildInNeedPlan.objects.create(
        episode=ep, start_date=start, end_date=end, outcomes="Safe at home", **_recorded()
    )


def section47(
    ep: Episode,
    start: dt.date,
    *,
    target: dt.date | None = None,
    completed: dt.date | None = None,
    outcome: str = "",
) -> Section47Enquiry:
    strategy = StrategyDiscussion.objects.create(
        episode=ep, held_on=start, agencies="Police, health", outcome="S47", rationale="Concern", **_recorded()
    )
    return Section47Enquiry.objects.create(
        episode=ep,
        strategy_discussion=strategy,
        start_date=start,
        conference_target_date=target,
        completed_on=completed,
        outcome=outcome,
        **_recorded(),
    )


def initial_conference(
    ep: Episode, held_on: dt.date, *, s47: Section47Enquiry | None = None, decision: str = "PLAN", category: str = "NEG"
) -> Conference:
    return Conference.objects.create(
        episode=ep,
        kind="INITIAL",
        section47=s47,
        held_on=held_on,
        decision=decision,
        category=category if decision == "PLAN" else "",
        rationale="Decided by the conference",
        **_recorded(),
    )


def cp_plan(
    ep: Episode, start: dt.date, *, end: dt.date | None = None, category: str = "NEG", latest: str = ""
) -> ChildProtectionPlan:
    return ChildProtectionPlan.objects.create(
        episode=ep,
        start_date=start,
        end_date=end,
        initial_category=category,
        latest_category=latest or category,
        **_recorded(),
    )


def review(plan: ChildProtectionPlan, held_on: dt.date) -> Conference:
    return Conference.objects.create(
        episode=plan.episode,
        kind="REVIEW",
        plan=plan,
        held_on=held_on,
        decision="PLAN",
        category=plan.latest_category,
        rationale="Plan continues",
        **_recorded(),
    )


def category_change(plan: ChildProtectionPlan, changed_on: dt.date, category: str) -> CategoryChange:
    return CategoryChange.objects.create(
        plan=plan, changed_on=changed_on, category=category, reason="New concerns", **_recorded()
    )


def protection_journey(
    person: Person, referral: dt.date, *, s47_start: dt.date, icpc: dt.date, reviews: tuple[dt.date, ...] = ()
) -> tuple[Episode, ChildProtectionPlan]:
    """Referral -> assessment -> s47 -> ICPC -> CP plan with reviews, all open."""
    ep = episode(person, referral, source="6")
    assessment(ep, referral, authorised=s47_start, factors=("3A", "16A"))
    s47 = section47(ep, s47_start, target=icpc, completed=icpc, outcome="ICPC")
    initial_conference(ep, icpc, s47=s47)
    plan = cp_plan(ep, icpc)
    for day in reviews:
        review(plan, day)
    return ep, plan


_UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


def valid_upn(la_code: str, establishment: str, year: str, serial: int) -> str:
    """A UPN the validator accepts (rule 1510's check letter: sum of digit x position 2-13, mod 23)."""
    body = f"{la_code}{establishment}{year}{serial:03d}"
    return _UPN_LETTERS[sum(int(ch) * pos for pos, ch in enumerate(body, start=2)) % 23] + body
