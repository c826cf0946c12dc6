"""Synthetic social care journeys, calibrated to the national rates (ADR 0017).

A household's story is simulated once (`Planner.household`): referrals arrive at a rate that
reproduces 632,830 referrals a year across England's 12.2 million children (statutory.md §6), a
closed case is re-referred within a year often enough to give 22.6% re-referrals, and each
referral follows the national shares: 6.5% no further action, 30.8% assessed and closed, the rest
to a child in need plan or a section 47 enquiry, conference and child protection plan. Durations
come from the national distributions (assessments: 85% within 45 working days; s47 to ICPC:
median 14 working days; plan lengths). Every date obeys the CIN census rules (statutory.md §1.5),
so the census export of this data validates: the plan is built in date order and cut at the
run's reference date, so whatever is still running is simply open.

The plan (pure, no database) is shared by the children of the household; `Writer` turns it into
casework rows, allocations, involvements and derived chronology entries for each child, in bulk.
"""

from __future__ import annotations

import bisect
import datetime as dt
import random
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from safeguarding.casework.codes import (
    AbuseCategory,
    AssessmentOutcome,
    ClosureReason,
    ConferenceDecision,
    ConferenceKind,
    Section47Outcome,
    Stage,
    StrategyOutcome,
)
from safeguarding.standards.working_days import is_working_day

if TYPE_CHECKING:
    from safeguarding.people.models import Person

# --- national rates (statutory.md §6.1, year ending 31 March 2025) ----------------------------------
REFERRALS_PER_CHILD_YEAR = 632_830 / 12_180_000  # 0.052
RE_REFERRAL_SHARE = 0.226
NFA_SHARE = 0.065
NOT_IN_NEED_SHARE = 0.308
S47_PER_REFERRAL = 230_590 / 632_830  # 0.364
ICPC_PER_S47 = 72_100 / 230_590  # 0.313
PLAN_PER_ICPC = 61_840 / 72_100  # 0.858
CIN_RATE = 330.3 / 10_000  # children in need at 31 March
CPP_RATE = 49_420 / 12_180_000  # child protection plans at 31 March

# Calibration (ADR 0017): tuned so the simulated rates land on the national ones.
AT_RISK_SHARE = 0.225  # households that could ever be referred
BASE_HAZARD = 0.27  # referrals a year for an at-risk household with no open case
RE_REFER_CHANCE = 0.32  # after a closure: re-referred within a year of the last referral
P_S47_EARLY = 0.37  # of referrals going beyond NFA: strategy discussion and s47 during the assessment
P_NOT_IN_NEED = NOT_IN_NEED_SHARE / (1 - NFA_SHARE)
P_ESCALATE = 0.10  # a child in need plan escalates to a strategy discussion
CIN_PLAN_MEDIAN_DAYS = 270

# Assessment length in working days (C2: same day, 1-10, 11-20 ... 61+).
_ASSESSMENT_WD = ((0, 0, 11_680), (1, 10, 75_590), (11, 20, 112_180), (21, 30, 102_260), (31, 40, 131_380),
                  (41, 45, 122_730), (46, 50, 37_640), (51, 60, 27_860), (61, 90, 27_500))  # fmt: skip
# s47 start to ICPC in working days (C4).
_ICPC_WD = ((2, 10, 6_240), (11, 15, 52_430), (16, 20, 6_430), (21, 35, 6_990))
# CP plan length in days (D7: <=3 months, 3-6 months, 6 months-1 year, 1-2 years, 2+ years).
_PLAN_DAYS = ((20, 91, 9_920), (92, 182, 6_880), (183, 365, 27_110), (366, 730, 15_680), (731, 1000, 2_710))
_CATEGORIES = ((AbuseCategory.NEG, 50), (AbuseCategory.EMO, 37), (AbuseCategory.PHY, 4), (AbuseCategory.SAB, 4),
               (AbuseCategory.MUL, 5))  # fmt: skip
