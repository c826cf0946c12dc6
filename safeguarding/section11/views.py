"""Section 11 pages (ADR 0023). Every page opens the principal's seat through access.open_seat (audited) inside one
transaction and renders inside it; a refusal, including one found on the record itself, rolls that back, is audited
as DENIED and answered 403. Records are looked up within the principal's partnership only (404 otherwise).
"""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from safeguarding.accounts.principal import Principal

from . import access, queries, services
from .forms import (
    ActionForm,
    ActionUpdateForm,
    CycleForm,
    ModerationForm,
    ResponseForm,
    SelfAssessmentForm,
    StandardForm,
)
from .models import Action, Assessment, AssessmentStatus, Cycle, Rating, Standard

View = Callable[..., HttpResponse]


def _page(action: str, *, run: bool = False) -> Callable[[View], View]:
    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            now, principal = timezone.now(), request.principal  # type: ignore[attr-defined]
            try:
                with transaction.atomic():
                    seat = access.open_seat(
                        principal, action=action, now=now, chosen=request.GET.get("partnership", ""), run=run
                    )
                    return view(request, principal, seat, now, *args, **kwargs)
            except access.Section11Refused as refusal:
                access.record_refusal(refusal, now=now)
                return render(request, "section11/refused.html", {"refusal": refusal}, status=403)

        return never_cache(login_required(wrapper))

    return decorate


def _refuse(principal: Principal, action: str, message: str, obj: Any) -> access.Section11Refused:
    return access.Section11Refused(principal=principal, action=action, message=message, object_id=str(obj.public_id))


def _assessment(principal: Principal, seat: access.Seat, public_id: uuid.UUID, action: str) -> Assessment:
    found = (
        Assessment.objects.filter(public_id=public_id, cycle__partnership=seat.partnership)
        .select_related("cycle", "organisation", "submitted_by")
        .first()
    )
    if found is None:
        raise Http404("No such self-assessment in this partnership")
    if not seat.may_see(found):
        raise _refuse(
            principal, action, "Only the organisation's own assessors and partnership roles can see this", found
        )
    return found


def _rating(principal: Principal, seat: access.Seat, public_id: uuid.UUID, action: str) -> Rating:
    found = (
        Rating.objects.filter(public_id=public_id, assessment__cycle__partnership=seat.partnership)
        .select_related("assessment__cycle", "assessment__organisation", "standard")
        .first()
    )
    if found is None:
        raise Http404("No such rating in this partnership")
    if not seat.may_see(found.assessment):
        raise _refuse(
            principal, action, "Only the organisation's own assessors and partnership roles can see this", found
        )
    return found


def _context(seat: access.Seat, **more: Any) -> dict[str, Any]:
    return {"partnership": seat.partnership, "runs": seat.runs, "sees_all": seat.sees_all, **more}


def _must_change_actions(principal: Principal, seat: access.Seat, assessment: Assessment, action: str) -> None:
    if not seat.may_change_actions(assessment):
        raise _refuse(
            principal,
            action,
            "Only partnership managers and the organisation's own assessors change its actions",
            assessment,
        )


def _attempt(form: Any, call: Callable[[], object]) -> bool:
    try:
        with transaction.atomic():
            call()
        return True
    except services.Section11ChangeRefused as refused:
        form.add_service_errors(refused)
        return False


