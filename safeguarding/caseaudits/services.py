"""Every change to case audits (ADR 0026): keyword-only, principal and now passed in, atomic, audited.

An audit runs PLANNED → IN_PROGRESS (its sample is drawn) → CLOSED. Assigning an auditor grants them an
involvement with the child's record through access.services that lapses on the audit's end date; closing
the audit, excluding the case, or withdrawing the auditor ends it sooner. Audit rows name the audit or the
case, never the child (the involvement's own row, written by access.services, is about the child).
A refused change raises CaseAuditError whose message is safe to show, and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from safeguarding.access import services as access_services
from safeguarding.access.models import Involvement, InvolvementKind
from safeguarding.access.policy import open_involvements
from safeguarding.accounts.models import Membership, User
from safeguarding.accounts.roles import Capability
from safeguarding.audit import services as audit
from safeguarding.casework.codes import AbuseCategory
from safeguarding.organisations.models import Organisation, Partnership
from safeguarding.people.models import Person

from . import sampling
from .codes import ActionStatus, AuditStatus, Cohort, FindingKind
from .models import (
    Action,
    Answer,
    Assignment,
    AuditCase,
    AuditTool,
    CaseAudit,
    Finding,
    Grade,
    GradingScale,
    Moderation,
    Question,
    Theme,
)
from .queries import moderation_needed, pending_moderations

if TYPE_CHECKING:
    from safeguarding.accounts.principal import Principal

MAX_SAMPLE = 60


class CaseAuditError(Exception):
    """A refused change; the message is safe to show. `field` names the form field it belongs to."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def _audit(principal: Principal, action: str, now: dt.datetime, obj: Any, **details: Any) -> None:
    kind = "caseaudits.case" if isinstance(obj, AuditCase) else f"caseaudits.{type(obj).__name__.lower()}"
    audit.record(
        principal=principal,
        action=action,
        at=now,
        object_type=kind,
        object_id=str(obj.public_id),
        details=details or None,
    )


def members(partnership: Partnership) -> list[Organisation]:
    """The partnership's agencies: its local authority and member organisations."""
    ids = {partnership.local_authority_id, *partnership.organisations.values_list("id", flat=True)}
    return list(Organisation.objects.filter(id__in=ids).order_by("name"))


def _is_member(partnership: Partnership, organisation_id: int) -> bool:
    return organisation_id == partnership.local_authority_id or (
        partnership.organisations.filter(pk=organisation_id).exists()
    )


# -- tools and scales ----------------------------------------------------------------------------------


def usable_tools(partnership: Partnership) -> list[AuditTool]:
    mine = Q(partnership=partnership) | Q(partnership__isnull=True)
    return list(AuditTool.objects.filter(mine).select_related("scale").order_by("partnership_id", "name", "id"))


def usable_scales(partnership: Partnership) -> list[GradingScale]:
    mine = Q(partnership=partnership) | Q(partnership__isnull=True)
    return list(GradingScale.objects.filter(mine).order_by("name", "id"))


@transaction.atomic
def create_scale(
    *, partnership: Partnership, principal: Principal, now: dt.datetime, name: str, labels: Sequence[str]
) -> GradingScale:
    grades = [label.strip() for label in labels if label.strip()]
    if not name.strip():
        raise CaseAuditError("Enter a name for the scale", "name")
    if not 2 <= len(grades) <= 7:
        raise CaseAuditError("Enter between 2 and 7 grades, best first, one a line", "grades")
    if len({g.casefold() for g in grades}) != len(grades):
        raise CaseAuditError("Each grade must have a different name", "grades")
    if any(len(g) > 60 for g in grades):
        raise CaseAuditError("Keep each grade under 60 characters", "grades")
    scale = GradingScale.objects.create(partnership=partnership, name=name.strip(), created_at=now)
    Grade.objects.bulk_create([Grade(scale=scale, rank=n, label=label) for n, label in enumerate(grades, 1)])
    _audit(principal, "caseaudits.scale.created", now, scale)
    return scale


