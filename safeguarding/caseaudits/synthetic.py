"""Synthetic case audits for a generated area, so the demo shows a partnership auditing practice (ADR 0026).

`fill` writes one closed audit (neglect, four months ago: graded, moderated, themed, with actions some of
which are done) and one in progress (domestic abuse: some gradings still to do, a grade still to moderate),
drawn from the live synthetic record through the services, so every row (and the auditors' time-limited
access) is made and audited exactly as the pages would. Deterministic for the rng and the record. Safe to
call more than once and for a partnership with no children, no manager or no auditors: it then writes nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Sequence

from django.db import transaction

from safeguarding.accounts.models import Membership, User
from safeguarding.accounts.principal import Principal
from safeguarding.accounts.roles import Role
from safeguarding.audit.models import Channel
from safeguarding.organisations.models import Partnership

from . import catalogue, sampling, services
from .codes import ActionStatus, Cohort, FindingKind
from .models import Assignment, AuditCase, AuditTool, CaseAudit, Grade, Question
from .queries import moderation_needed

CASES = 6
AUDITORS_PER_CASE = 3

FINDINGS: dict[str, tuple[tuple[str, str, str, int | None], ...]] = {
    # (tag, kind, text, question number)
    "neglect": (
        ("father not seen", FindingKind.IMPROVE, "The child's father was named but never spoken to.", 5),
        ("drift in plan", FindingKind.IMPROVE, "The plan's actions carried over three reviews without change.", 11),
        ("lived experience", FindingKind.STRENGTH, "Visits describe the home and the child's day in detail.", 2),
        ("health at core group", FindingKind.IMPROVE, "The health visitor was not invited to two core groups.", 7),
        ("prompt sharing", FindingKind.STRENGTH, "School shared attendance concerns within a day.", 6),
        ("chronology not used", FindingKind.IMPROVE, "The assessment lists events but does not weigh the pattern.", 3),
    ),
    "domestic abuse": (
        ("child not seen alone", FindingKind.IMPROVE, "The child was always seen with the non-abusing parent.", 1),
        ("police notifications", FindingKind.STRENGTH, "Police notifications reached the front door the next day.", 6),
        ("perpetrator not assessed", FindingKind.IMPROVE, "Risk from the mother's partner was not assessed.", 5),
        ("supervision reflective", FindingKind.STRENGTH, "Supervision changed the plan after a new incident.", 9),
    ),
}
THEMES = {
    "neglect": (
        ("Men in the child's life are not assessed", ("father not seen",)),
        ("Plans drift without escalation", ("drift in plan", "chronology not used")),
        ("Health partners left out of core groups", ("health at core group",)),
    ),
    "domestic abuse": (("The child's own experience of abuse is not heard", ("child not seen alone",)),),
}
ACTIONS = {
    "Men in the child's life are not assessed": "Practice briefing and audit of fathers' involvement in assessments",
    "Plans drift without escalation": "Add a 'no change after two reviews' escalation step to the CP procedures",
    "Health partners left out of core groups": "Core group invitations to go to the health safeguarding inbox",
    "The child's own experience of abuse is not heard": "Seen-alone prompt in the domestic abuse visit template",
}


def fill(*, partnership: Partnership, today: dt.date, now: dt.datetime, rng: random.Random) -> int:
    """Create the two audits; returns the number of rows written (0 when there was nothing to do)."""
    if CaseAudit.objects.filter(partnership=partnership).exists():
        return 0
    catalogue.install(now=now)
    manager = _manager(partnership)
    # The partnership's own managers moderate; the auditors come from the agencies' practice leads.
    auditors = [u for u, m in services.eligible_auditors(partnership) if m.role != Role.PARTNERSHIP_MANAGER]
    if manager is None or len(auditors) < 2:
        return 0
    tool = AuditTool.objects.get(partnership=None, name=catalogue.DEFAULT_TOOL)
    written = 0
    with transaction.atomic():
        written += _closed_audit(partnership, manager, auditors, tool, today, now, rng)
        written += _open_audit(partnership, manager, auditors, tool, today, now, rng)
    return written


def _manager(partnership: Partnership) -> Principal | None:
    agencies = [o.pk for o in services.members(partnership)]
    membership = (
        Membership.objects.filter(role=Role.PARTNERSHIP_MANAGER, is_active=True, organisation_id__in=agencies)
        .select_related("user", "organisation", "team")
        .order_by("id")
        .first()
    )
    if membership is None:
        return None
    return Principal(user=membership.user, membership=membership, channel=Channel.COMMAND, request_id="synthetic")


def _as(user: User) -> Principal:
    membership = services.auditor_membership(user)
    return Principal(user=user, membership=membership, channel=Channel.COMMAND, request_id="synthetic")


def _cohort(
    partnership: Partnership, from_on: dt.date, to_on: dt.date, wanted: Sequence[tuple[str, str]]
) -> tuple[str, str]:
    for cohort, category in wanted:
        if len(sampling.eligible(partnership, cohort=cohort, from_on=from_on, to_on=to_on, category=category)) >= 2:
            return cohort, category
    for cohort, category in wanted:
        if sampling.eligible(partnership, cohort=cohort, from_on=from_on, to_on=to_on, category=category):
            return cohort, category
    return "", ""


def _start(
    partnership: Partnership,
    manager: Principal,
    tool: AuditTool,
    *,
    reference: str,
    title: str,
    theme: str,
    at: dt.datetime,
    ends_on: dt.date,
    wanted: Sequence[tuple[str, str]],
    rng: random.Random,
) -> CaseAudit | None:
    day = at.date()
    from_on, to_on = day - dt.timedelta(days=365), day - dt.timedelta(days=1)
    cohort, category = _cohort(partnership, from_on, to_on, wanted)
    if not cohort:
        return None
    audit = services.create_audit(
        partnership=partnership,
        principal=manager,
        now=at,
        reference=reference,
        title=title,
        theme=theme,
        tool=tool,
        cohort=cohort,
        category=category,
        from_on=from_on,
        to_on=to_on,
        sample_size=CASES,
        ends_on=ends_on,
    )
    services.draw_sample(audit_=audit, principal=manager, now=at, seed=rng.randrange(10**9))
    audit.refresh_from_db()
    return audit


def _assign(
    manager: Principal, case: AuditCase, auditors: list[User], at: dt.datetime, rng: random.Random
) -> list[Assignment]:
    """Up to three auditors of different agencies, skipping anyone who works with the child."""
    chosen: list[Assignment] = []
    agencies: set[int] = set()
    for user in rng.sample(auditors, len(auditors)):
        membership = services.auditor_membership(user)
        if membership is None or membership.organisation_id in agencies:
            continue
        try:
            with transaction.atomic():
                chosen.append(services.assign_auditor(case=case, principal=manager, now=at, auditor=user))
        except services.CaseAuditError:
            continue
        agencies.add(membership.organisation_id)
        if len(chosen) == AUDITORS_PER_CASE:
            break
    return chosen


def _grade(
    assignment: Assignment,
    questions: list[Question],
    grades: list[Grade],
    quality: int,
    at: dt.datetime,
    rng: random.Random,
) -> int:
    top = len(grades)
    answers = {}
    for q in questions:
        shift = rng.choices([0, -1, 1, 2], weights=[78, 9, 9, 4])[0]
        rank = min(top, max(1, quality + shift))
        answers[q.pk] = (grades[rank - 1].pk, "")
    overall = grades[min(top, max(1, quality + rng.choice([0, 0, 1, -1]))) - 1]
    services.save_grading(
        assignment=assignment,
        principal=_as(assignment.auditor),
        now=at,
        answers=answers,
        overall_grade_id=overall.pk,
        agency_view=(
            f"{assignment.organisation.name}: practice was {overall.label.lower()} overall; "
            "see the comments for what made the difference."
        ),
        submit=True,
    )
    return len(answers)


def _findings(
    assignments: list[Assignment], theme: str, questions: list[Question], at: dt.datetime, rng: random.Random
) -> int:
    by_number = {q.number: q for q in questions}
    written = 0
    for assignment in assignments:
        ranks = dict(assignment.answers.values_list("question__number", "grade__rank"))
        pool = [row for row in FINDINGS[theme] if _fits(ranks, row[1], row[3])]
        for tag, kind, text, number in rng.sample(pool, min(2, len(pool))):
            services.add_finding(
                assignment=assignment,
                principal=_as(assignment.auditor),
                now=at,
                kind=kind,
                tag=tag,
                text=f"Case {assignment.case.reference}: {text}",
                question=by_number.get(number) if number else None,
            )
            written += 1
    return written


def _fits(ranks: dict[int, int], kind: str, number: int | None) -> bool:
    """Auditors raise strengths where they graded well and areas for improvement where they did not."""
    rank = ranks.get(number) if number else None
    return rank is None or (rank <= 2) == (kind == FindingKind.STRENGTH)


def _moderate_all(manager: Principal, cases: list[AuditCase], grades: list[Grade], at: dt.datetime) -> int:
    from .models import Answer

    written = 0
    for case in cases:
        for question_id in sorted(moderation_needed(case)):
            ranks = sorted(
                Answer.objects.filter(
                    assignment__case=case, question_id=question_id, assignment__submitted_at__isnull=False
                ).values_list("grade__rank", flat=True)
            )
            agreed = grades[ranks[len(ranks) // 2] - 1]
            services.moderate(
                case=case,
                principal=manager,
                now=at,
                question=Question.objects.get(pk=question_id),
                agreed_grade=agreed,
                rationale="Agreed at the moderation panel after hearing each agency's reasons.",
            )
            written += 1
    return written


def _themes(
    manager: Principal, audit: CaseAudit, theme: str, at: dt.datetime, today: dt.date, rng: random.Random, done: bool
) -> int:
    from .models import Finding

    written = 0
    agencies = services.members(audit.partnership)
    for n, (title, tags) in enumerate(THEMES[theme]):
        findings = list(
            Finding.objects.filter(assignment__case__audit=audit, tag__in=tags).select_related("assignment")
        )
        if not findings:
            continue
        made = services.create_theme(audit_=audit, principal=manager, now=at, title=title, findings=findings)
        raised = Counter(f.assignment.organisation_id for f in findings)
        owner = max(agencies, key=lambda o: (raised.get(o.pk, 0), -o.pk))
        lead = (
            Membership.objects.filter(organisation=owner, is_active=True)
            .exclude(role=Role.PARTNERSHIP_MANAGER)
            .select_related("user")
            .order_by("id")
            .first()
        )
        due_on = at.date() + dt.timedelta(days=rng.choice([45, 60, 90, 120]))
        action = services.add_action(
            theme=made,
            principal=manager,
            now=at,
            description=ACTIONS[title],
            owner_organisation=owner,
            owner_name=lead.user.get_full_name() if lead else "Safeguarding lead",
            due_on=due_on,
        )
        written += 2
        if done and n % 2 == 0 and due_on <= today:
            services.update_action(
                action=action,
                principal=manager,
                now=dt.datetime.combine(due_on, at.timetz()),
                status=ActionStatus.DONE,
                evidence="Briefing delivered and re-audit of ten cases showed the change.",
                completed_on=due_on,
            )
    return written


def _closed_audit(
    partnership: Partnership,
    manager: Principal,
    auditors: list[User],
    tool: AuditTool,
    today: dt.date,
    now: dt.datetime,
    rng: random.Random,
) -> int:
    start = now - dt.timedelta(days=120)
    audit = _start(
        partnership,
        manager,
        tool,
        reference=f"NEG-{start:%y}",
        title="Neglect: children on child protection plans",
        theme="neglect",
        at=start,
        ends_on=start.date() + dt.timedelta(days=70),
        wanted=[(Cohort.CP_PLAN, "NEG"), (Cohort.CP_PLAN, ""), (Cohort.OPEN_EPISODE, "")],
        rng=rng,
    )
    if audit is None:
        return 0
    return _run(partnership, manager, auditors, audit, "neglect", start, today, rng, close=True)


def _open_audit(
    partnership: Partnership,
    manager: Principal,
    auditors: list[User],
    tool: AuditTool,
    today: dt.date,
    now: dt.datetime,
    rng: random.Random,
) -> int:
    start = now - dt.timedelta(days=20)
    audit = _start(
        partnership,
        manager,
        tool,
        reference=f"DA-{start:%y}",
        title="Domestic abuse: children in open social care episodes",
        theme="domestic abuse",
        at=start,
        ends_on=today + dt.timedelta(days=40),
        wanted=[(Cohort.OPEN_EPISODE, ""), (Cohort.CIN_PLAN, ""), (Cohort.CP_PLAN, "")],
        rng=rng,
    )
    if audit is None:
        return 0
    return _run(partnership, manager, auditors, audit, "domestic abuse", start, today, rng, close=False)


def _run(
    partnership: Partnership,
    manager: Principal,
    auditors: list[User],
    audit: CaseAudit,
    theme: str,
    start: dt.datetime,
    today: dt.date,
    rng: random.Random,
    *,
    close: bool,
) -> int:
    questions = list(audit.tool.questions.order_by("number"))
    grades = list(Grade.objects.filter(scale_id=audit.tool.scale_id).order_by("rank"))
    cases = list(audit.cases.select_related("audit").order_by("number"))
    written = len(cases)
    graded_at = start + dt.timedelta(days=14)
    for case in cases:
        assignments = _assign(manager, case, auditors, start + dt.timedelta(days=1), rng)
        written += len(assignments)
        quality = rng.choices([1, 2, 3, 4], weights=[10, 40, 35, 15])[0]
        submitted = []
        for assignment in assignments:
            if close or rng.random() < 0.6:
                written += _grade(assignment, questions, grades, quality, graded_at, rng)
                submitted.append(assignment)
        written += _findings(submitted, theme, questions, graded_at, rng)
    included = cases
    if close and len(cases) > 3:
        included = cases[:-1]
        services.exclude_case(
            case=cases[-1],
            principal=manager,
            now=graded_at,
            reason="The family moved to another authority during the audit; the record is with them now.",
        )
    moderated_at = start + dt.timedelta(days=40)
    if close:
        written += _moderate_all(manager, included, grades, moderated_at)
    written += _themes(manager, audit, theme, moderated_at, today, rng, done=close)
    if close:
        try:
            services.close_audit(
                audit_=audit,
                principal=manager,
                now=start + dt.timedelta(days=60),
                summary=(
                    "Practice was mostly good or requiring improvement. Strengths: prompt sharing by schools and the "
                    "child's daily life described in visits. Themes: men in the child's life, drift, "
                    "health at core groups."
                ),
            )
        except services.CaseAuditError:
            pass
    return written
