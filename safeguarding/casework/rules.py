"""The social care journey's timescales: named, pure functions, each citing its source.

Every timescale is a local standard (standards.catalogue): the authority may vary it, and it is
shown and measured, never used to block practice (Munro, 2011). Working days exclude weekends
and England bank holidays (standards.working_days).

Each function takes the record it dates and, optionally, the `Standard` already looked up: a
list page looks each standard up once per local authority (`standards_for`) and passes it in,
so dating a list costs no query per row. Called without it, a function looks the standard up
(one query). Functions never read the clock: "overdue" is decided by the caller's `today`.
"""

from __future__ import annotations

import datetime as dt

from safeguarding.standards.catalogue import CATALOGUE
from safeguarding.standards.models import LocalStandard
from safeguarding.standards.rules import Standard, due_date, standard_for
from safeguarding.standards.working_days import add_working_days

from .models import Assessment, ChildInNeedPlan, ChildProtectionPlan, Episode, StrategyDiscussion

ASSESSMENT_MAXIMUM = "ASSESSMENT_MAXIMUM"
ICPC_AFTER_STRATEGY = "ICPC_AFTER_STRATEGY"
FIRST_CORE_GROUP = "FIRST_CORE_GROUP"
FIRST_REVIEW_CONFERENCE = "FIRST_REVIEW_CONFERENCE"
SUBSEQUENT_REVIEW_CONFERENCE = "SUBSEQUENT_REVIEW_CONFERENCE"
CIN_PLAN_REVIEW = "CIN_PLAN_REVIEW"

JOURNEY_STANDARDS = (
    ASSESSMENT_MAXIMUM,
    ICPC_AFTER_STRATEGY,
    FIRST_CORE_GROUP,
    FIRST_REVIEW_CONFERENCE,
    SUBSEQUENT_REVIEW_CONFERENCE,
    CIN_PLAN_REVIEW,
)


def standards_for(local_authority_ids: set[int] | list[int]) -> dict[int, dict[str, Standard]]:
    """Every journey standard for each authority, in one query (the catalogue's defaults where not set)."""
    ids = set(local_authority_ids)
    local = {
        (row.local_authority_id, row.code): row
        for row in LocalStandard.objects.filter(local_authority_id__in=ids, code__in=JOURNEY_STANDARDS)
    }
    result: dict[int, dict[str, Standard]] = {}
    for la_id in ids:
        result[la_id] = {}
        for code in JOURNEY_STANDARDS:
            definition = CATALOGUE[code]
            row = local.get((la_id, code))
            if row is None:
                standard = Standard(
                    code, definition.title, definition.amount, definition.unit, definition.source, False
                )
            else:
                standard = Standard(code, definition.title, row.amount, row.unit, definition.source, True)
            result[la_id][code] = standard
    return result


def _standard(local_authority_id: int, code: str, standard: Standard | None) -> Standard:
    if standard is not None:
        if standard.code != code:
            raise ValueError(f"expected the {code} standard, got {standard.code}")
        return standard
    return standard_for(local_authority_id, code)


def assessment_due(assessment: Assessment) -> dt.date:
    """The date the worker set for this assessment: its start plus their timescale in working days.

    Source: Working Together to Safeguard Children (2023) 2.4: the social worker and their manager
    set the timescale by professional judgement, recorded with the reason; no national timescale.
    """
    return add_working_days(assessment.start_date, assessment.timescale_working_days)


def assessment_local_maximum(episode: Episode, standard: Standard | None = None) -> dt.date:
    """The latest date an assessment should finish: referral date + standard ASSESSMENT_MAXIMUM.

    Source: Working Together to Safeguard Children: "no longer than 45 working days from the point
    of referral" (default; shown, not enforced).
    """
    return due_date(_standard(episode.local_authority_id, ASSESSMENT_MAXIMUM, standard), episode.referral_date)


def conference_due(strategy_discussion: StrategyDiscussion, standard: Standard | None = None) -> dt.date:
    """When the initial child protection conference is due: strategy discussion + ICPC_AFTER_STRATEGY.

    Source: Working Together to Safeguard Children: the initial conference within 15 working days
    of the strategy discussion (default).
    `strategy_discussion.episode` is read for its local authority (select_related it in lists).
    """
    la_id = strategy_discussion.episode.local_authority_id
    return due_date(_standard(la_id, ICPC_AFTER_STRATEGY, standard), strategy_discussion.held_on)


def first_core_group_due(plan: ChildProtectionPlan, standard: Standard | None = None) -> dt.date:
    """When the first core group meeting is due: the plan's start (the ICPC) + FIRST_CORE_GROUP.

    Source: Working Together to Safeguard Children: the first core group within 10 working days of
    the initial child protection conference (default).
    """
    return due_date(_standard(plan.episode.local_authority_id, FIRST_CORE_GROUP, standard), plan.start_date)


def next_review_conference_due(
    plan: ChildProtectionPlan,
    last_conference_on: dt.date | None,
    *,
    first: Standard | None = None,
    subsequent: Standard | None = None,
) -> dt.date:
    """When the next review conference is due.

    With no review yet (`last_conference_on` is None or the plan's start, the ICPC): the plan's
    start + FIRST_REVIEW_CONFERENCE; after a review: that review + SUBSEQUENT_REVIEW_CONFERENCE.
    Source: Working Together to Safeguard Children: the first review within three months of the
    initial conference, then at intervals of no more than six months (defaults).
    """
    la_id = plan.episode.local_authority_id
    if last_conference_on is None or last_conference_on <= plan.start_date:
        return due_date(_standard(la_id, FIRST_REVIEW_CONFERENCE, first), plan.start_date)
    return due_date(_standard(la_id, SUBSEQUENT_REVIEW_CONFERENCE, subsequent), last_conference_on)


def cin_plan_review_due(
    plan: ChildInNeedPlan, last_review_on: dt.date | None, standard: Standard | None = None
) -> dt.date:
    """When the child in need plan is next due for review: the last review (or the plan's start)
    + CIN_PLAN_REVIEW.

    Source: local practice standard (default three months); Working Together asks that child in
    need plans are reviewed regularly, without a national interval.
    """
    start = last_review_on if last_review_on is not None and last_review_on > plan.start_date else plan.start_date
    return due_date(_standard(plan.episode.local_authority_id, CIN_PLAN_REVIEW, standard), start)


def days_overdue(due_on: dt.date, today: dt.date) -> int:
    """Calendar days past the due date (0 when not yet overdue). Due today is not overdue."""
    return max(0, (today - due_on).days)
