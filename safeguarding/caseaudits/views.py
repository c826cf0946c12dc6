"""Pages for multi-agency case audits (ADR 0026).

Each page opens the partnership, the audit or the case through caseaudits.access (audited) inside one
transaction and renders inside it; a refusal is audited DENIED and answered 403 (no role for this page) or
404 (another partnership's audit, or a case the principal is not part of). A change is one service call in
a savepoint: a refused change leaves nothing behind and the form comes back with the service's message.

Children are shown by case reference. A child's name appears only to someone whom access.queries lets open
the record (each such read audited as caseaudits.case.child.view); others see the reference alone.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from safeguarding.access import queries
from safeguarding.access.policy import accessible_people
from safeguarding.accounts.principal import Principal
from safeguarding.core.forms import save_or_show_refusal
from safeguarding.people.models import Person
from safeguarding.people.views.forms_base import posted

from . import access, services
from . import forms as f
from . import queries as q
from .access import Need, Seat
from .codes import ActionStatus, AuditStatus
from .models import Action, Assignment, AuditCase, AuditTool, CaseAudit, Finding, Question, Theme

View = Callable[..., HttpResponse]


def principal_of(request: HttpRequest) -> Principal:
    return request.principal  # type: ignore[attr-defined,no-any-return]


def _refused(request: HttpRequest, refusal: access.CaseAuditRefused, now: dt.datetime) -> HttpResponse:
    access.record_refusal(refusal, now=now)
    return render(request, "caseaudits/refused.html", {"refusal": refusal}, status=refusal.status)


def _wrap(opener: Callable[..., Any]) -> Callable[[View], View]:
    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            now, principal = timezone.now(), principal_of(request)
            try:
                with transaction.atomic():
                    opened, rest = opener(principal, now, args, kwargs)
                    return view(request, principal, now, *opened, **rest)
            except access.CaseAuditRefused as refusal:
                return _refused(request, refusal, now)

        return never_cache(login_required(wrapper))

    return decorate


def partnership_page(need: Need, action: str) -> Callable[[View], View]:
    def opener(principal: Principal, now: dt.datetime, args: Any, kwargs: dict[str, Any]) -> Any:
        return (access.open_partnership(principal, need=need, action=action, now=now),), kwargs

    return _wrap(opener)


def audit_page(need: Need, action: str) -> Callable[[View], View]:
    def opener(principal: Principal, now: dt.datetime, args: Any, kwargs: dict[str, Any]) -> Any:
        rest = dict(kwargs)
        return access.open_audit(principal, rest.pop("audit_id"), need=need, action=action, now=now), rest

    return _wrap(opener)


def case_page(need: Need, action: str) -> Callable[[View], View]:
    def opener(principal: Principal, now: dt.datetime, args: Any, kwargs: dict[str, Any]) -> Any:
        rest = dict(kwargs)
        opened = access.open_case(
            principal, rest.pop("audit_id"), rest.pop("case_id"), need=need, action=action, now=now
        )
        return (opened,), rest

    return _wrap(opener)


def _save(form: forms.Form, call: Callable[[], Any]) -> Any:
    return save_or_show_refusal(form, call, services.CaseAuditError)


def _form_page(request: HttpRequest, form: forms.Form, title: str, back: str, **context: Any) -> HttpResponse:
    return render(request, "caseaudits/form.html", {"form": form, "title": title, "back": back, **context})


@dataclass(frozen=True)
class ChildShown:
    name: str
    public_id: str


def children_shown(principal: Principal, cases: list[AuditCase], now: dt.datetime) -> dict[int, ChildShown]:
    """The children of these cases whom the principal may open, opened (and audited) through access.queries.

    The others are simply not named: nobody asked for them, so nothing is recorded as refused.
    """
    ids = [c.person_id for c in cases]
    if not ids or principal.membership is None:
        return {}
    allowed = set(Person.objects.filter(accessible_people(principal, now=now), id__in=ids).values_list("id", flat=True))
    by_person = {c.person_id: c for c in cases}
    publics = dict(Person.objects.filter(id__in=allowed).values_list("id", "public_id"))
    shown = {}
    for person_id in sorted(allowed):
        case = by_person[person_id]
        try:
            person = queries.open_person(
                principal,
                publics[person_id],
                now=now,
                action="caseaudits.case.child.view",
                details={"audit": str(case.audit.public_id), "case": case.reference},
            ).person
        except queries.Refused:
            continue
        shown[case.pk] = ChildShown(person.display_name, str(person.public_id))
    return shown


# -- home and tools ------------------------------------------------------------------------------------


@partnership_page(Need.HOME, "caseaudits.home.view")
def home(request: HttpRequest, principal: Principal, now: dt.datetime, seat: Seat) -> HttpResponse:
    audits: list[tuple[CaseAudit, dict[str, int]]] = []
    if seat.reads:
        rows = list(CaseAudit.objects.filter(partnership=seat.partnership).order_by("status", "-created_at", "id"))
        counts = _progress_counts(rows)
        audits = [(a, counts.get(a.pk, {})) for a in rows]
    mine = list(
        Assignment.objects.filter(
            auditor=principal.user,
            organisation_id=principal.organisation_id or 0,
            case__audit__partnership=seat.partnership,
            case__excluded_at__isnull=True,
        )
        .exclude(case__audit__status=AuditStatus.CLOSED)
        .select_related("case__audit")
        .order_by("case__audit__ends_on", "case__number")
    )
    context = {"seat": seat, "partnership": seat.partnership, "audits": audits, "mine": mine}
    return render(request, "caseaudits/home.html", context)


def _progress_counts(audits: list[CaseAudit]) -> dict[int, dict[str, int]]:
    out: dict[int, dict[str, int]] = {
        a.pk: {"cases": 0, "excluded": 0, "assignments": 0, "submitted": 0} for a in audits
    }
    for audit_id, excluded in AuditCase.objects.filter(audit__in=audits).values_list("audit_id", "excluded_at"):
        out[audit_id]["excluded" if excluded else "cases"] += 1
    for audit_id, submitted in Assignment.objects.filter(
        case__audit__in=audits, case__excluded_at__isnull=True
    ).values_list("case__audit_id", "submitted_at"):
        out[audit_id]["assignments"] += 1
        out[audit_id]["submitted"] += 1 if submitted else 0
    return out


@partnership_page(Need.READ, "caseaudits.tool.list")
def tool_list(request: HttpRequest, principal: Principal, now: dt.datetime, seat: Seat) -> HttpResponse:
    tools = services.usable_tools(seat.partnership)
    scales = services.usable_scales(seat.partnership)
    grades = {s.pk: list(s.grades.all()) for s in scales}
    context = {
        "seat": seat,
        "partnership": seat.partnership,
        "tools": tools,
        "scales": [(s, grades[s.pk]) for s in scales],
    }
    return render(request, "caseaudits/tools.html", context)


def _tool(seat: Seat, tool_id: Any) -> AuditTool:
    tool = (
        AuditTool.objects.filter(public_id=tool_id, partnership__in=[seat.partnership.pk])
        .select_related("scale")
        .first()
        or AuditTool.objects.filter(public_id=tool_id, partnership__isnull=True).select_related("scale").first()
    )
    if tool is None:
        raise Http404
    return tool


@partnership_page(Need.READ, "caseaudits.tool.view")
def tool_detail(request: HttpRequest, principal: Principal, now: dt.datetime, seat: Seat, tool_id: Any) -> HttpResponse:
    tool = _tool(seat, tool_id)
    questions = list(tool.questions.order_by("number"))
    domains: list[tuple[str, list[Question]]] = []
    for question in questions:
        if not domains or domains[-1][0] != question.domain:
            domains.append((question.domain, []))
        domains[-1][1].append(question)
    context = {
        "seat": seat,
        "partnership": seat.partnership,
        "tool": tool,
        "domains": domains,
        "grades": list(tool.scale.grades.all()),
        "locked": services.tool_is_locked(tool),
        "used_by": list(tool.audits.filter(partnership=seat.partnership).order_by("-created_at")),
    }
    return render(request, "caseaudits/tool.html", context)


@partnership_page(Need.MANAGE, "caseaudits.tool.change")
def tool_copy(request: HttpRequest, principal: Principal, now: dt.datetime, seat: Seat, tool_id: Any) -> HttpResponse:
    tool = _tool(seat, tool_id)
    form = f.ToolCopyForm(
        posted(request),
        scales=services.usable_scales(seat.partnership),
        initial={"name": f"{seat.partnership.name} case audit tool", "scale": tool.scale_id},
    )
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        copy = _save(
            form,
            lambda: services.copy_tool(
                partnership=seat.partnership, principal=principal, now=now, tool=tool, name=d["name"], scale=d["scale"]
            ),
        )
        if copy is not None:
            messages.success(request, f"{copy.name} created: you can now add questions to it")
            return redirect("caseaudits:tool", tool_id=copy.public_id)
    back = reverse("caseaudits:tool", args=[tool.public_id])
    return _form_page(
        request, form, "Copy this tool for your partnership", back, caption=tool.name, partnership=seat.partnership
    )


@partnership_page(Need.MANAGE, "caseaudits.tool.change")
def question_new(
    request: HttpRequest, principal: Principal, now: dt.datetime, seat: Seat, tool_id: Any
) -> HttpResponse:
    tool = _tool(seat, tool_id)
    form = f.QuestionForm(posted(request))
    notice = ""
    if services.tool_is_locked(tool):
        notice = "This tool cannot be changed: it is shared or already used by an audit. Copy it first."
    if form.is_bound and form.is_valid():
        saved = _save(form, lambda: services.add_question(tool=tool, principal=principal, now=now, **form.cleaned_data))
        if saved is not None:
            messages.success(request, f"Question {saved.number} added")
            return redirect("caseaudits:tool", tool_id=tool.public_id)
    back = reverse("caseaudits:tool", args=[tool.public_id])
    return _form_page(
        request, form, "Add a question", back, caption=tool.name, partnership=seat.partnership, notice=notice
    )


@partnership_page(Need.MANAGE, "caseaudits.scale.new")
def scale_new(request: HttpRequest, principal: Principal, now: dt.datetime, seat: Seat) -> HttpResponse:
    form = f.ScaleForm(posted(request))
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        saved = _save(
            form,
            lambda: services.create_scale(
                partnership=seat.partnership,
                principal=principal,
                now=now,
                name=d["name"],
                labels=d["grades"].splitlines(),
            ),
        )
        if saved is not None:
            messages.success(request, f"Scale {saved.name} added")
            return redirect("caseaudits:tools")
    return _form_page(request, form, "Add a grading scale", reverse("caseaudits:tools"), partnership=seat.partnership)


# -- audits --------------------------------------------------------------------------------------------


@partnership_page(Need.MANAGE, "caseaudits.audit.new")
def audit_new(request: HttpRequest, principal: Principal, now: dt.datetime, seat: Seat) -> HttpResponse:
    tools = services.usable_tools(seat.partnership)
    form = f.AuditForm(posted(request), tools=tools, initial={"sample_size": 8})
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        created = _save(
            form,
            lambda: services.create_audit(partnership=seat.partnership, principal=principal, now=now, **d),
        )
        if created is not None:
            messages.success(request, f"Audit {created.reference} set up: draw its sample next")
            return redirect("caseaudits:audit", audit_id=created.public_id)
    return _form_page(request, form, "Set up a case audit", reverse("caseaudits:home"), partnership=seat.partnership)


@audit_page(Need.READ, "caseaudits.audit.view")
def audit_detail(
    request: HttpRequest, principal: Principal, now: dt.datetime, seat: Seat, audit: CaseAudit
) -> HttpResponse:
    progress = q.cases_with_progress(audit)
    cases = [p.case for p in progress]
    shown = children_shown(principal, cases, now)
    context = {
        "seat": seat,
        "partnership": seat.partnership,
        "audit": audit,
        "rows": [(p, shown.get(p.case.pk)) for p in progress],
        "included": sum(1 for c in cases if not c.is_excluded),
        "pending": q.pending_moderations(audit),
        "domains": q.domain_distributions(audit),
        "agencies": q.overall_by_agency(audit),
        "grades": q.grades_of(audit),
        "sample_form": f.SampleForm(),
        "IN_PROGRESS": AuditStatus.IN_PROGRESS,
        "PLANNED": AuditStatus.PLANNED,
    }
    return render(request, "caseaudits/audit.html", context)


@audit_page(Need.MANAGE, "caseaudits.audit.change")
def audit_sample(
    request: HttpRequest, principal: Principal, now: dt.datetime, seat: Seat, audit: CaseAudit
) -> HttpResponse:
    form = f.SampleForm(posted(request))
    if form.is_bound and form.is_valid():
        drawn = _save(
            form,
            lambda: services.draw_sample(audit_=audit, principal=principal, now=now, seed=form.cleaned_data["seed"]),
        )
        if drawn is not None:
            messages.success(request, f"{len(drawn)} cases drawn")
            return redirect("caseaudits:audit", audit_id=audit.public_id)
    back = reverse("caseaudits:audit", args=[audit.public_id])
    return _form_page(
        request,
        form,
        "Draw the sample",
        back,
        caption=audit.title,
        audit=audit,
        partnership=seat.partnership,
        button="Draw the sample",
    )


@audit_page(Need.MANAGE, "caseaudits.audit.change")
def audit_close(
    request: HttpRequest, principal: Principal, now: dt.datetime, seat: Seat, audit: CaseAudit
) -> HttpResponse:
    form = f.CloseForm(posted(request))
    if form.is_bound and form.is_valid():
        closed = _save(
            form,
            lambda: services.close_audit(
                audit_=audit, principal=principal, now=now, summary=form.cleaned_data["summary"]
            ),
        )
        if closed is not None:
            messages.success(
                request, f"Audit {audit.reference} closed: auditors' access to the children's records has ended"
            )
            return redirect("caseaudits:audit", audit_id=audit.public_id)
    back = reverse("caseaudits:audit", args=[audit.public_id])
    caption = "Closing the audit ends every auditor's access to the sampled children's records."
    return _form_page(
        request,
        form,
        "Close the audit",
        back,
        caption=caption,
        audit=audit,
        partnership=seat.partnership,
        button="Close the audit",
    )


# -- a case --------------------------------------------------------------------------------------------


@case_page(Need.CASE, "caseaudits.case.view")
def case_detail(
    request: HttpRequest, principal: Principal, now: dt.datetime, opened: tuple[Seat, AuditCase, Assignment | None]
) -> HttpResponse:
    seat, case, mine = opened
    assignments = list(case.assignments.select_related("auditor", "organisation", "overall_grade"))
    # Grades and findings of a grading not yet submitted are seen only by its own auditor.
    context = {
        "seat": seat,
        "partnership": seat.partnership,
        "audit": case.audit,
        "case": case,
        "mine": mine,
        "assignments": assignments,
        "grid": q.case_grid(case, assignments, show_unsubmitted_of=principal.user.pk),
        "child": children_shown(principal, [case], now).get(case.pk),
        "findings": list(
            Finding.objects.filter(Q(assignment__submitted_at__isnull=False) | Q(assignment__auditor=principal.user))
            .filter(assignment__case=case)
            .select_related("assignment__organisation", "question", "theme")
        ),
        "open": case.audit.status == AuditStatus.IN_PROGRESS and not case.is_excluded,
    }
    return render(request, "caseaudits/case.html", context)


@case_page(Need.MANAGE, "caseaudits.case.change")
def case_exclude(
    request: HttpRequest, principal: Principal, now: dt.datetime, opened: tuple[Seat, AuditCase, Assignment | None]
) -> HttpResponse:
    seat, case, _mine = opened
    form = f.ExcludeForm(posted(request))
    if form.is_bound and form.is_valid():
        saved = _save(
            form,
            lambda: services.exclude_case(case=case, principal=principal, now=now, reason=form.cleaned_data["reason"]),
        )
        if saved is not None:
            messages.success(request, f"Case {case.reference} excluded")
            return redirect("caseaudits:audit", audit_id=case.audit.public_id)
    back = reverse("caseaudits:case", args=[case.audit.public_id, case.public_id])
    return _form_page(
        request, form, f"Exclude case {case.reference}", back, audit=case.audit, partnership=seat.partnership
    )


@case_page(Need.MANAGE, "caseaudits.case.change")
def case_assign(
    request: HttpRequest, principal: Principal, now: dt.datetime, opened: tuple[Seat, AuditCase, Assignment | None]
) -> HttpResponse:
    seat, case, _mine = opened
    form = f.AssignForm(posted(request), auditors=services.eligible_auditors(seat.partnership))
    if form.is_bound and form.is_valid():
        saved = _save(
            form,
            lambda: services.assign_auditor(
                case=case, principal=principal, now=now, auditor=form.cleaned_data["auditor"]
            ),
        )
        if saved is not None:
            messages.success(request, f"{saved.auditor.get_full_name()} assigned to case {case.reference}")
            return redirect("caseaudits:case", audit_id=case.audit.public_id, case_id=case.public_id)
    back = reverse("caseaudits:case", args=[case.audit.public_id, case.public_id])
    caption = (
        f"The auditor can open this child's record until {case.audit.ends_on:%-d %B %Y} or until the audit closes. "
        "Choose someone who does not work with the child."
    )
    return _form_page(
        request,
        form,
        f"Assign an auditor to case {case.reference}",
        back,
        caption=caption,
        audit=case.audit,
        partnership=seat.partnership,
    )


@case_page(Need.MANAGE, "caseaudits.case.change")
def case_withdraw(
    request: HttpRequest,
    principal: Principal,
    now: dt.datetime,
    opened: tuple[Seat, AuditCase, Assignment | None],
    assignment_id: Any,
) -> HttpResponse:
    seat, case, _mine = opened
    assignment = Assignment.objects.filter(case=case, public_id=assignment_id).select_related("auditor").first()
    if assignment is None:
        raise Http404
    form = forms.Form(posted(request))
    if form.is_bound and form.is_valid():
        saved = _save(
            form, lambda: services.withdraw_assignment(assignment=assignment, principal=principal, now=now) or True
        )
        if saved:
            messages.success(request, f"{assignment.auditor.get_full_name()} taken off case {case.reference}")
            return redirect("caseaudits:case", audit_id=case.audit.public_id, case_id=case.public_id)
    back = reverse("caseaudits:case", args=[case.audit.public_id, case.public_id])
    caption = f"{assignment.auditor.get_full_name()} will no longer be able to open this child's record for the audit."
    return _form_page(
        request,
        form,
        f"Take the auditor off case {case.reference}",
        back,
        caption=caption,
        audit=case.audit,
        partnership=seat.partnership,
        button="Take them off the case",
    )


@case_page(Need.GRADE, "caseaudits.grading.form")
def case_grade(
    request: HttpRequest, principal: Principal, now: dt.datetime, opened: tuple[Seat, AuditCase, Assignment | None]
) -> HttpResponse:
    seat, case, mine = opened
    assert mine is not None
    questions = list(case.audit.tool.questions.order_by("number"))
    grades = q.grades_of(case.audit)
    initial: dict[str, Any] = {"overall_grade": str(mine.overall_grade_id or ""), "agency_view": mine.agency_view}
    for answer in mine.answers.all():
        initial[f"grade_{answer.question_id}"] = str(answer.grade_id or "")
        initial[f"comment_{answer.question_id}"] = answer.comment
    form = f.GradingForm(posted(request), questions=questions, grades=grades, initial=initial)
    if form.is_bound and form.is_valid():
        submit = request.POST.get("action") == "submit"
        d = form.cleaned_data
        saved = _save(
            form,
            lambda: services.save_grading(
                assignment=mine,
                principal=principal,
                now=now,
                answers=form.answers(),
                overall_grade_id=int(d["overall_grade"]) if d["overall_grade"] else None,
                agency_view=d["agency_view"],
                submit=submit,
            ),
        )
        if saved is not None:
            messages.success(request, "Grading submitted" if submit else "Grading saved: you can come back to it")
            return redirect("caseaudits:case", audit_id=case.audit.public_id, case_id=case.public_id)
    context = {
        "seat": seat,
        "partnership": seat.partnership,
        "audit": case.audit,
        "case": case,
        "form": form,
        "mine": mine,
    }
    return render(request, "caseaudits/grade.html", context)


@case_page(Need.GRADE, "caseaudits.finding.form")
def finding_new(
    request: HttpRequest, principal: Principal, now: dt.datetime, opened: tuple[Seat, AuditCase, Assignment | None]
) -> HttpResponse:
    seat, case, mine = opened
    assert mine is not None
    form = f.FindingForm(posted(request), questions=list(case.audit.tool.questions.order_by("number")))
    if form.is_bound and form.is_valid():
        saved = _save(
            form, lambda: services.add_finding(assignment=mine, principal=principal, now=now, **form.cleaned_data)
        )
        if saved is not None:
            messages.success(request, "Finding added")
            return redirect("caseaudits:case", audit_id=case.audit.public_id, case_id=case.public_id)
    back = reverse("caseaudits:case", args=[case.audit.public_id, case.public_id])
    return _form_page(
        request, form, f"Add a finding for case {case.reference}", back, audit=case.audit, partnership=seat.partnership
    )


@case_page(Need.MANAGE, "caseaudits.case.change")
def case_moderate(
    request: HttpRequest,
    principal: Principal,
    now: dt.datetime,
    opened: tuple[Seat, AuditCase, Assignment | None],
    number: int,
) -> HttpResponse:
    seat, case, _mine = opened
    question = case.audit.tool.questions.filter(number=number).first()
    if question is None:
        raise Http404
    form = f.ModerateForm(posted(request), grades=q.grades_of(case.audit))
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        saved = _save(
            form,
            lambda: services.moderate(
                case=case,
                principal=principal,
                now=now,
                question=question,
                agreed_grade=d["agreed_grade"],
                rationale=d["rationale"],
            ),
        )
        if saved is not None:
            messages.success(request, f"Question {question.number} moderated")
            return redirect("caseaudits:case", audit_id=case.audit.public_id, case_id=case.public_id)
    given = [
        (a.assignment.organisation.name, a.grade.label if a.grade else "Not graded", a.comment)
        for a in question.answers.filter(assignment__case=case, assignment__submitted_at__isnull=False).select_related(
            "assignment__organisation", "grade"
        )
    ]
    back = reverse("caseaudits:case", args=[case.audit.public_id, case.public_id])
    return _form_page(
        request,
        form,
        f"Moderate question {question.number} for case {case.reference}",
        back,
        caption=question.text,
        given=given,
        audit=case.audit,
        partnership=seat.partnership,
    )


# -- themes and actions --------------------------------------------------------------------------------


@audit_page(Need.READ, "caseaudits.theme.list")
def theme_list(
    request: HttpRequest, principal: Principal, now: dt.datetime, seat: Seat, audit: CaseAudit
) -> HttpResponse:
    rows, ungrouped = q.themes(audit)
    today = timezone.localdate(now)
    context = {
        "seat": seat,
        "partnership": seat.partnership,
        "audit": audit,
        "rows": rows,
        "ungrouped": ungrouped,
        "grades": q.grades_of(audit),
        "today": today,
    }
    return render(request, "caseaudits/themes.html", context)


def _findings_for(audit: CaseAudit) -> list[Finding]:
    findings = list(
        Finding.objects.filter(assignment__case__audit=audit)
        .select_related("assignment__organisation", "assignment__case")
        .order_by("tag", "id")
    )
    for finding in findings:
        finding.assignment.case.audit = audit
    return findings


@audit_page(Need.MANAGE, "caseaudits.theme.change")
def theme_new(
    request: HttpRequest, principal: Principal, now: dt.datetime, seat: Seat, audit: CaseAudit
) -> HttpResponse:
    form = f.ThemeForm(posted(request), findings=[x for x in _findings_for(audit) if x.theme_id is None])
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        saved = _save(
            form,
            lambda: services.create_theme(
                audit_=audit,
                principal=principal,
                now=now,
                title=d["title"],
                summary=d["summary"],
                findings=d["findings"],
            ),
        )
        if saved is not None:
            messages.success(request, f"Theme {saved.title} added")
            return redirect("caseaudits:themes", audit_id=audit.public_id)
    back = reverse("caseaudits:themes", args=[audit.public_id])
    return _form_page(
        request,
        form,
        "Add a theme",
        back,
        caption="Group the auditors' findings that share a pattern.",
        audit=audit,
        partnership=seat.partnership,
    )


def _theme(audit: CaseAudit, theme_id: Any) -> Theme:
    theme = Theme.objects.filter(audit=audit, public_id=theme_id).select_related("audit__partnership").first()
    if theme is None:
        raise Http404
    return theme


@audit_page(Need.MANAGE, "caseaudits.theme.change")
def theme_group(
    request: HttpRequest, principal: Principal, now: dt.datetime, seat: Seat, audit: CaseAudit, theme_id: Any
) -> HttpResponse:
    theme = _theme(audit, theme_id)
    form = f.ThemeForm(
        posted(request),
        findings=[x for x in _findings_for(audit) if x.theme_id != theme.pk],
        initial={"title": theme.title},
    )
    form.fields["title"].required = False
    form.fields["title"].widget = forms.HiddenInput()
    form.fields["summary"].widget = forms.HiddenInput()
    if form.is_bound and form.is_valid():
        saved = _save(
            form,
            lambda: services.group_findings(
                theme=theme, principal=principal, now=now, findings=form.cleaned_data["findings"]
            ),
        )
        if saved is not None:
            messages.success(request, f"Findings added to {theme.title}")
            return redirect("caseaudits:themes", audit_id=audit.public_id)
    back = reverse("caseaudits:themes", args=[audit.public_id])
    return _form_page(request, form, f"Add findings to {theme.title}", back, audit=audit, partnership=seat.partnership)


@audit_page(Need.MANAGE, "caseaudits.action.change")
def action_new(
    request: HttpRequest, principal: Principal, now: dt.datetime, seat: Seat, audit: CaseAudit, theme_id: Any
) -> HttpResponse:
    theme = _theme(audit, theme_id)
    form = f.ActionForm(posted(request), organisations=services.members(audit.partnership))
    if form.is_bound and form.is_valid():
        saved = _save(form, lambda: services.add_action(theme=theme, principal=principal, now=now, **form.cleaned_data))
        if saved is not None:
            messages.success(request, "Action added")
            return redirect("caseaudits:themes", audit_id=audit.public_id)
    back = reverse("caseaudits:themes", args=[audit.public_id])
    return _form_page(
        request, form, "Add an action", back, caption=theme.title, audit=audit, partnership=seat.partnership
    )


@audit_page(Need.MANAGE, "caseaudits.action.change")
def action_update(
    request: HttpRequest, principal: Principal, now: dt.datetime, seat: Seat, audit: CaseAudit, action_id: Any
) -> HttpResponse:
    item = Action.objects.filter(theme__audit=audit, public_id=action_id).select_related("theme").first()
    if item is None:
        raise Http404
    form = f.ActionUpdateForm(posted(request), initial={"status": item.status, "evidence": item.evidence})
    notice = "This action is done: it was closed with evidence" if item.status == ActionStatus.DONE else ""
    if form.is_bound and form.is_valid():
        saved = _save(
            form, lambda: services.update_action(action=item, principal=principal, now=now, **form.cleaned_data)
        )
        if saved is not None:
            messages.success(request, "Action updated")
            return redirect("caseaudits:themes", audit_id=audit.public_id)
    back = reverse("caseaudits:themes", args=[audit.public_id])
    return _form_page(
        request,
        form,
        "Update the action",
        back,
        caption=item.description,
        audit=audit,
        partnership=seat.partnership,
        notice=notice,
    )