_SOURCES = (("6", 28), ("2A", 21), ("2B", 2), ("3A", 3), ("3B", 2), ("3C", 1), ("3D", 2), ("3E", 4), ("3F", 2),
            ("5A", 3), ("5B", 3), ("5C", 1), ("5D", 3), ("1A", 5), ("1B", 1), ("1C", 1), ("1D", 2), ("4", 2),
            ("7", 5), ("8", 6), ("9", 2), ("10", 1))  # fmt: skip
_NEEDS = (("N1", 57), ("N2", 9), ("N3", 3), ("N4", 7), ("N5", 14), ("N6", 2), ("N7", 1), ("N8", 2), ("N9", 4),
          ("N0", 1))  # fmt: skip
_FACTORS = (("3B", 30), ("4B", 28), ("17A", 20), ("3A", 15), ("16A", 15), ("2B", 12), ("1B", 10), ("4A", 10),
            ("18C", 8), ("5A", 5), ("15A", 5), ("20", 5), ("6B", 4), ("10A", 4), ("19C", 3), ("5B", 3), ("6A", 3),
            ("24A", 3), ("11A", 2), ("13A", 2), ("14A", 2), ("7A", 2), ("18B", 2))  # fmt: skip
_AFTER_PLAN = (("cin", 50), ("close", 36), (ClosureReason.RC5, 9), (ClosureReason.RC4, 3), (ClosureReason.RC3, 2))
_AFTER_CIN = ((ClosureReason.RC7, 88), (ClosureReason.RC5, 8), (ClosureReason.RC4, 2), (ClosureReason.RC3, 2))


def window_start(as_of: dt.date) -> dt.date:
    """1 April three census years before the one containing `as_of` (journeys are generated from here)."""
    year = as_of.year if as_of >= dt.date(as_of.year, 4, 1) else as_of.year - 1
    return dt.date(year - 3, 4, 1)


class Calendar:
    """Working days (England) as an index, so adding working days is a lookup, not a walk."""

    def __init__(self, start: dt.date, end: dt.date) -> None:
        self.start = start
        self.days: list[dt.date] = []
        self.count_to: list[int] = []  # working days on or before start + i
        day = start
        while day <= end:
            if is_working_day(day):
                self.days.append(day)
            self.count_to.append(len(self.days))
            day += dt.timedelta(days=1)

    def _count(self, day: dt.date) -> int:
        return self.count_to[(day - self.start).days]

    def add(self, day: dt.date, n: int) -> dt.date:
        """As standards.working_days.add_working_days: the n-th working day after `day`."""
        return day if n == 0 else self.days[self._count(day) + n - 1]

    def between(self, a: dt.date, b: dt.date) -> int:
        """As working_days_between: working days after a up to and including b."""
        return max(0, self._count(b) - self._count(a))

    def on_or_after(self, day: dt.date) -> dt.date:
        return self.days[bisect.bisect_left(self.days, day)]


# --- the plan ----------------------------------------------------------------------------------


@dataclass
class Meeting:
    held_on: dt.date
    kind: str = ConferenceKind.REVIEW
    decision: str = ConferenceDecision.PLAN
    category: str = ""


@dataclass
class S47Plan:
    strategy_on: dt.date
    start: dt.date
    target: dt.date
    completed: dt.date | None = None
    outcome: str = ""
    icpc: Meeting | None = None


@dataclass
class CPPlanPlan:
    start: dt.date
    initial_category: str
    latest_category: str
    end: dt.date | None = None
    end_reason: str = ""
    reviews: list[Meeting] = field(default_factory=list)
    core_groups: list[dt.date] = field(default_factory=list)
    category_changes: list[tuple[dt.date, str]] = field(default_factory=list)


@dataclass
class CINPlanPlan:
    start: dt.date
    end: dt.date | None = None
    reviews: list[dt.date] = field(default_factory=list)


@dataclass
class EarlyHelpStep:
    """Early help after an RC9 closure: offered, consent, assessment, plan, then closed or stepped up."""

    offered: dt.date
    consent: dt.date
    assessed_from: dt.date
    assessed_to: dt.date
    plan_from: dt.date
    closure: dt.date
    outcome: str = "NEEDS_MET"  # or STEPPED_UP (the next referral came from early help, source 5D)