@transaction.atomic
def copy_tool(
    *,
    partnership: Partnership,
    principal: Principal,
    now: dt.datetime,
    tool: AuditTool,
    name: str,
    scale: GradingScale | None = None,
) -> AuditTool:
    """A partnership's own editable copy of a tool (the shared default or one of its own)."""
    if tool.partnership_id not in (None, partnership.pk):
        raise CaseAuditError("Choose a tool of this partnership or a shared one")
    scale = scale or tool.scale
    if scale.partnership_id not in (None, partnership.pk):
        raise CaseAuditError("Choose a scale of this partnership or a shared one", "scale")
    if not name.strip():
        raise CaseAuditError("Enter a name for the tool", "name")
    copy = AuditTool.objects.create(
        partnership=partnership,
        name=name.strip(),
        description=tool.description,
        scale=scale,
        copied_from=tool,
        created_at=now,
    )
    Question.objects.bulk_create(
        [
            Question(tool=copy, number=q.number, domain=q.domain, text=q.text, guidance=q.guidance)
            for q in tool.questions.all()
        ]
    )
    _audit(principal, "caseaudits.tool.copied", now, copy, copied_from=str(tool.public_id))
    return copy


def tool_is_locked(tool: AuditTool) -> bool:
    """Shared tools and tools already used by an audit keep their questions (copy the tool to change them)."""
    return tool.partnership_id is None or tool.audits.exists()


@transaction.atomic
def add_question(
    *, tool: AuditTool, principal: Principal, now: dt.datetime, domain: str, text: str, guidance: str = ""
) -> Question:
    tool = AuditTool.objects.select_for_update(of=("self",)).get(pk=tool.pk)
    if tool_is_locked(tool):
        raise CaseAuditError("This tool cannot be changed: it is shared or already used by an audit. Copy it first.")
    if not domain.strip():
        raise CaseAuditError("Enter the domain the question belongs to", "domain")
    if not text.strip():
        raise CaseAuditError("Enter the question", "text")
    number = (tool.questions.aggregate(n=Max("number"))["n"] or 0) + 1
    question = Question.objects.create(
        tool=tool, number=number, domain=domain.strip(), text=text.strip(), guidance=guidance.strip()
    )
    _audit(principal, "caseaudits.tool.question-added", now, tool, number=number)
    return question


# -- audits and samples --------------------------------------------------------------------------------


@transaction.atomic
def create_audit(
    *,
    partnership: Partnership,
    principal: Principal,
    now: dt.datetime,
    reference: str,
    title: str,
    theme: str,
    tool: AuditTool,
    cohort: str,
    from_on: dt.date,
    to_on: dt.date,
    sample_size: int,
    ends_on: dt.date,
    category: str = "",
) -> CaseAudit:
    today = timezone.localdate(now)
    if not reference.strip():
        raise CaseAuditError("Enter a reference for the audit", "reference")
    if CaseAudit.objects.filter(partnership=partnership, reference=reference.strip()).exists():
        raise CaseAuditError("Another audit already has this reference", "reference")
    if not title.strip():
        raise CaseAuditError("Enter a title", "title")
    if not theme.strip():
        raise CaseAuditError("Enter the audit's theme, for example neglect", "theme")
    if tool.partnership_id not in (None, partnership.pk):
        raise CaseAuditError("Choose a tool of this partnership", "tool")
    if not tool.questions.exists():
        raise CaseAuditError("The tool has no questions yet", "tool")
    if cohort not in Cohort.values:
        raise CaseAuditError("Select which children to sample", "cohort")
    if category and (cohort != Cohort.CP_PLAN or category not in AbuseCategory.values):
        raise CaseAuditError("A category of abuse applies only to children on a child protection plan", "category")
    if to_on < from_on:
        raise CaseAuditError("The end of the period must be on or after its start", "to_on")
    if to_on > today:
        raise CaseAuditError("The period cannot end in the future: the sample is drawn from what has happened", "to_on")
    if not 1 <= sample_size <= MAX_SAMPLE:
        raise CaseAuditError(f"Sample between 1 and {MAX_SAMPLE} cases", "sample_size")
    if ends_on < today:
        raise CaseAuditError("The audit's end date cannot be in the past", "ends_on")
    created = CaseAudit.objects.create(
        partnership=partnership,
        reference=reference.strip(),
        title=title.strip(),
        theme=theme.strip(),
        tool=tool,
        cohort=cohort,
        category=category,
        from_on=from_on,
        to_on=to_on,
        sample_size=sample_size,
        ends_on=ends_on,
        created_at=now,
        created_by=principal.user,
    )
    _audit(principal, "caseaudits.audit.created", now, created)
    return created