def _form_page(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(request, template, context, status=400 if context["form"].errors else 200)


@_page("section11.home.view")
def home(request: HttpRequest, principal: Principal, seat: access.Seat, now: dt.datetime) -> HttpResponse:
    cycles = list(Cycle.objects.filter(partnership=seat.partnership).order_by("-opens_on"))
    own = {}
    show_own = seat.assesses and not seat.runs
    if show_own:
        own = {a.cycle_id: a for a in Assessment.objects.filter(cycle__in=cycles, organisation_id=seat.organisation_id)}
    rows = [(c, own.get(c.id)) for c in cycles]
    return render(request, "section11/home.html", _context(seat, rows=rows, show_own=show_own))


@_page("section11.standards.view")
def standards(request: HttpRequest, principal: Principal, seat: access.Seat, now: dt.datetime) -> HttpResponse:
    found = list(Standard.objects.filter(partnership=seat.partnership).order_by("number"))
    return render(request, "section11/standards.html", _context(seat, standards=found))


@_page("section11.standard.form", run=True)
def standard_edit(
    request: HttpRequest, principal: Principal, seat: access.Seat, now: dt.datetime, standard: uuid.UUID
) -> HttpResponse:
    found = Standard.objects.filter(partnership=seat.partnership, public_id=standard).first()
    if found is None:
        raise Http404("No such standard in this partnership")
    initial = {"title": found.title, "text": found.text, "source": found.source, "is_active": found.is_active}
    form = StandardForm(request.POST if request.method == "POST" else None, initial=initial)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if _attempt(form, lambda: services.edit_standard(principal=principal, now=now, standard=found, **data)):
            messages.success(request, f"Standard {found.number} was saved")
            return redirect("section11:standards")
    return _form_page(request, "section11/standard_form.html", _context(seat, form=form, standard=found))


@_page("section11.cycle.form", run=True)
def cycle_new(request: HttpRequest, principal: Principal, seat: access.Seat, now: dt.datetime) -> HttpResponse:
    form = CycleForm(request.POST if request.method == "POST" else None)
    made: list[Cycle] = []
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        ok = _attempt(
            form,
            lambda: made.append(
                services.open_cycle(principal=principal, now=now, partnership=seat.partnership, **data)
            ),
        )
        if ok:
            messages.success(request, f"{made[0].name} was opened")
            return redirect("section11:cycle", cycle=made[0].public_id)
    return _form_page(request, "section11/cycle_form.html", _context(seat, form=form))


@_page("section11.cycle.view")
def cycle(
    request: HttpRequest, principal: Principal, seat: access.Seat, now: dt.datetime, cycle: uuid.UUID
) -> HttpResponse:
    found = Cycle.objects.filter(partnership=seat.partnership, public_id=cycle).first()
    if found is None:
        raise Http404("No such cycle in this partnership")
    assessments = found.assessments.select_related("organisation").order_by("organisation__name")
    if not seat.sees_all:
        assessments = assessments.filter(organisation_id=seat.organisation_id)
    return render(request, "section11/cycle.html", _context(seat, cycle=found, assessments=list(assessments)))


@_page("section11.assessment.view")
def assessment(
    request: HttpRequest, principal: Principal, seat: access.Seat, now: dt.datetime, assessment: uuid.UUID
) -> HttpResponse:
    found = _assessment(principal, seat, assessment, "section11.assessment.view")
    ratings = list(found.ratings.select_related("standard").order_by("standard__number"))
    editable = seat.may_assess(found) and found.status == AssessmentStatus.DRAFT
    if request.method == "POST" and not editable:
        raise _refuse(principal, "section11.assessment.save", "You cannot change this self-assessment", found)
    form = SelfAssessmentForm(request.POST if request.method == "POST" else None, ratings=ratings)
    if form.is_bound and form.is_valid():
        submit = "submit" in request.POST

        def save() -> None:
            services.save_self_assessment(principal=principal, now=now, assessment=found, entries=form.entries())
            if submit:
                services.submit_assessment(principal=principal, now=now, assessment=found)

        if _attempt(form, save):
            messages.success(request, "Your self-assessment was submitted" if submit else "Your draft was saved")
            return redirect("section11:assessment", assessment=found.public_id)
    actions = queries.actions_overdue_first(found.actions.all(), timezone.localdate(now))
    context = _context(
        seat,
        assessment=found,
        ratings=ratings,
        form=form,
        editable=editable,
        may_assess=seat.may_assess(found),
        may_change_actions=seat.may_change_actions(found),
        actions=_mark_changeable(seat, actions),
        today=timezone.localdate(now),
    )
    return _form_page(request, "section11/assessment.html", context)


@_page("section11.rating.moderate-form", run=True)
def rating_moderate(
    request: HttpRequest, principal: Principal, seat: access.Seat, now: dt.datetime, rating: uuid.UUID
) -> HttpResponse:
    found = _rating(principal, seat, rating, "section11.rating.moderate-form")
    initial = {"challenge": found.challenge, "agreed_rag": found.agreed_rag}
    form = ModerationForm(request.POST if request.method == "POST" else None, initial=initial)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if _attempt(form, lambda: services.moderate_rating(principal=principal, now=now, rating=found, **data)):
            messages.success(request, f"Standard {found.standard.number} was moderated")
            return redirect("section11:assessment", assessment=found.assessment.public_id)
    return _form_page(request, "section11/rating_moderate.html", _context(seat, form=form, rating=found))


@_page("section11.rating.respond-form")
def rating_respond(
    request: HttpRequest, principal: Principal, seat: access.Seat, now: dt.datetime, rating: uuid.UUID
) -> HttpResponse:
    found = _rating(principal, seat, rating, "section11.rating.respond-form")
    if not seat.may_assess(found.assessment):
        raise _refuse(
            principal, "section11.rating.respond-form", "Only the organisation's own assessors respond", found
        )
    form = ResponseForm(request.POST if request.method == "POST" else None, initial={"response": found.response})
    if form.is_bound and form.is_valid():
        text = form.cleaned_data["response"]
        if _attempt(
            form, lambda: services.respond_to_challenge(principal=principal, now=now, rating=found, response=text)
        ):
            messages.success(request, f"Your response on standard {found.standard.number} was saved")
            return redirect("section11:assessment", assessment=found.assessment.public_id)
    return _form_page(request, "section11/rating_respond.html", _context(seat, form=form, rating=found))


@_page("section11.action.form")
def action_new(
    request: HttpRequest, principal: Principal, seat: access.Seat, now: dt.datetime, assessment: uuid.UUID
) -> HttpResponse:
    found = _assessment(principal, seat, assessment, "section11.action.form")
    _must_change_actions(principal, seat, found, "section11.action.form")
    form = ActionForm(request.POST if request.method == "POST" else None, standards=found.cycle.standards.all())
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if _attempt(form, lambda: services.add_action(principal=principal, now=now, assessment=found, **data)):
            messages.success(request, "The action was added")
            return redirect("section11:assessment", assessment=found.public_id)
    return _form_page(request, "section11/action_form.html", _context(seat, form=form, assessment=found))


@_page("section11.action.update-form")
def action_update(
    request: HttpRequest, principal: Principal, seat: access.Seat, now: dt.datetime, action: uuid.UUID
) -> HttpResponse:
    found = (
        Action.objects.filter(public_id=action, assessment__cycle__partnership=seat.partnership)
        .select_related("assessment__organisation", "assessment__cycle", "standard")
        .first()
    )
    if found is None:
        raise Http404("No such action in this partnership")
    if not seat.may_see(found.assessment):
        raise _refuse(
            principal,
            "section11.action.update-form",
            "Only the organisation's own assessors and partnership roles can see this",
            found,
        )
    _must_change_actions(principal, seat, found.assessment, "section11.action.update-form")
    form = ActionUpdateForm(request.POST if request.method == "POST" else None, initial={"evidence": found.evidence})
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if _attempt(form, lambda: services.update_action(principal=principal, now=now, action=found, **data)):
            messages.success(request, "The action was updated")
            return redirect("section11:actions")
    today = timezone.localdate(now)
    return _form_page(request, "section11/action_update.html", _context(seat, form=form, action=found, today=today))


@_page("section11.actions.view")
def actions(request: HttpRequest, principal: Principal, seat: access.Seat, now: dt.datetime) -> HttpResponse:
    found = Action.objects.filter(assessment__cycle__partnership=seat.partnership)
    if not seat.sees_all:
        found = found.filter(assessment__organisation_id=seat.organisation_id)
    today = timezone.localdate(now)
    listed = _mark_changeable(seat, queries.actions_overdue_first(found, today))
    return render(request, "section11/actions.html", _context(seat, actions=listed, today=today))


@_page("section11.compare.view")
def compare(request: HttpRequest, principal: Principal, seat: access.Seat, now: dt.datetime) -> HttpResponse:
    if not seat.sees_all:
        raise access.Section11Refused(
            principal=principal, action="section11.compare.view", message="Only partnership roles compare organisations"
        )
    cycles = list(Cycle.objects.filter(partnership=seat.partnership).order_by("-opens_on"))
    chosen = request.GET.get("cycle", "")
    current = next((c for c in cycles if str(c.public_id) == chosen), cycles[0] if cycles else None)
    context = _context(
        seat,
        cycles=cycles,
        current=current,
        comparison=queries.comparison(current) if current else None,
        over_time=queries.cycles_over_time(seat.partnership),
    )
    return render(request, "section11/compare.html", context)


def _mark_changeable(seat: access.Seat, actions: Iterable[Action]) -> list[Action]:
    """The actions, each with `changeable` set: whether this principal may update it (its page is a form)."""
    listed = list(actions)
    for action in listed:
        action.changeable = seat.may_change_actions(action.assessment)  # type: ignore[attr-defined]
    return listed