@dataclass
class EpisodePlan:
    referral: dt.date
    source: str
    need: str = ""
    nfa: bool = False
    assessment_start: dt.date | None = None
    assessment_days: int = 0  # the worker's timescale
    assessment_done: dt.date | None = None
    factors: list[str] = field(default_factory=list)
    assessment_outcome: str = ""
    strategies: list[S47Plan] = field(default_factory=list)  # every strategy discussion (most lead to a s47)
    cin_plans: list[CINPlanPlan] = field(default_factory=list)
    cp_plans: list[CPPlanPlan] = field(default_factory=list)
    transfer_on: dt.date | None = None  # moved from the assessment team to a long-term team
    closure: dt.date | None = None
    reason: str = ""
    visits: list[tuple[dt.date, bool, bool]] = field(default_factory=list)  # day, seen, seen alone
    stage: str = Stage.REFERRAL
    early_help: EarlyHelpStep | None = None  # after an RC9 closure
    earlier_contact: tuple[dt.date, str] | None = None  # a contact before the referral that went no further

    def last_activity(self) -> dt.date:
        days = [self.referral]
        days += [d for d in (self.assessment_start, self.assessment_done) if d]
        for s in self.strategies:
            days += [s.strategy_on, s.start] + ([s.completed] if s.completed else [])
        for c in self.cin_plans:
            days += [c.start, *c.reviews] + ([c.end] if c.end else [])
        for p in self.cp_plans:
            days += [p.start, *(m.held_on for m in p.reviews), *p.core_groups] + ([p.end] if p.end else [])
        days += [v[0] for v in self.visits]
        return max(days)


class _Cut(Exception):
    """The next event would fall after the reference date: the episode is still open."""


