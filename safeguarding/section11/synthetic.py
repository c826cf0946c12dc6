"""Synthetic section 11 audits for a generated area (synthetic.derived calls `fill`; ADRs 0023, 0027).

Two cycles: last year's, moderated, with its actions mostly complete; and this year's, in moderation, where
most member organisations have submitted (a few are still drafts), the partnership has agreed some ratings
and challenged others (some answered), and red and amber ratings have actions, some overdue. Rows are bulk
written (like the rest of the generator, not through the services) and deterministic for the rng. Call
inside transaction.atomic().
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

from safeguarding.accounts.models import Membership
from safeguarding.accounts.roles import Role
from safeguarding.organisations.models import Organisation, Partnership

from . import catalogue
from .access import members
from .models import Action, ActionStatus, Assessment, AssessmentStatus, Cycle, Rag, Rating, Standard

EVIDENCE: dict[str, tuple[str, ...]] = {
    Rag.GREEN: (
        "Board minutes show the safeguarding lead's quarterly report; policy reviewed this year.",
        "Audit of supervision records: standard met in every team sampled.",
        "Published on the intranet and covered in induction; staff survey shows awareness.",
        "Named lead in post with protected time; annual report to the board.",
    ),
    Rag.AMBER: (
        "Policy in place but overdue for review; revision drafted.",
        "Most staff trained; gaps in the bank and agency workforce.",
        "Arrangements exist but are not yet audited for effectiveness.",
        "Lead in post on an interim basis; substantive recruitment under way.",
    ),
    Rag.RED: (
        "No audit of this standard in the last two years.",
        "Safer recruitment checks not evidenced for volunteers.",
        "Children's views are not collected in a systematic way.",
    ),
}
CHALLENGES = (
    "Please send the audit report that supports this rating.",
    "The evidence describes the policy but not how it is checked in practice: is green right?",
    "How do you know agency staff have the training?",
)
RESPONSES = (
    "Audit report attached to the evidence library (ref. S11-14).",
    "Agreed: we would accept amber until the practice audit in the spring.",
)
ACTIONS = (
    ("Review and republish the safeguarding policy", "Head of safeguarding"),
    ("Audit supervision records in two teams", "Quality assurance lead"),
    ("Train bank and agency staff to level 2", "Workforce development manager"),
    ("Add safer recruitment checks for volunteers", "HR business partner"),
    ("Collect children's views in service reviews", "Participation officer"),
    ("Report safeguarding performance to the board quarterly", "Director of nursing"),
    ("Appoint a substantive named lead", "Chief executive"),
)
ASSESSORS = (Role.TEAM_MANAGER, Role.DESIGNATED_PROFESSIONAL, Role.NAMED_PROFESSIONAL)


def fill(partnership: Partnership, *, rng: random.Random, as_of: dt.date, now: dt.datetime) -> Counter[str]:
    """Write both cycles of one partnership (nothing if it already has a cycle). Returns counts of rows written."""
    counts: Counter[str] = Counter()
    if Cycle.objects.filter(partnership=partnership).exists():
        return counts
    standards = _standards(partnership)
    organisations = members(partnership)
    assessors = {
        m.organisation_id: m.user_id
        for m in Membership.objects.filter(organisation__in=organisations, role__in=ASSESSORS, is_active=True).order_by(
            "-id"
        )
    }
    year = as_of.year if as_of.month >= 4 else as_of.year - 1  # the financial year the current cycle runs in
    last = _cycle(partnership, f"{year - 1} to {year}", as_of - dt.timedelta(days=520), now, standards)
    this = _cycle(partnership, f"{year} to {year + 1}", as_of - dt.timedelta(days=150), now, standards)
    counts["section 11 cycles"] = 2
    for cycle, current in ((last, False), (this, True)):
        written = _assessments(cycle, organisations, standards, assessors, rng, as_of, now, current=current)
        counts.update(written)
    return counts


def _standards(partnership: Partnership) -> list[Standard]:
    if not Standard.objects.filter(partnership=partnership).exists():
        Standard.objects.bulk_create(
            Standard(partnership=partnership, number=n, title=title, text=text, source=catalogue.SOURCE)
            for n, (title, text) in enumerate(catalogue.DEFAULT_STANDARDS, start=1)
        )
    return list(Standard.objects.filter(partnership=partnership, is_active=True).order_by("number"))


def _cycle(
    partnership: Partnership, name: str, opens_on: dt.date, now: dt.datetime, standards: list[Standard]
) -> Cycle:
    cycle = Cycle.objects.create(
        partnership=partnership,
        name=name,
        opens_on=opens_on,
        self_assessment_due_on=opens_on + dt.timedelta(days=90),
        moderation_due_on=opens_on + dt.timedelta(days=180),
        created_at=now,
    )
    cycle.standards.set(standards)
    return cycle


def _at(day: dt.date, now: dt.datetime) -> dt.datetime:
    return now.replace(year=day.year, month=day.month, day=day.day)


def _assessments(
    cycle: Cycle,
    organisations: list[Organisation],
    standards: list[Standard],
    assessors: dict[int, int],
    rng: random.Random,
    as_of: dt.date,
    now: dt.datetime,
    *,
    current: bool,
) -> Counter[str]:
    counts: Counter[str] = Counter()
    submitted_on = cycle.self_assessment_due_on - dt.timedelta(days=10)
    moderated_on = min(cycle.moderation_due_on, as_of - dt.timedelta(days=5))
    assessments = []
    for org in organisations:
        draw = rng.random()
        if current and draw < 0.15:
            status = AssessmentStatus.DRAFT
        elif current and draw < 0.6:
            status = AssessmentStatus.SUBMITTED
        else:
            status = AssessmentStatus.MODERATED
        assessments.append(
            Assessment(
                cycle=cycle,
                organisation=org,
                status=status,
                submitted_at=None
                if status == AssessmentStatus.DRAFT
                else _at(submitted_on - dt.timedelta(days=rng.randint(0, 20)), now),
                submitted_by_id=None if status == AssessmentStatus.DRAFT else assessors.get(org.id),
                moderated_at=_at(moderated_on, now) if status == AssessmentStatus.MODERATED else None,
            )
        )
    Assessment.objects.bulk_create(assessments)
    ratings: list[Rating] = []
    actions: list[Action] = []
    for assessment in assessments:
        strength = rng.random()  # some organisations are stronger than others across the standards
        draft = assessment.status == AssessmentStatus.DRAFT
        rated = rng.randint(0, len(standards) - 1) if draft else len(standards)
        for n, standard in enumerate(standards):
            rating = Rating(assessment=assessment, standard=standard)
            if n < rated:
                rag = _rag(rng, strength, improving=current)
                rating.rag, rating.evidence = rag, rng.choice(EVIDENCE[rag])
            if not draft:
                _moderate(rating, assessment, rng, now)
            ratings.append(rating)
            final = rating.agreed_rag or rating.rag
            if not draft and final in (Rag.RED, Rag.AMBER) and rng.random() < (0.6 if final == Rag.RED else 0.35):
                actions.append(_action(assessment, standard, rng, as_of, now, current=current))
    Rating.objects.bulk_create(ratings)
    Action.objects.bulk_create(actions)
    counts["section 11 self-assessments"] += len(assessments)
    counts["section 11 ratings"] += len(ratings)
    counts["section 11 actions"] += len(actions)
    return counts


def _rag(rng: random.Random, strength: float, *, improving: bool) -> str:
    draw = rng.random() * (0.85 + 0.3 * strength) + (0.05 if improving else 0)
    if draw < 0.12:
        return Rag.RED
    if draw < 0.42:
        return Rag.AMBER
    return Rag.GREEN


def _moderate(rating: Rating, assessment: Assessment, rng: random.Random, now: dt.datetime) -> None:
    """The partnership's challenge and agreed RAG: all agreed once moderated; some challenged before that."""
    if assessment.status == AssessmentStatus.MODERATED:
        rating.agreed_rag = rating.rag
        if rating.rag == Rag.GREEN and rng.random() < 0.12:  # challenged, and agreed one step lower
            rating.challenge, rating.challenged_at = rng.choice(CHALLENGES), assessment.moderated_at
            rating.response, rating.responded_at = rng.choice(RESPONSES), assessment.moderated_at
            rating.agreed_rag = Rag.AMBER
        rating.agreed_at = assessment.moderated_at
        return
    draw = rng.random()
    if draw < 0.3:
        rating.agreed_rag, rating.agreed_at = rating.rag, now
    elif draw < 0.45:
        rating.challenge, rating.challenged_at = rng.choice(CHALLENGES), now
        if rng.random() < 0.5:
            rating.response, rating.responded_at = rng.choice(RESPONSES), now


def _action(
    assessment: Assessment, standard: Standard, rng: random.Random, as_of: dt.date, now: dt.datetime, *, current: bool
) -> Action:
    description, owner = rng.choice(ACTIONS)
    if current:
        due_on = as_of + dt.timedelta(days=rng.randint(-75, 150))
        done = due_on < as_of and rng.random() < 0.45
    else:
        due_on = as_of - dt.timedelta(days=rng.randint(100, 330))
        done = rng.random() < 0.85
    completed_on = min(due_on - dt.timedelta(days=rng.randint(-20, 30)), as_of) if done else None
    return Action(
        assessment=assessment,
        standard=standard,
        description=description,
        owner=owner,
        due_on=due_on,
        evidence="Completed; evidence filed with the partnership business unit" if done else "",
        status=ActionStatus.COMPLETE if done else ActionStatus.OPEN,
        completed_on=completed_on,
        created_at=now,
    )