def _locked(audit_: CaseAudit) -> CaseAudit:
    return (
        CaseAudit.objects.select_for_update(of=("self",)).select_related("partnership", "tool__scale").get(pk=audit_.pk)
    )


def _require_in_progress(audit_: CaseAudit) -> None:
    if audit_.status == AuditStatus.PLANNED:
        raise CaseAuditError("Draw the sample first")
    if audit_.status == AuditStatus.CLOSED:
        raise CaseAuditError("This audit is closed")


@transaction.atomic
def draw_sample(
    *, audit_: CaseAudit, principal: Principal, now: dt.datetime, seed: int | None = None
) -> list[AuditCase]:
    """Draw the sample from the live record with a recorded seed (a new random one unless given)."""
    audit_ = _locked(audit_)
    if audit_.status != AuditStatus.PLANNED:
        raise CaseAuditError("The sample has already been drawn")
    if seed is not None and not 0 <= seed < 2**62:
        raise CaseAuditError("Enter a whole number from 0 for the seed", "seed")
    seed = secrets.randbelow(10**9) if seed is None else seed
    ids = sampling.eligible(
        audit_.partnership, cohort=audit_.cohort, from_on=audit_.from_on, to_on=audit_.to_on, category=audit_.category
    )
    if not ids:
        raise CaseAuditError("No children meet these criteria in the period, so there is nothing to sample")
    drawn = sampling.draw(ids, audit_.sample_size, seed)
    cases = AuditCase.objects.bulk_create(
        [AuditCase(audit=audit_, person_id=pid, number=n) for n, pid in enumerate(drawn, 1)]
    )
    audit_.seed, audit_.eligible_count, audit_.sampled_at, audit_.status = seed, len(ids), now, AuditStatus.IN_PROGRESS
    audit_.save(update_fields=["seed", "eligible_count", "sampled_at", "status"])
    _audit(principal, "caseaudits.sample.drawn", now, audit_, seed=seed, eligible=len(ids), drawn=len(drawn))
    return cases


def _end_access(assignment: Assignment, *, principal: Principal, now: dt.datetime) -> None:
    """End the assignment's involvement now (its last open day is yesterday, or today if it began today)."""
    involvement = assignment.involvement
    if involvement is None:
        return
    last = max(involvement.start_date, now.date() - dt.timedelta(days=1))  # access.policy's day is now.date()
    if involvement.end_date is not None and involvement.end_date <= last:
        return
    access_services.end_involvement(involvement=involvement, principal=principal, end_date=last, now=now)


@transaction.atomic
def exclude_case(*, case: AuditCase, principal: Principal, now: dt.datetime, reason: str) -> AuditCase:
    case = AuditCase.objects.select_for_update(of=("self",)).select_related("audit").get(pk=case.pk)
    _require_in_progress(case.audit)
    if case.is_excluded:
        raise CaseAuditError("This case has already been excluded")
    if not reason.strip():
        raise CaseAuditError("Say why the case is excluded", "reason")
    case.excluded_reason, case.excluded_at = reason.strip(), now
    case.save(update_fields=["excluded_reason", "excluded_at"])
    for assignment in case.assignments.select_related("involvement"):
        _end_access(assignment, principal=principal, now=now)
    _audit(principal, "caseaudits.case.excluded", now, case)
    return case


def auditor_membership(user: User) -> Membership | None:
    """The membership an auditor's access is granted through (the one access.services.record_involvement uses)."""
    return Membership.objects.filter(user=user, is_active=True).select_related("organisation").first()


def eligible_auditors(partnership: Partnership) -> list[tuple[User, Membership]]:
    """Users who may grade in this partnership: CONDUCT_CASE_AUDIT in one of its agencies."""
    agencies = {o.pk for o in members(partnership)}
    rows = Membership.objects.filter(is_active=True, organisation_id__in=agencies, user__is_active=True).select_related(
        "user", "organisation"
    )
    seen: dict[int, tuple[User, Membership]] = {}
    for membership in rows.order_by("user__last_name", "user__first_name", "id"):
        if membership.can(Capability.CONDUCT_CASE_AUDIT) and membership.user_id not in seen:
            first = auditor_membership(membership.user)
            if first is not None and first.pk == membership.pk:
                seen[membership.user_id] = (membership.user, membership)
    return list(seen.values())