class Planner:
    """Draws the social care history of one household from the national rates."""

    def __init__(self, rng: random.Random, as_of: dt.date) -> None:
        self.rng = rng
        self.as_of = as_of
        self.start = window_start(as_of)
        self.warm_up = self.start - dt.timedelta(days=1096)  # three years earlier, so 1 April has a caseload
        self.cal = Calendar(self.warm_up - dt.timedelta(days=30), as_of + dt.timedelta(days=4000))

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def pick(self, table: tuple[tuple[Any, int], ...]) -> Any:
        return self.rng.choices([v for v, _w in table], [w for _v, w in table])[0]

    def span(self, table: tuple[tuple[int, int, int], ...]) -> int:
        low, high = self.rng.choices([(a, b) for a, b, _w in table], [w for _a, _b, w in table])[0]
        return self.rng.randint(low, high)

    def _check(self, day: dt.date) -> dt.date:
        if day > self.as_of:
            raise _Cut
        return day

    # A household: referrals, each an episode, none overlapping.
    def household(self, *, showcase: bool = False) -> list[EpisodePlan]:
        if showcase:
            return self.showcase()
        if not self.chance(AT_RISK_SHARE):
            return []
        episodes: list[EpisodePlan] = []
        day = self.warm_up + dt.timedelta(days=self.rng.expovariate(BASE_HAZARD) * 365)
        while day <= self.as_of:
            episode = self.episode(self.cal.on_or_after(day))
            if episodes:
                self._link(episodes[-1], episode)
            episodes.append(episode)
            if episode.reason == ClosureReason.RC9 and episode.closure is not None:
                episode.early_help = self._early_help(episode.closure)
            if episode.closure is None:
                break
            after = episode.closure + dt.timedelta(days=1)
            year_after_referral = episode.referral + dt.timedelta(days=364)
            if self.chance(RE_REFER_CHANCE) and after + dt.timedelta(days=7) < year_after_referral:
                day = after + dt.timedelta(days=self.rng.randint(7, (year_after_referral - after).days))
            else:
                day = max(after, year_after_referral) + dt.timedelta(days=self.rng.expovariate(BASE_HAZARD) * 365)
        return [e for e in episodes if e.closure is None or e.closure >= self.start - dt.timedelta(days=365)]

    def _early_help(self, offered: dt.date) -> EarlyHelpStep:
        rng = self.rng
        consent = offered + dt.timedelta(days=rng.randint(1, 7))
        assessed_to = consent + dt.timedelta(days=rng.randint(15, 40))
        return EarlyHelpStep(
            offered=offered,
            consent=consent,
            assessed_from=consent,
            assessed_to=assessed_to,
            plan_from=assessed_to,
            closure=assessed_to + dt.timedelta(days=rng.randint(60, 240)),
        )

    def _link(self, before: EpisodePlan, after: EpisodePlan) -> None:
        """A referral during early help is a step-up (source 5D); a contact may come before a referral."""
        eh = before.early_help
        if eh is not None and after.referral <= eh.closure:
            eh.closure, eh.outcome, after.source = after.referral, "STEPPED_UP", "5D"
        gap_from = (eh.closure if eh else before.closure or after.referral) + dt.timedelta(days=1)
        if self.chance(0.5) and (after.referral - gap_from).days > 20:
            day = self.day_between(
                max(gap_from, after.referral - dt.timedelta(days=200)), after.referral - dt.timedelta(days=10)
            )
            after.earlier_contact = (day, self.pick((("NFA", 50), ("ADVICE", 50))))

    def day_between(self, start: dt.date, end: dt.date) -> dt.date:
        return start if end <= start else start + dt.timedelta(days=self.rng.randint(0, (end - start).days))

    def episode(self, referral: dt.date, *, path: str = "") -> EpisodePlan:
        ep = EpisodePlan(referral=referral, source=self.pick(_SOURCES))
        if path == "" and self.chance(NFA_SHARE):
            ep.nfa, ep.closure, ep.reason, ep.stage = True, referral, ClosureReason.RC7, Stage.CLOSED
            return ep
        try:
            self._journey(ep, path)
        except _Cut:
            ep.closure, ep.reason = None, ""  # still open at the reference date
            return ep
        ep.stage = Stage.CLOSED
        return ep

    def _journey(self, ep: EpisodePlan, path: str) -> None:
        rng, cal = self.rng, self.cal
        ep.need = self.pick(_NEEDS)
        if not path:
            r = rng.random()
            path = "s47" if r < P_S47_EARLY else ("nin" if r < P_S47_EARLY + P_NOT_IN_NEED else "cin")
        if path == "nin" and ep.need == "N1":
            ep.need = self.pick(_NEEDS[1:])
        ep.stage = Stage.ASSESSMENT
        start = self._check(cal.add(ep.referral, rng.choice((0, 0, 1, 1, 2, 3))))
        ep.assessment_start = start
        ep.assessment_days = rng.choice((10, 20, 25, 35, 45, 45, 45))
        done = cal.add(start, self.span(_ASSESSMENT_WD))
        self._visits(ep, start, min(done, self.as_of), every=(8, 20))
        s47: S47Plan | None = None
        if path == "s47":
            s47 = self._s47(ep, cal.add(ep.referral, rng.randint(0, 4)))
        if s47 is not None and s47.icpc is not None:
            done = max(start, min(done, s47.icpc.held_on))  # the assessment is finished for the conference
        if done > self.as_of:
            raise _Cut
        ep.assessment_done = done
        no_factors = path == "nin" and self.chance(0.3)
        ep.factors = ["21"] if no_factors else sorted({self.pick(_FACTORS) for _ in range(rng.randint(1, 4))})
        if path == "nin":
            ep.assessment_outcome = AssessmentOutcome.NO_FURTHER_ACTION
            ep.reason = ClosureReason.RC9 if self.chance(0.3) else ClosureReason.RC8
            if ep.reason == ClosureReason.RC9:
                ep.assessment_outcome = AssessmentOutcome.EARLY_HELP
            ep.closure = self._check(done + dt.timedelta(days=rng.randint(0, 3)))
            return
        if s47 is not None:
            ep.assessment_outcome = AssessmentOutcome.CONTINUE
            self._after_s47(ep, s47)
            return
        ep.assessment_outcome = AssessmentOutcome.CHILD_IN_NEED
        self._cin_plan(ep, done + dt.timedelta(days=rng.randint(0, 5)), escalate=True)

    def _s47(self, ep: EpisodePlan, held_on: dt.date) -> S47Plan:
        """A strategy discussion and (nearly always) a section 47 enquiry starting that day."""
        rng, cal = self.rng, self.cal
        self._check(held_on)
        s47 = S47Plan(strategy_on=held_on, start=held_on, target=cal.add(held_on, 15))
        ep.strategies.append(s47)
        if self.chance(0.05):  # no section 47 after all
            s47.outcome, s47.completed = StrategyOutcome.NO_SECTION_47, held_on
            return s47
        ep.stage = Stage.SECTION_47
        r = rng.random()
        if r < ICPC_PER_S47:
            icpc = cal.add(s47.start, self.span(_ICPC_WD))
            concluded = cal.add(s47.start, rng.randint(min(8, self.cal.between(s47.start, icpc)), 10))
            if concluded <= self.as_of:  # the enquiry concluded: conference needed
                s47.completed, s47.outcome = min(concluded, icpc), Section47Outcome.CONFERENCE
                ep.stage = Stage.CONFERENCE_DUE
            if icpc > self.as_of:
                return s47  # the conference is still to come (_after_s47 stops the plan there)
            plan = self.chance(PLAN_PER_ICPC)
            s47.icpc = Meeting(
                icpc,
                ConferenceKind.INITIAL,
                ConferenceDecision.PLAN if plan else ConferenceDecision.NO_PLAN,
                self.pick(_CATEGORIES) if plan else "",
            )
        else:
            done = cal.add(s47.start, rng.randint(5, 15))
            if done <= self.as_of:
                s47.completed = done
                s47.outcome = (
                    Section47Outcome.CHILD_IN_NEED if r < ICPC_PER_S47 + 0.30 else Section47Outcome.NOT_SUBSTANTIATED
                )
        return s47

    def _after_s47(self, ep: EpisodePlan, s47: S47Plan) -> None:
        """The enquiry's outcome: a CP plan, a child in need plan, or closure."""
        rng = self.rng
        if s47.completed is None or (s47.outcome == Section47Outcome.CONFERENCE and s47.icpc is None):
            raise _Cut  # the enquiry, or its conference, is still to come
        if s47.icpc is not None and s47.icpc.decision == ConferenceDecision.PLAN:
            self._cp_plan(ep, s47.icpc)
            return
        if s47.outcome == StrategyOutcome.NO_SECTION_47 or s47.outcome == Section47Outcome.CHILD_IN_NEED or s47.icpc:
            if ep.assessment_done is None:
                raise _Cut  # the plan starts when the assessment ends
            self._cin_plan(ep, max(ep.assessment_done, s47.completed or s47.start), escalate=False)
            return
        if ep.assessment_done is None:
            raise _Cut
        ep.reason = ClosureReason.RC7  # not substantiated (RC8 is only for closure after an assessment alone)
        ep.closure = self._check(
            max(ep.assessment_done, s47.completed or s47.start) + dt.timedelta(days=rng.randint(0, 10))
        )

    def _cin_plan(self, ep: EpisodePlan, start: dt.date, *, escalate: bool) -> None:
        rng, cal = self.rng, self.cal
        self._check(start)
        ep.transfer_on = ep.transfer_on or start
        plan = CINPlanPlan(start)
        ep.cin_plans.append(plan)
        ep.stage = Stage.CHILD_IN_NEED
        length = max(45, int(rng.lognormvariate(0, 0.6) * CIN_PLAN_MEDIAN_DAYS))
        end = start + dt.timedelta(days=length)
        escalation = (
            start + dt.timedelta(days=rng.randint(30, max(31, length - 10)))
            if escalate and self.chance(P_ESCALATE)
            else None
        )
        stop = min(d for d in (end, escalation, self.as_of + dt.timedelta(days=1)) if d is not None)
        self._visits(ep, start, min(stop, self.as_of), every=(20, 35))
        review = cal.on_or_after(start + dt.timedelta(days=rng.randint(70, 90)))
        while review < stop:
            if not (review > self.as_of - dt.timedelta(days=21) and self.chance(0.15)):  # a few run late
                plan.reviews.append(review)
            review = cal.on_or_after(review + dt.timedelta(days=rng.randint(80, 95)))
        self._check(stop)
        if escalation is not None and stop == escalation:
            s47 = self._s47(ep, cal.on_or_after(escalation))
            if s47.completed is None or (s47.outcome == Section47Outcome.CONFERENCE and s47.icpc is None):
                raise _Cut  # the enquiry, or its conference, is still to come; the CIN plan runs on
            if s47.icpc is not None and s47.icpc.decision == ConferenceDecision.PLAN:
                plan.end = s47.icpc.held_on  # the child in need plan gives way to the CP plan that day
                self._cp_plan(ep, s47.icpc)
                return
            ep.stage = Stage.CHILD_IN_NEED
            self._cin_plan_end(ep, plan, max(end, (s47.completed or s47.start) + dt.timedelta(days=30)))
            return
        self._cin_plan_end(ep, plan, end)

    def _cin_plan_end(self, ep: EpisodePlan, plan: CINPlanPlan, end: dt.date) -> None:
        self._check(end)
        plan.end = end
        ep.reason = self.pick(_AFTER_CIN)
        ep.closure = self._check(max(end, ep.last_activity()) + dt.timedelta(days=self.rng.randint(0, 14)))

    def _cp_plan(self, ep: EpisodePlan, icpc: Meeting) -> None:
        rng, cal = self.rng, self.cal
        ep.transfer_on = ep.transfer_on or icpc.held_on
        plan = CPPlanPlan(icpc.held_on, icpc.category, icpc.category)
        ep.cp_plans.append(plan)
        ep.stage = Stage.CHILD_PROTECTION
        length = self.span(_PLAN_DAYS)
        end = icpc.held_on + dt.timedelta(days=length)
        core = cal.add(icpc.held_on, rng.randint(6, 10))  # first core group within 10 working days
        review = cal.add(icpc.held_on, rng.randint(55, 63))  # first review within 3 months
        visit_from = icpc.held_on
        while True:
            nxt = min(core, review)
            if nxt > self.as_of or nxt >= end - dt.timedelta(days=14):
                break
            if nxt == core:
                plan.core_groups.append(core)
                core = cal.on_or_after(core + dt.timedelta(days=rng.randint(38, 46)))
            else:
                late = review > self.as_of - dt.timedelta(days=21) and self.chance(0.15)
                if late:
                    break
                category = plan.latest_category
                if self.chance(0.08):
                    category = self.pick(_CATEGORIES)
                    if category != plan.latest_category:
                        plan.category_changes.append((review, category))
                        plan.latest_category = category
                plan.reviews.append(Meeting(review, category=category))
                review = cal.add(review, rng.randint(120, 128))  # then every six months
        self._visits(ep, visit_from, min(end, self.as_of), every=(7, 14))
        end_day = cal.on_or_after(end)
        if end_day > self.as_of:
            raise _Cut
        # The plan ends at a review conference (the one due, or one brought forward).
        plan.reviews.append(Meeting(end_day, decision=ConferenceDecision.END_PLAN, category=plan.latest_category))
        plan.end = end_day
        plan.end_reason = "Conference decided the child is no longer at risk of significant harm"
        after = self.pick(_AFTER_PLAN)
        if after == "cin":
            self._cin_plan(ep, end_day, escalate=False)
            return
        ep.reason = ClosureReason.RC7 if after == "close" else after
        if ep.reason == ClosureReason.RC5:
            plan.end_reason = "The family moved to another local authority; plan transferred"
        ep.stage = Stage.CHILD_PROTECTION
        ep.closure = self._check(max(end_day, ep.last_activity()) + dt.timedelta(days=rng.randint(0, 20)))

    def _visits(self, ep: EpisodePlan, start: dt.date, end: dt.date, every: tuple[int, int]) -> None:
        rng = self.rng
        day = start + dt.timedelta(days=rng.randint(1, every[0]))
        while day <= end:
            if day.weekday() < 5:
                seen = self.chance(0.9)
                ep.visits.append((day, seen, seen and self.chance(0.6)))
            day += dt.timedelta(days=rng.randint(*every))

    _FORCED: dict[str, tuple[str, int]] = {  # stage: (path, days before the reference date the referral came in)
        Stage.ASSESSMENT: ("cin", 30),
        Stage.CHILD_IN_NEED: ("cin", 240),
        Stage.SECTION_47: ("s47", 4),
        Stage.CONFERENCE_DUE: ("s47", 16),
        Stage.CHILD_PROTECTION: ("s47", 300),
    }

    def forced(self, stage: str) -> list[EpisodePlan]:
        """A household whose current episode is at `stage` (the demo needs one of each), some with a
        closed episode before it. Drawn from the same process, kept only when it lands on the stage."""
        path, days = self._FORCED[stage]
        earlier = self.episode(self.cal.on_or_after(self.as_of - dt.timedelta(days=days + 400)), path="nin")
        for _ in range(500):
            plan = self.episode(
                self.cal.on_or_after(self.as_of - dt.timedelta(days=days + self.rng.randint(0, 10))), path=path
            )
            if stage_at(plan) == stage:
                history = [earlier] if earlier.closure and earlier.closure < plan.referral and self.chance(0.5) else []
                return [*history, plan]
        return []

    def showcase(self) -> list[EpisodePlan]:
        """The showcase household: an earlier assessment closed, then a re-referral to a CP plan still open."""
        cal, as_of = self.cal, self.as_of
        first = self.episode(cal.on_or_after(as_of - dt.timedelta(days=800)), path="nin")
        while first.closure is None or first.closure > as_of - dt.timedelta(days=500):
            first = self.episode(cal.on_or_after(as_of - dt.timedelta(days=800)), path="nin")
        referral = cal.on_or_after(as_of - dt.timedelta(days=430))
        while True:
            second = EpisodePlan(referral=referral, source="2A", need="N1")
            second.assessment_start = cal.add(referral, 1)
            second.assessment_days = 35
            second.assessment_done = cal.add(second.assessment_start, 32)
            second.factors = ["16A", "3B", "4B"]
            second.assessment_outcome = AssessmentOutcome.CONTINUE
            s47 = S47Plan(strategy_on=cal.add(referral, 2), start=cal.add(referral, 2), target=cal.add(referral, 17))
            s47.completed = cal.add(s47.start, 14)
            s47.outcome = Section47Outcome.CONFERENCE
            s47.icpc = Meeting(s47.completed, ConferenceKind.INITIAL, ConferenceDecision.PLAN, AbuseCategory.NEG)
            second.strategies.append(s47)
            self._visits(second, second.assessment_start, s47.completed, every=(5, 9))
            saved = self.span
            self.span = lambda table: 2000  # type: ignore[method-assign]  # the plan outlasts the reference date
            try:
                self._cp_plan(second, s47.icpc)
            except _Cut:
                pass
            finally:
                self.span = saved  # type: ignore[method-assign]
            if len(second.cp_plans[0].reviews) >= 2:
                return [first, second]
            referral = cal.on_or_after(referral - dt.timedelta(days=30))


