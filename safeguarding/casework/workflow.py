"""The explicit transition table of an episode: which named step may be taken at which stage.

One function decides: `check(episode, action)` raises StepRefused with a message that says why
and what is allowed now; every casework service calls it before writing. `allowed(episode)`
lists the steps the episode page offers. A step either moves the episode to a new stage
(`to`), leaves it where it is (`to=None`), or lets the recorded outcome decide (`to=OUTCOME`,
see casework.services). Besides the stage, a step may need a record to be in a state (an
assessment to be open, a plan to be running); those guards are named functions below, all read
from one snapshot (`State`) so the episode page asks a fixed number of queries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .codes import Stage, StrategyOutcome

if TYPE_CHECKING:
    from .models import (
        Assessment,
        ChildInNeedPlan,
        ChildProtectionPlan,
        Episode,
        Section47Enquiry,
        StrategyDiscussion,
    )


class StepRefused(Exception):
    """A casework step was refused; the message is safe to show and says what is allowed."""


OUTCOME = "OUTCOME"  # the next stage depends on the outcome recorded (section 47, conference)

S = Stage
OPEN_STAGES = (S.REFERRAL, S.ASSESSMENT, S.CHILD_IN_NEED, S.SECTION_47, S.CONFERENCE_DUE, S.CHILD_PROTECTION)


@dataclass(frozen=True)
class State:
    """What the guards need to know about an episode, read once."""

    stage: str
    open_assessment: Assessment | None  # started, not completed
    unauthorised_assessment: Assessment | None  # completed, awaiting a manager
    has_assessment: bool
    open_cin_plan: ChildInNeedPlan | None
    open_cp_plan: ChildProtectionPlan | None
    pending_strategy: StrategyDiscussion | None  # decided on a section 47 that has not started
    open_section47: Section47Enquiry | None


def state_of(episode: Episode) -> State:
    """A snapshot of the episode (six small queries, whatever its size)."""
    assessments = list(episode.assessments.filter(authorised_on__isnull=True).order_by("-start_date", "-id")[:1])
    unfinished = assessments[0] if assessments else None
    pending = (
        episode.strategy_discussions.filter(outcome=StrategyOutcome.SECTION_47, section47__isnull=True)
        .order_by("-held_on", "-id")
        .first()
    )
    return State(
        stage=episode.stage,
        open_assessment=unfinished if unfinished and unfinished.completed_on is None else None,
        unauthorised_assessment=unfinished if unfinished and unfinished.completed_on is not None else None,
        has_assessment=episode.assessments.exists(),
        open_cin_plan=episode.cin_plans.filter(end_date__isnull=True).order_by("-start_date").first(),
        open_cp_plan=episode.cp_plans.filter(end_date__isnull=True).first(),
        pending_strategy=pending,
        open_section47=episode.section47s.filter(completed_on__isnull=True).first(),
    )


Guard = Callable[[State], str]  # "" when the step may be taken, else why not


def _no_open_assessment(s: State) -> str:
    if s.open_assessment or s.unauthorised_assessment:
        return "An assessment is already under way: complete it and have it authorised first."
    return ""


def _assessment_open(s: State) -> str:
    return "" if s.open_assessment else "There is no assessment under way to complete."


def _assessment_awaiting_authorisation(s: State) -> str:
    return "" if s.unauthorised_assessment else "There is no completed assessment waiting for authorisation."


def _assessment_completed(s: State) -> str:
    if s.stage == S.ASSESSMENT and (s.open_assessment or not s.has_assessment):
        return "Complete the assessment first: its outcome says whether a child in need plan is needed."
    return ""


def _no_open_cin_plan(s: State) -> str:
    return "A child in need plan is already running: review it or end it." if s.open_cin_plan else ""


def _cin_plan_open(s: State) -> str:
    return "" if s.open_cin_plan else "There is no child in need plan running."


def _no_section47(s: State) -> str:
    return "A section 47 enquiry is already under way." if s.open_section47 else ""


def _pending_strategy(s: State) -> str:
    if s.open_section47:
        return "A section 47 enquiry is already under way."
    if s.pending_strategy is None:
        return "A section 47 enquiry starts from a strategy discussion that decided on one: record that first."
    return ""


def _section47_open(s: State) -> str:
    return "" if s.open_section47 else "There is no section 47 enquiry under way."


def _cp_plan_open(s: State) -> str:
    return "" if s.open_cp_plan else "There is no child protection plan running."


def _no_cin_after_open_s47(s: State) -> str:
    if s.stage == S.SECTION_47 and s.open_section47:
        return "Record the section 47 enquiry's outcome first."
    return _no_open_cin_plan(s)


@dataclass(frozen=True)
class Step:
    action: str
    label: str  # the button or link text on the episode page
    stages: tuple[str, ...]
    to: str | None = None  # new stage; None: unchanged; OUTCOME: decided by the outcome
    guards: tuple[Guard, ...] = ()
    capability: str = "RECORD_CASEWORK"  # the roles.Capability name the step needs


START_ASSESSMENT = "start-assessment"
COMPLETE_ASSESSMENT = "complete-assessment"
AUTHORISE_ASSESSMENT = "authorise-assessment"
SET_PRIMARY_NEED = "primary-need"
START_CIN_PLAN = "start-cin-plan"
REVIEW_CIN_PLAN = "review-cin-plan"
END_CIN_PLAN = "end-cin-plan"
HOLD_STRATEGY_DISCUSSION = "strategy-discussion"
START_SECTION_47 = "start-section-47"
COMPLETE_SECTION_47 = "complete-section-47"
HOLD_INITIAL_CONFERENCE = "initial-conference"
HOLD_CORE_GROUP = "core-group"
HOLD_REVIEW_CONFERENCE = "review-conference"
CHANGE_CATEGORY = "change-category"
END_CP_PLAN = "end-cp-plan"
CLOSE = "close"

# Where an assessment may run: from the referral, or again during a plan or an enquiry.
_ASSESSING = (S.ASSESSMENT, S.CHILD_IN_NEED, S.SECTION_47, S.CONFERENCE_DUE, S.CHILD_PROTECTION)

TABLE: dict[str, Step] = {
    step.action: step
    for step in [
        Step(START_ASSESSMENT, "Start an assessment", (S.REFERRAL,), S.ASSESSMENT, (_no_open_assessment,)),
        Step(
            START_ASSESSMENT + "-again",  # a re-assessment during a plan: same form, no change of stage
            "Start a new assessment",
            (S.CHILD_IN_NEED, S.CHILD_PROTECTION),
            None,
            (_no_open_assessment,),
        ),
        Step(COMPLETE_ASSESSMENT, "Complete the assessment", _ASSESSING, None, (_assessment_open,)),
        Step(
            AUTHORISE_ASSESSMENT,
            "Authorise the assessment",
            _ASSESSING,
            None,
            (_assessment_awaiting_authorisation,),
            "AUTHORISE_CASEWORK",
        ),
        Step(SET_PRIMARY_NEED, "Record the primary need", OPEN_STAGES),
        Step(
            START_CIN_PLAN,
            "Start a child in need plan",
            (S.ASSESSMENT, S.CHILD_IN_NEED, S.SECTION_47),
            S.CHILD_IN_NEED,
            (_assessment_completed, _no_cin_after_open_s47),
        ),
        Step(
            REVIEW_CIN_PLAN, "Record a child in need review", (S.CHILD_IN_NEED, S.SECTION_47), None, (_cin_plan_open,)
        ),
        Step(END_CIN_PLAN, "End the child in need plan", (S.CHILD_IN_NEED,), None, (_cin_plan_open,)),
        Step(
            HOLD_STRATEGY_DISCUSSION,
            "Record a strategy discussion",
            (S.REFERRAL, S.ASSESSMENT, S.CHILD_IN_NEED),
            None,
            (_no_section47,),
        ),
        Step(
            START_SECTION_47,
            "Start the section 47 enquiry",
            (S.REFERRAL, S.ASSESSMENT, S.CHILD_IN_NEED),
            S.SECTION_47,
            (_pending_strategy,),
        ),
        Step(COMPLETE_SECTION_47, "Record the section 47 outcome", (S.SECTION_47,), OUTCOME, (_section47_open,)),
        Step(HOLD_INITIAL_CONFERENCE, "Record the initial conference", (S.CONFERENCE_DUE,), OUTCOME),
        Step(HOLD_CORE_GROUP, "Record a core group meeting", (S.CHILD_PROTECTION,), None, (_cp_plan_open,)),
        Step(HOLD_REVIEW_CONFERENCE, "Record a review conference", (S.CHILD_PROTECTION,), OUTCOME, (_cp_plan_open,)),
        Step(CHANGE_CATEGORY, "Change the category of the plan", (S.CHILD_PROTECTION,), None, (_cp_plan_open,)),
        Step(END_CP_PLAN, "End the child protection plan", (S.CHILD_PROTECTION,), S.CHILD_IN_NEED, (_cp_plan_open,)),
        Step(CLOSE, "Close the episode", OPEN_STAGES, S.CLOSED),
    ]
}


def _problem(step: Step, state: State) -> str:
    if state.stage not in step.stages:
        return (
            f"You cannot {step.label[0].lower()}{step.label[1:]} while the episode is at “{Stage(state.stage).label}”."
        )
    for guard in step.guards:
        problem = guard(state)
        if problem:
            return problem
    return ""


def allowed(episode: Episode, state: State | None = None) -> list[Step]:
    """The steps that may be taken now, in the table's order."""
    state = state or state_of(episode)
    return [step for step in TABLE.values() if not _problem(step, state)]


def describe_allowed(steps: list[Step]) -> str:
    if not steps:
        return "Nothing more can be recorded on a closed episode."
    return "Allowed now: " + "; ".join(step.label.lower() for step in steps) + "."


def resolve(action: str, state: State) -> Step:
    """The row of the table for `action` at this state (a re-assessment uses the "-again" row)."""
    if action == START_ASSESSMENT and state.stage in TABLE[START_ASSESSMENT + "-again"].stages:
        return TABLE[START_ASSESSMENT + "-again"]
    if action not in TABLE:
        raise StepRefused(f"There is no step called “{action}”.")
    return TABLE[action]


def check(episode: Episode, action: str, state: State | None = None) -> Step:
    """The step, if it may be taken now; else StepRefused saying why and what is allowed."""
    state = state or state_of(episode)
    step = resolve(action, state)
    problem = _problem(step, state)
    if problem:
        raise StepRefused(f"{problem} {describe_allowed(allowed(episode, state))}")
    return step