@transaction.atomic
def assign_auditor(*, case: AuditCase, principal: Principal, now: dt.datetime, auditor: User) -> Assignment:
    case = AuditCase.objects.select_for_update(of=("self",)).select_related("audit__partnership").get(pk=case.pk)
    audit_ = case.audit
    _require_in_progress(audit_)
    if case.is_excluded:
        raise CaseAuditError("This case has been excluded from the audit")
    membership = auditor_membership(auditor)
    if (
        membership is None
        or not auditor.is_active
        or not membership.can(Capability.CONDUCT_CASE_AUDIT)
        or not _is_member(audit_.partnership, membership.organisation_id)
    ):
        raise CaseAuditError("Choose a case auditor from an agency of this partnership", "auditor")
    if Assignment.objects.filter(case=case, auditor=auditor).exists():
        raise CaseAuditError(f"{auditor.get_full_name()} is already auditing this case", "auditor")
    day = now.date()  # involvements are judged on now.date() by access.policy, so they are dated the same way
    ours = Assignment.objects.filter(involvement__isnull=False).values("involvement_id")
    if (
        Involvement.objects.filter(open_involvements(day), person_id=case.person_id, user=auditor)
        .exclude(id__in=ours)
        .exists()
    ):
        raise CaseAuditError(
            f"{auditor.get_full_name()} works with this child: choose an auditor independent of the case", "auditor"
        )
    person = Person.objects.get(pk=case.person_id)
    involvement = access_services.record_involvement(
        person=person,
        principal=principal,
        kind=InvolvementKind.PARTNER_PROFESSIONAL,
        now=now,
        user=auditor,
        description=f"Case auditor, {audit_.reference} (multi-agency case audit), until {audit_.ends_on:%d %b %Y}",
        start_date=day,
    )
    access_services.end_involvement(
        involvement=involvement, principal=principal, end_date=max(audit_.ends_on, day), now=now
    )
    assignment = Assignment.objects.create(
        case=case, auditor=auditor, organisation=membership.organisation, involvement=involvement, assigned_at=now
    )
    _audit(principal, "caseaudits.case.assigned", now, case, auditor=str(auditor.public_id))
    return assignment


@transaction.atomic
def withdraw_assignment(*, assignment: Assignment, principal: Principal, now: dt.datetime) -> None:
    """Take an auditor off a case before they submit; their access ends."""
    assignment = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("case__audit", "involvement")
        .get(pk=assignment.pk)
    )
    _require_in_progress(assignment.case.audit)
    if assignment.submitted_at is not None:
        raise CaseAuditError("A submitted grading stays with the case")
    _end_access(assignment, principal=principal, now=now)
    case = assignment.case
    assignment.answers.all().delete()
    assignment.findings.all().delete()
    assignment.delete()
    _audit(principal, "caseaudits.case.withdrawn", now, case)


# -- grading -------------------------------------------------------------------------------------------


@transaction.atomic
def save_grading(
    *,
    assignment: Assignment,
    principal: Principal,
    now: dt.datetime,
    answers: Mapping[int, tuple[int | None, str]],
    overall_grade_id: int | None,
    agency_view: str,
    submit: bool = False,
) -> Assignment:
    """Save the auditor's grades and comments (question id → (grade id, comment)); `submit` finishes them."""
    assignment = (
        Assignment.objects.select_for_update(of=("self",)).select_related("case__audit__tool").get(pk=assignment.pk)
    )
    if assignment.auditor_id != principal.user.pk:
        raise CaseAuditError("Only the assigned auditor can grade this case")
    audit_ = assignment.case.audit
    _require_in_progress(audit_)
    if assignment.case.is_excluded:
        raise CaseAuditError("This case has been excluded from the audit")
    if assignment.submitted_at is not None:
        raise CaseAuditError("You have already submitted your grading for this case")
    questions = {q.pk: q for q in audit_.tool.questions.all()}
    grades = set(Grade.objects.filter(scale_id=audit_.tool.scale_id).values_list("id", flat=True))
    unknown = set(answers) - set(questions)
    if unknown:
        raise CaseAuditError("One of the answers is for a question that is not in this audit's tool")
    for question_id, (grade_id, _comment) in answers.items():
        if grade_id is not None and grade_id not in grades:
            raise CaseAuditError("Choose a grade from the tool's scale", f"grade_{question_id}")
    if overall_grade_id is not None and overall_grade_id not in grades:
        raise CaseAuditError("Choose a grade from the tool's scale", "overall_grade")
    if submit:
        for question_id, question in questions.items():
            if answers.get(question_id, (None, ""))[0] is None:
                raise CaseAuditError(f"Grade question {question.number} before submitting", f"grade_{question_id}")
        if overall_grade_id is None:
            raise CaseAuditError("Give your agency's overall grade before submitting", "overall_grade")
        if not agency_view.strip():
            raise CaseAuditError("Give your agency's view of the case before submitting", "agency_view")
    existing = {a.question_id: a for a in assignment.answers.all()}
    for question_id, (grade_id, comment) in answers.items():
        answer = existing.get(question_id) or Answer(assignment=assignment, question_id=question_id)
        answer.grade_id, answer.comment = grade_id, comment.strip()
        answer.save()
    assignment.overall_grade_id, assignment.agency_view = overall_grade_id, agency_view.strip()
    assignment.submitted_at = now if submit else None
    assignment.save(update_fields=["overall_grade", "agency_view", "submitted_at"])
    _audit(principal, "caseaudits.grading.submitted" if submit else "caseaudits.grading.saved", now, assignment.case)
    return assignment