def stage_at(plan: EpisodePlan) -> str:
    """The episode's stage at the reference date, from what is open."""
    if plan.closure is not None:
        return Stage.CLOSED
    if any(p.end is None for p in plan.cp_plans):
        return Stage.CHILD_PROTECTION
    for s in plan.strategies:
        if s.outcome != StrategyOutcome.NO_SECTION_47 and s.completed is None:
            return Stage.SECTION_47
        if s.outcome == Section47Outcome.CONFERENCE and s.icpc is None:
            return Stage.CONFERENCE_DUE
    if plan.cin_plans or plan.cp_plans:
        return Stage.CHILD_IN_NEED  # a plan is running, or has just ended and closure is near
    if plan.assessment_start is not None:
        return Stage.ASSESSMENT
    return Stage.REFERRAL


# --- who is referred ----------------------------------------------------------------------------


def eligible(person: Person, referral: dt.date) -> bool:
    """Born by the referral and under 17 then (older young people are referred far less)."""
    dob = person.date_of_birth
    return dob is not None and dob <= referral and (referral - dob).days < 17 * 365


@dataclass
class Rates:
    """The rates a generated population shows, to compare with the national ones (tests, ADR 0017)."""

    referrals_per_child_year: float
    re_referral_share: float
    nfa_share: float
    not_in_need_share: float
    s47_per_referral: float
    icpc_per_s47: float
    plans_per_icpc: float
    within_45_share: float
    cin_rate: float
    cpp_rate: float


