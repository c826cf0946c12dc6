"""The named timescales the system knows, with their defaults and statutory sources.

Munro recommended removing rigid national timescales, so each is a local standard: shown,
measured and reported, set per local authority, and never used to block practice.
Sources: ../shared/reference/domain.md §5.3-5.4 (Working Together to Safeguard Children).
"""

from __future__ import annotations

from dataclasses import dataclass

from .models import Unit


@dataclass(frozen=True)
class StandardDefinition:
    code: str
    title: str
    amount: int
    unit: str
    source: str


CATALOGUE: dict[str, StandardDefinition] = {
    d.code: d
    for d in [
        StandardDefinition(
            "CONTACT_DECISION",
            "Decision on a contact or referral",
            1,
            Unit.WORKING_DAYS,
            "Working Together to Safeguard Children: decision on the type of response within one working day",
        ),
        StandardDefinition(
            "MASH_INFORMATION_REQUEST",
            "Partner reply to a MASH information request",
            4,
            Unit.HOURS,
            "Local MASH protocol (no national timescale)",
        ),
        StandardDefinition(
            "ASSESSMENT_MAXIMUM",
            "Single assessment, local maximum from referral",
            45,
            Unit.WORKING_DAYS,
            "Working Together to Safeguard Children: no longer than 45 working days from the point of referral",
        ),
        StandardDefinition(
            "ICPC_AFTER_STRATEGY",
            "Initial child protection conference after the strategy discussion",
            15,
            Unit.WORKING_DAYS,
            "Working Together to Safeguard Children: within 15 working days of the strategy discussion",
        ),
        StandardDefinition(
            "FIRST_CORE_GROUP",
            "First core group meeting after the initial conference",
            10,
            Unit.WORKING_DAYS,
            "Working Together to Safeguard Children: within 10 working days of the initial conference",
        ),
        StandardDefinition(
            "FIRST_REVIEW_CONFERENCE",
            "First review conference after the initial conference",
            3,
            Unit.MONTHS,
            "Working Together to Safeguard Children: within three months of the initial conference",
        ),
        StandardDefinition(
            "SUBSEQUENT_REVIEW_CONFERENCE",
            "Later review conferences",
            6,
            Unit.MONTHS,
            "Working Together to Safeguard Children: at intervals of no more than six months",
        ),
        StandardDefinition(
            "CIN_PLAN_REVIEW",
            "Child in need plan review",
            3,
            Unit.MONTHS,
            "Local practice standard",
        ),
        StandardDefinition(
            "NOTIFIABLE_INCIDENT",
            "Notification of a serious incident to the national panel",
            5,
            Unit.WORKING_DAYS,
            "Working Together to Safeguard Children: within five working days of becoming aware",
        ),
        StandardDefinition(
            "RAPID_REVIEW",
            "Rapid review after a serious incident notification",
            15,
            Unit.WORKING_DAYS,
            "Working Together to Safeguard Children: within 15 working days of becoming aware",
        ),
        StandardDefinition(
            "ACCESS_AFTER_CLOSURE",
            "Allocated worker and team keep access after an episode closes",
            1,
            Unit.MONTHS,
            "Local information-governance policy: need-to-know ends with the work (UK GDPR Art 5(1)(c)); "
            "time to finish the record",
        ),
        StandardDefinition(
            "CP_FLAG_RETENTION",
            "Child protection flag visible after it ends",
            12,
            Unit.MONTHS,
            "Local setting modelled on CP-IS practice",
        ),
    ]
}