@transaction.atomic
def moderate(
    *, case: AuditCase, principal: Principal, now: dt.datetime, question: Question, agreed_grade: Grade, rationale: str
) -> Moderation:
    case = AuditCase.objects.select_for_update(of=("self",)).select_related("audit__tool").get(pk=case.pk)
    _require_in_progress(case.audit)
    if question.pk not in moderation_needed(case):
        raise CaseAuditError("The auditors' grades for this question are within one grade: no moderation is needed")
    if Moderation.objects.filter(case=case, question=question).exists():
        raise CaseAuditError("This question has already been moderated")
    if agreed_grade.scale_id != case.audit.tool.scale_id:
        raise CaseAuditError("Choose a grade from the tool's scale", "agreed_grade")
    if not rationale.strip():
        raise CaseAuditError("Say why this grade was agreed", "rationale")
    moderation = Moderation.objects.create(
        case=case,
        question=question,
        agreed_grade=agreed_grade,
        rationale=rationale.strip(),
        moderated_at=now,
        moderated_by=principal.user,
    )
    _audit(principal, "caseaudits.case.moderated", now, case, question=question.number)
    return moderation


# -- findings, themes and actions ----------------------------------------------------------------------


@transaction.atomic
def add_finding(
    *,
    assignment: Assignment,
    principal: Principal,
    now: dt.datetime,
    kind: str,
    tag: str,
    text: str,
    question: Question | None = None,
) -> Finding:
    assignment = Assignment.objects.select_related("case__audit").get(pk=assignment.pk)
    if assignment.auditor_id != principal.user.pk:
        raise CaseAuditError("Only the case's auditor can record their findings")
    _require_in_progress(assignment.case.audit)
    if kind not in FindingKind.values:
        raise CaseAuditError("Select whether this is a strength or an area for improvement", "kind")
    if not tag.strip():
        raise CaseAuditError("Enter a short tag, for example 'drift' or 'father not seen'", "tag")
    if not text.strip():
        raise CaseAuditError("Enter the finding", "text")
    if question is not None and question.tool_id != assignment.case.audit.tool_id:
        raise CaseAuditError("Choose a question of this audit's tool", "question")
    finding = Finding.objects.create(
        assignment=assignment,
        question=question,
        kind=kind,
        tag=tag.strip().lower()[:60],
        text=text.strip(),
        created_at=now,
    )
    _audit(principal, "caseaudits.finding.added", now, assignment.case)
    return finding


@transaction.atomic
def create_theme(
    *,
    audit_: CaseAudit,
    principal: Principal,
    now: dt.datetime,
    title: str,
    summary: str = "",
    findings: Iterable[Finding] = (),
) -> Theme:
    audit_ = _locked(audit_)
    if audit_.status == AuditStatus.PLANNED:
        raise CaseAuditError("Draw the sample first")
    if not title.strip():
        raise CaseAuditError("Enter the theme's title", "title")
    if Theme.objects.filter(audit=audit_, title=title.strip()).exists():
        raise CaseAuditError("This audit already has a theme with that title", "title")
    theme = Theme.objects.create(audit=audit_, title=title.strip(), summary=summary.strip(), created_at=now)
    _group(theme, list(findings))
    _audit(principal, "caseaudits.theme.created", now, theme, findings=theme.findings.count())
    return theme