def measure(children: list[list[EpisodePlan]], as_of: dt.date, cal: Calendar) -> Rates:
    """The national measures over the last three complete census years, for children's episode lists."""
    start = window_start(as_of)
    end = dt.date(start.year + 3, 3, 31)
    snapshot = end
    referrals = [e for eps in children for e in eps if start <= e.referral <= end]
    re_referred = sum(
        1
        for eps in children
        for i, e in enumerate(eps)
        if start <= e.referral <= end and i and (e.referral - eps[i - 1].referral).days <= 365
    )
    s47s = [
        s
        for eps in children
        for e in eps
        for s in e.strategies
        if start <= s.start <= end and s.outcome != StrategyOutcome.NO_SECTION_47
    ]
    icpcs = [s.icpc for s in s47s if s.icpc is not None]
    done = [
        e
        for eps in children
        for e in eps
        if e.assessment_start and e.assessment_done and start <= e.assessment_done <= end
    ]

    def in_need(e: EpisodePlan) -> bool:
        open_then = e.referral <= snapshot and (e.closure is None or e.closure > snapshot)
        return open_then and not e.nfa

    n = max(1, len(referrals))
    return Rates(
        referrals_per_child_year=len(referrals) / max(1, len(children)) / 3,
        re_referral_share=re_referred / n,
        nfa_share=sum(e.nfa for e in referrals) / n,
        not_in_need_share=sum(e.reason in (ClosureReason.RC8, ClosureReason.RC9) for e in referrals) / n,
        s47_per_referral=len(s47s) / n,
        icpc_per_s47=len(icpcs) / max(1, len(s47s)),
        plans_per_icpc=sum(m.decision == ConferenceDecision.PLAN for m in icpcs) / max(1, len(icpcs)),
        within_45_share=sum(cal.between(e.assessment_start, e.assessment_done) <= 45 for e in done)  # type: ignore[arg-type]
        / max(1, len(done)),
        cin_rate=sum(any(in_need(e) for e in eps) for eps in children) / max(1, len(children)),
        cpp_rate=sum(
            any(p.start <= snapshot and (p.end is None or p.end > snapshot) for e in eps for p in e.cp_plans)
            for eps in children
        )
        / max(1, len(children)),
    )


NATIONAL = Rates(
    referrals_per_child_year=REFERRALS_PER_CHILD_YEAR,
    re_referral_share=RE_REFERRAL_SHARE,
    nfa_share=NFA_SHARE,
    not_in_need_share=NOT_IN_NEED_SHARE,
    s47_per_referral=S47_PER_REFERRAL,
    icpc_per_s47=ICPC_PER_S47,
    plans_per_icpc=PLAN_PER_ICPC,
    within_45_share=(11_680 + 75_590 + 112_180 + 102_260 + 131_380 + 122_730) / 648_830,
    cin_rate=CIN_RATE,
    cpp_rate=CPP_RATE,
)
