"""Synthetic serious incidents for a generated area (synthetic.derived calls `fill`; ADRs 0022, 0027).

Three incidents at different stages: one whose rapid review found no need for a local review and whose learning
is published; one with a local child safeguarding practice review under way (key practice episodes, findings,
a root cause analysis, recommendations and actions, some overdue); and one the partnership became aware of
recently and has not yet notified to the national panel (overdue). Each links a child of the area, as the
notifying worker would; the pages show who only to those whom need-to-know allows. Rows are written directly
(not through the services) and are deterministic for the rng. Call inside transaction.atomic().
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

from safeguarding.accounts.models import Membership
from safeguarding.accounts.roles import Role
from safeguarding.organisations.models import Organisation, OrganisationType, Partnership
from safeguarding.people.codes import PersonKind
from safeguarding.people.models import Person

from .codes import ActionStatus, FactorDomain, Pattern, ReviewDecision
from .models import Action, Finding, PracticeEpisode, Recommendation, RootCauseAnalysis, SeriousIncident

AGENCIES = "Children's social care\nPolice public protection unit\nHospital trust safeguarding team\nSchool"

EPISODES = (
    (
        "A health visitor's new-birth visit was rearranged twice and then closed as 'no access'.",
        "The service had a backlog and a policy of closing after two failed visits; the family had moved once before.",
        "Caseload pressure; no prompt to check with children's social care before closing.",
    ),
    (
        "The school reported worsening attendance and a bruise to the MASH; the contact was closed with advice.",
        "The account given was plausible and the child had no previous referral in this authority.",
        "The previous authority's history was not requested; the threshold document was read as a checklist.",
    ),
    (
        "The emergency department treated an injury to the younger sibling without a safeguarding referral.",
        "The injury was minor and consistent with the explanation; the department was at full capacity.",
        "No routine check of the child protection flag for siblings; locum staff unfamiliar with the pathway.",
    ),
)
FINDINGS = (
    (
        Pattern.MULTI_AGENCY_LONGER_TERM,
        "Agencies each held part of the picture and no one brought it together.",
        "Three agencies' records show concerns within eight weeks; none knew of the others'.",
        "How does the partnership know that concerns are shared when no single one meets the threshold?",
    ),
    (
        Pattern.TOOLS,
        "The 'no access' closure rule treats missed visits as a reason to stop rather than to ask.",
        "Health visiting policy, section 4.2; two similar closures found in the audit sample.",
        "Should a missed visit to a new baby prompt a check with other agencies?",
    ),
)
RECOMMENDATIONS = (
    (
        "Health and children's social care agree a pathway for families who cannot be seen.",
        (
            ("Revise the health visiting 'no access' policy", "NHS_TRUST", "Head of health visiting"),
            ("Brief every health visiting team on the new pathway", "NHS_TRUST", "Named nurse"),
        ),
    ),
    (
        "The front door requests history from a previous authority for every child new to the area.",
        (
            ("Add the previous-authority check to MASH screening", "LOCAL_AUTHORITY", "MASH team manager"),
            ("Audit 20 contacts for the previous-authority check", "LOCAL_AUTHORITY", "Quality assurance lead"),
        ),
    ),
    (
        "Emergency departments check the flag and household of every injured child under two.",
        (("Add sibling and flag checks to the triage record", "NHS_TRUST", "Named doctor"),),
    ),
)


def fill(partnership: Partnership, *, rng: random.Random, as_of: dt.date, now: dt.datetime) -> Counter[str]:
    """Write the three incidents of one partnership (nothing if it has any, or no partnership manager)."""
    counts: Counter[str] = Counter()
    if SeriousIncident.objects.filter(partnership=partnership).exists():
        return counts
    manager = (
        Membership.objects.filter(
            role=Role.PARTNERSHIP_MANAGER,
            organisation_id__in=[
                partnership.local_authority_id,
                *partnership.organisations.values_list("id", flat=True),
            ],
        )
        .order_by("id")
        .first()
    )
    if manager is None:
        return counts
    children = list(
        Person.objects.filter(local_authority=partnership.local_authority, kind=PersonKind.CHILD, is_restricted=False)
        .order_by("id")
        .values_list("id", flat=True)[:200]
    )
    agencies = _agencies(partnership)
    year = as_of.year

    def incident(reference: str, aware_ago: int, summary: str) -> SeriousIncident:
        made = SeriousIncident.objects.create(
            partnership=partnership,
            reference=f"SI-{year}-{reference}",
            aware_on=as_of - dt.timedelta(days=aware_ago),
            summary=summary,
            created_at=now,
            created_by_id=manager.user_id,
        )
        if children:
            made.children.set([rng.choice(children)])
        counts["serious incidents"] += 1
        return made

    published = incident(
        "01", 150, "A child aged 9 was admitted to hospital after an overdose of a parent's medication."
    )
    _steps(published, rapid_review=True, decision=ReviewDecision.NO_LCSPR, sent=True)
    published.published_on = published.aware_on + dt.timedelta(days=70)
    published.learning_briefing = (
        "Seven-minute briefing: safe storage of medicines in families where a parent has a mental health need."
    )
    published.save()
    counts.update(_learning(published, rng, as_of, agencies, recommendations=RECOMMENDATIONS[2:], depth=1))

    review = incident("02", 190, "A baby aged 4 months suffered serious head injuries; both parents are on bail.")
    _steps(review, rapid_review=True, decision=ReviewDecision.LCSPR, sent=True)
    review.review_commissioned_on = review.aware_on + dt.timedelta(days=45)
    review.reviewer = "Independent lead reviewer (synthetic)"
    review.save()
    counts.update(_learning(review, rng, as_of, agencies, recommendations=RECOMMENDATIONS[:2], depth=3))

    incident("03", 9, "A child aged 14 was seriously injured in an assault; exploitation is suspected.")
    return counts


def _agencies(partnership: Partnership) -> dict[str, Organisation]:
    """The first member of each type that owns actions (the council, an NHS trust)."""
    found: dict[str, Organisation] = {OrganisationType.LOCAL_AUTHORITY: partnership.local_authority}
    for org in partnership.organisations.filter(type=OrganisationType.NHS_TRUST).order_by("id"):
        found.setdefault(org.type, org)
    return found


def _steps(incident: SeriousIncident, *, rapid_review: bool, decision: str, sent: bool) -> None:
    """The statutory steps, each in time (notification in 2 days, the rapid review in 12)."""
    incident.notified_on = incident.aware_on + dt.timedelta(days=2)
    if rapid_review:
        incident.rapid_review_held_on = incident.aware_on + dt.timedelta(days=12)
        incident.rapid_review_agencies = AGENCIES
        incident.decision = decision
        incident.decision_rationale = (
            "The criteria for a local review are met: there is potential for national and local learning."
            if decision == ReviewDecision.LCSPR
            else "The rapid review identified the learning; a local review would add little."
        )
    if sent:
        incident.sent_to_panel_on = incident.aware_on + dt.timedelta(days=14)
    incident.save()


def _learning(
    incident: SeriousIncident,
    rng: random.Random,
    as_of: dt.date,
    agencies: dict[str, Organisation],
    *,
    recommendations: tuple[tuple[str, tuple[tuple[str, str, str], ...]], ...],
    depth: int,
) -> Counter[str]:
    counts: Counter[str] = Counter()
    episodes = [
        PracticeEpisode(
            incident=incident,
            occurred_on=incident.aware_on - dt.timedelta(days=120 - 35 * n),
            what_happened=what,
            why_it_made_sense=why,
            contributory_factors=factors,
        )
        for n, (what, why, factors) in enumerate(EPISODES[:depth])
    ]
    PracticeEpisode.objects.bulk_create(episodes)
    findings = [
        Finding(incident=incident, pattern=pattern, statement=statement, evidence=evidence, question_for_partnership=q)
        for pattern, statement, evidence, q in FINDINGS[: max(1, depth - 1)]
    ]
    Finding.objects.bulk_create(findings)
    if depth > 1:
        RootCauseAnalysis.objects.create(
            incident=incident,
            problem="The injured sibling was discharged without a safeguarding referral.",
            domain=FactorDomain.TASK,
            whys=[
                "The triage record did not prompt a household check.",
                "The prompt was removed when the record was redesigned.",
                "Safeguarding was not consulted on the redesign.",
            ],
            root_cause="Changes to clinical records are not reviewed for their safeguarding prompts.",
        )
        counts["root cause analyses"] += 1
    started = incident.rapid_review_held_on or incident.aware_on
    for text, actions in recommendations:
        recommendation = Recommendation.objects.create(incident=incident, text=text)
        counts["recommendations"] += 1
        for n, (description, org_type, owner) in enumerate(actions):
            due_on = started + dt.timedelta(days=rng.randint(60, 240))
            done = due_on < as_of and rng.random() < 0.4
            if n == 0 and depth > 1:  # the review's first action on each recommendation has slipped
                due_on, done = as_of - dt.timedelta(days=rng.randint(10, 60)), False
            status = ActionStatus.DONE if done else rng.choice((ActionStatus.OPEN, ActionStatus.IN_PROGRESS))
            Action.objects.create(
                recommendation=recommendation,
                description=description,
                owner_organisation=agencies.get(org_type, incident.partnership.local_authority),
                owner_name=owner,
                due_on=due_on,
                status=status,
                evidence="Reported to the partnership's learning and improvement group" if done else "",
                completed_on=min(due_on, as_of) if done else None,
            )
            counts["serious incident actions"] += 1
    counts["key practice episodes"] += len(episodes)
    counts["findings"] += len(findings)
    return counts