def _group(theme: Theme, findings: list[Finding]) -> None:
    if any(f.assignment.case.audit_id != theme.audit_id for f in findings):
        raise CaseAuditError("Choose findings of this audit", "findings")
    Finding.objects.filter(pk__in=[f.pk for f in findings]).update(theme=theme)


@transaction.atomic
def group_findings(*, theme: Theme, principal: Principal, now: dt.datetime, findings: Iterable[Finding]) -> Theme:
    chosen = list(findings)
    if not chosen:
        raise CaseAuditError("Select the findings that belong to this theme", "findings")
    _group(theme, chosen)
    _audit(principal, "caseaudits.theme.grouped", now, theme, findings=len(chosen))
    return theme


@transaction.atomic
def add_action(
    *,
    theme: Theme,
    principal: Principal,
    now: dt.datetime,
    description: str,
    owner_organisation: Organisation,
    owner_name: str,
    due_on: dt.date,
) -> Action:
    partnership = theme.audit.partnership
    if not _is_member(partnership, owner_organisation.pk):
        raise CaseAuditError("Select an agency of this partnership", "owner_organisation")
    if not description.strip():
        raise CaseAuditError("Enter what will be done", "description")
    if not owner_name.strip():
        raise CaseAuditError("Enter the name of the person who owns the action", "owner_name")
    action = Action.objects.create(
        theme=theme,
        description=description.strip(),
        owner_organisation=owner_organisation,
        owner_name=owner_name.strip(),
        due_on=due_on,
        created_at=now,
    )
    _audit(principal, "caseaudits.action.added", now, theme, action_id=str(action.public_id))
    return action


@transaction.atomic
def update_action(
    *,
    action: Action,
    principal: Principal,
    now: dt.datetime,
    status: str,
    evidence: str = "",
    completed_on: dt.date | None = None,
) -> Action:
    action = Action.objects.select_for_update(of=("self",)).select_related("theme").get(pk=action.pk)
    if action.status == ActionStatus.DONE:
        raise CaseAuditError("This action is done: it was closed with evidence")
    if status not in ActionStatus.values:
        raise CaseAuditError("Select the action's status", "status")
    if status == ActionStatus.DONE:
        if not evidence.strip():
            raise CaseAuditError("Enter the evidence that the action is done", "evidence")
        if completed_on is None:
            raise CaseAuditError("Enter the date the action was done", "completed_on")
        if completed_on > timezone.localdate(now):
            raise CaseAuditError("The date it was done cannot be in the future", "completed_on")
    action.status, action.evidence = status, evidence.strip()
    action.completed_on = completed_on if status == ActionStatus.DONE else None
    action.save(update_fields=["status", "evidence", "completed_on"])
    _audit(principal, "caseaudits.action.updated", now, action.theme, action_id=str(action.public_id), status=status)
    return action


@transaction.atomic
def close_audit(*, audit_: CaseAudit, principal: Principal, now: dt.datetime, summary: str) -> CaseAudit:
    """Close the audit and end every auditor's access to the sampled records."""
    audit_ = _locked(audit_)
    _require_in_progress(audit_)
    pending = pending_moderations(audit_)
    if pending:
        raise CaseAuditError(
            f"Moderate the {pending} grade{'s' if pending != 1 else ''} that differ by more than one grade first"
        )
    if not Assignment.objects.filter(case__audit=audit_, submitted_at__isnull=False).exists():
        raise CaseAuditError("No auditor has submitted a grading yet")
    if not summary.strip():
        raise CaseAuditError("Enter a summary of what the audit found", "summary")
    for assignment in Assignment.objects.filter(case__audit=audit_).select_related("involvement"):
        _end_access(assignment, principal=principal, now=now)
    audit_.status, audit_.closed_at, audit_.summary = AuditStatus.CLOSED, now, summary.strip()
    audit_.save(update_fields=["status", "closed_at", "summary"])
    _audit(principal, "caseaudits.audit.closed", now, audit_)
    return audit_
