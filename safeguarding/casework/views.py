"""The social care episode's pages: the episode, its conferences and plans, and one form per step.

Each view opens the child's record through access.queries.open_person (which decides and audits),
loads the episode inside the same transaction and renders there. A step's form page also checks
the role's capability (a refusal is audited DENIED and answered 403) and the transition table
(a step not allowed now is answered 409 with why and what is allowed). A valid POST makes the
one service call in a savepoint: a refused step leaves nothing but the read's audit row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from safeguarding.access import queries as access_queries
from safeguarding.accounts.principal import Principal
from safeguarding.accounts.roles import Capability
from safeguarding.people.models import Person
from safeguarding.people.views.forms_base import refuse_for_role
from safeguarding.people.views.record import principal_of, refusal_response

from . import forms as f
from . import queries, services, workflow
from .due_lists import CIN_PLAN_REVIEW, FIRST_CORE_GROUP, REVIEW_CONFERENCE, due_items
from .models import Conference, Episode

NO_CASEWORK_ROLE = "Your role cannot record social care casework. Tell the child's social worker what has happened."
NO_AUTHORISE_ROLE = "Only a team manager can authorise an assessment."

# The page for each step of the table (workflow action -> URL name).
STEP_URLS = {
    workflow.START_ASSESSMENT: "casework:assessment-start",
    workflow.START_ASSESSMENT + "-again": "casework:assessment-start",
    workflow.COMPLETE_ASSESSMENT: "casework:assessment-complete",
    workflow.AUTHORISE_ASSESSMENT: "casework:assessment-authorise",
    workflow.SET_PRIMARY_NEED: "casework:primary-need",
    workflow.START_CIN_PLAN: "casework:cin-plan-new",
    workflow.REVIEW_CIN_PLAN: "casework:cin-review-new",
    workflow.END_CIN_PLAN: "casework:cin-plan-end",
    workflow.HOLD_STRATEGY_DISCUSSION: "casework:strategy-new",
    workflow.START_SECTION_47: "casework:s47-start",
    workflow.COMPLETE_SECTION_47: "casework:s47-outcome",
    workflow.HOLD_INITIAL_CONFERENCE: "casework:conference-initial",
    workflow.HOLD_CORE_GROUP: "casework:core-group-new",
    workflow.HOLD_REVIEW_CONFERENCE: "casework:conference-review",
    workflow.CHANGE_CATEGORY: "casework:category-change",
    workflow.END_CP_PLAN: "casework:cp-plan-end",
    workflow.CLOSE: "casework:close",
}
VOICE_CHOICES = 6  # the child's most recent entries offered as "which of their words informed this?"


class _NotFound(Exception):
    """The episode (or record) is not one of this child's: answered 404 after the read is audited."""


class _MissingCapability(Exception):
    def __init__(self, person: Person, message: str) -> None:
        self.person = person
        self.message = message


def _posted(request: HttpRequest) -> QueryDict | None:
    return request.POST if request.method == "POST" else None


def _open_episode(
    principal: Principal, public_id: object, episode_id: object, *, now: dt.datetime, action: str
) -> tuple[Person, Episode]:
    """Open the child's record for `action` (audited), then their episode (404 if not theirs)."""
    opened = access_queries.open_person(
        principal, public_id, now=now, action=action, details={"episode": str(episode_id)}
    )
    episode = queries.episode_for(opened.person, episode_id)
    if episode is None:
        raise _NotFound()
    return opened.person, episode


def _episode_url(episode: Episode) -> str:
    return reverse("casework:episode", kwargs={"public_id": episode.person.public_id, "episode": episode.public_id})


def _voice(person: Person, *, linked_to: Any = None) -> list[Any]:
    """The child's words for a page: those that informed `linked_to`, else their most recent."""
    from safeguarding.voice import queries as voice_queries

    if linked_to is not None:
        linked = voice_queries.voice_linked_to(linked_to)
        if linked:
            return linked
    return voice_queries.voice_for_person(person, limit=3)


def _recent_voice(person: Person) -> list[Any]:
    from safeguarding.voice import queries as voice_queries

    return voice_queries.voice_for_person(person, limit=VOICE_CHOICES)


def _refused_step(request: HttpRequest, person: Person, episode: Episode, message: str, title: str) -> HttpResponse:
    context = {"person": person, "episode": episode, "message": message, "title": title}
    return render(request, "casework/step_refused.html", context, status=409)


def _not_found(request: HttpRequest) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


# ---- read pages ----------------------------------------------------------------------------


def _read_page(
    request: HttpRequest,
    public_id: object,
    episode_id: object,
    *,
    action: str,
    template: str,
    context: Callable[[Principal, Person, Episode, dt.datetime], dict[str, Any] | None],
) -> HttpResponse:
    now = timezone.now()
    principal = principal_of(request)
    try:
        with transaction.atomic():
            person, episode = _open_episode(principal, public_id, episode_id, now=now, action=action)
            data = context(principal, person, episode, now)
            if data is None:
                return _not_found(request)
            return render(request, template, {"person": person, "episode": episode, **data})
    except access_queries.Refused as refusal:
        return refusal_response(request, refusal, now=now)
    except _NotFound:
        return _not_found(request)


def _step_links(principal: Principal, episode: Episode, state: workflow.State) -> list[dict[str, str]]:
    links = []
    for step in workflow.allowed(episode, state):
        if principal.can(Capability[step.capability]):
            url = reverse(
                STEP_URLS[step.action], kwargs={"public_id": episode.person.public_id, "episode": episode.public_id}
            )
            label = (
                "Change the primary need"
                if step.action == workflow.SET_PRIMARY_NEED and episode.primary_need
                else step.label
            )
            links.append({"label": label, "url": url, "action": step.action})
    return links


def _episode_context(principal: Principal, person: Person, episode: Episode, now: dt.datetime) -> dict[str, Any]:
    records = queries.episode_records(episode)
    state = workflow.state_of(episode)
    today = services.today_for(now)
    return {
        "records": records,
        "events": records.events(),
        "previous": queries.previous_referral(episode),
        "due": due_items([episode], today=today),
        "today": today,
        "steps": _step_links(principal, episode, state) if episode.is_open else [],
        "awaiting_authorisation": state.unauthorised_assessment,
        "voice_entries": _voice(person),
    }


@never_cache
@login_required
@require_GET
def episode_detail(request: HttpRequest, public_id: object, episode: object) -> HttpResponse:
    return _read_page(
        request,
        public_id,
        episode,
        action="casework.episode.view",
        template="casework/episode.html",
        context=_episode_context,
    )


def _conference_context(conference_id: object) -> Callable[..., dict[str, Any] | None]:
    def context(principal: Principal, person: Person, episode: Episode, now: dt.datetime) -> dict[str, Any] | None:
        conference = queries.record_for(episode, Conference, conference_id)
        if conference is None:
            return None
        return {
            "conference": conference,
            "plan": conference.plan,
            "voice_entries": _voice(person, linked_to=conference),
        }

    return context


@never_cache
@login_required
@require_GET
def conference_detail(request: HttpRequest, public_id: object, episode: object, conference: object) -> HttpResponse:
    return _read_page(
        request,
        public_id,
        episode,
        action="casework.conference.view",
        template="casework/conference.html",
        context=_conference_context(conference),
    )


def _plan_context(plan_id: object) -> Callable[..., dict[str, Any] | None]:
    def context(principal: Principal, person: Person, episode: Episode, now: dt.datetime) -> dict[str, Any] | None:
        records = queries.episode_records(episode)
        plan = next((p for p in records.cp_plans if str(p.public_id) == str(plan_id)), None)
        if plan is None:
            return None
        today = services.today_for(now)
        return {
            "plan": plan,
            "due": [d for d in due_items([episode], today=today) if d.kind in (FIRST_CORE_GROUP, REVIEW_CONFERENCE)],
            "today": today,
            "voice_entries": _voice(person, linked_to=plan.conferences.all()[0] if plan.conferences.all() else None),
        }

    return context


@never_cache
@login_required
@require_GET
def cp_plan_detail(request: HttpRequest, public_id: object, episode: object, plan: object) -> HttpResponse:
    return _read_page(
        request,
        public_id,
        episode,
        action="casework.cp-plan.view",
        template="casework/cp_plan.html",
        context=_plan_context(plan),
    )


def _cin_plan_context(plan_id: object) -> Callable[..., dict[str, Any] | None]:
    def context(principal: Principal, person: Person, episode: Episode, now: dt.datetime) -> dict[str, Any] | None:
        records = queries.episode_records(episode)
        plan = next((p for p in records.cin_plans if str(p.public_id) == str(plan_id)), None)
        if plan is None:
            return None
        today = services.today_for(now)
        return {
            "plan": plan,
            "due": [d for d in due_items([episode], today=today) if d.kind == CIN_PLAN_REVIEW],
            "today": today,
            "voice_entries": _voice(person),
        }

    return context


@never_cache
@login_required
@require_GET
def cin_plan_detail(request: HttpRequest, public_id: object, episode: object, plan: object) -> HttpResponse:
    return _read_page(
        request,
        public_id,
        episode,
        action="casework.cin-plan.view",
        template="casework/cin_plan.html",
        context=_cin_plan_context(plan),
    )


# ---- step pages ----------------------------------------------------------------------------


@dataclass
class Step:
    """What a step's form page needs, handed to its form builder and its save function."""

    request: HttpRequest
    principal: Principal
    person: Person
    episode: Episode
    state: workflow.State
    now: dt.datetime

    @property
    def today(self) -> dt.date:
        return services.today_for(self.now)


@dataclass(frozen=True)
class StepPage:
    action: str  # the workflow action (row of the table)
    title: str
    form: Callable[[Step], forms.Form]
    save: Callable[[Step, Any], Any]  # the one service call
    done: str  # the message shown on the episode page
    intro: Callable[[Step], dict[str, Any]] | None = None  # what the page shows above the form
    voice_first: bool = False  # conference and plan pages show the child's words first
    submit: str = "Save"
    capability: Capability = Capability.RECORD_CASEWORK
    refusal: str = NO_CASEWORK_ROLE


def step_view(request: HttpRequest, public_id: object, episode_id: object, page: StepPage) -> HttpResponse:
    now = timezone.now()
    principal = principal_of(request)
    try:
        with transaction.atomic():
            action = f"casework.{page.action}.form"
            person, episode = _open_episode(principal, public_id, episode_id, now=now, action=action)
            if not principal.can(page.capability):
                raise _MissingCapability(person, page.refusal)  # rolls back the read's audit row
            state = workflow.state_of(episode)
            try:
                workflow.check(episode, page.action, state)
            except services.StepRefused as refused:
                return _refused_step(request, person, episode, str(refused), page.title)
            step = Step(request, principal, person, episode, state, now)
            form = page.form(step)
            if form.is_bound and form.is_valid():
                try:
                    with transaction.atomic():
                        page.save(step, form)
                except services.StepRefused as exc:
                    form.add_error(None, str(exc))
                else:
                    messages.success(request, page.done)
                    return redirect(_episode_url(episode))
            context = {
                "form": form,
                "person": person,
                "episode": episode,
                "title": page.title,
                "submit": page.submit,
                "voice_first": page.voice_first,
                "voice_entries": _voice(person) if page.voice_first else [],
                **(page.intro(step) if page.intro else {}),
            }
            return render(request, "casework/step_form.html", context, status=400 if form.errors else 200)
    except access_queries.Refused as refusal:
        return refusal_response(request, refusal, now=now)
    except _NotFound:
        return _not_found(request)
    except _MissingCapability as missing:
        return refuse_for_role(
            request,
            principal,
            action=f"casework.{page.action}.form",
            message=missing.message,
            now=now,
            person=missing.person,
        )


def _page(page: StepPage) -> Callable[..., HttpResponse]:
    @never_cache
    @login_required
    @require_http_methods(["GET", "POST"])
    def view(request: HttpRequest, public_id: object, episode: object) -> HttpResponse:
        return step_view(request, public_id, episode, page)

    view.__name__ = page.action.replace("-", "_")
    return view


def _form(
    cls: type[f.StepForm], *, voice: bool = False, **extra: Callable[[Step], Any]
) -> Callable[[Step], forms.Form]:
    def build(step: Step) -> forms.Form:
        kwargs = {name: make(step) for name, make in extra.items()}
        entries = _recent_voice(step.person) if voice else None
        return cls(_posted(step.request), today=step.today, voice_entries=entries, **kwargs)

    return build


def _call(service: Callable[..., Any], target: Callable[[Step], dict[str, Any]]) -> Callable[[Step, Any], Any]:
    """Call `service` with the form's answers, the target record(s) and principal/now."""

    def save(step: Step, form: Any) -> Any:
        return service(principal=step.principal, now=step.now, **target(step), **form.step_kwargs())

    return save


def _episode(step: Step) -> dict[str, Any]:
    return {"episode": step.episode}


def _maximum(step: Step) -> dict[str, Any]:
    from . import rules

    standard = rules.standards_for([step.episode.local_authority_id])[step.episode.local_authority_id]
    maximum = standard[rules.ASSESSMENT_MAXIMUM]
    return {
        "assessment_maximum": rules.assessment_local_maximum(step.episode, maximum),
        "assessment_maximum_rule": f"{maximum.describe()} from the referral",
    }


def _assessment_open(step: Step) -> dict[str, Any]:
    assert step.state.open_assessment is not None
    return {"assessment": step.state.open_assessment}


def _assessment_waiting(step: Step) -> dict[str, Any]:
    assert step.state.unauthorised_assessment is not None
    return {"assessment": step.state.unauthorised_assessment}


def _cin_plan(step: Step) -> dict[str, Any]:
    return {"plan": step.state.open_cin_plan}


def _cp_plan(step: Step) -> dict[str, Any]:
    return {"plan": step.state.open_cp_plan}


def _enquiry(step: Step) -> dict[str, Any]:
    return {"enquiry": step.state.open_section47}


def _s47_intro(step: Step) -> dict[str, Any]:
    discussion = step.state.pending_strategy
    return {"strategy": discussion, "conference_target": services.conference_target(discussion) if discussion else None}


def _save_primary_need(step: Step, form: Any) -> Any:
    return services.set_primary_need(
        episode=step.episode, principal=step.principal, now=step.now, primary_need=form.cleaned_data["primary_need"]
    )


PAGES = {
    "primary-need": StepPage(
        workflow.SET_PRIMARY_NEED,
        "Record the primary need",
        _form(f.PrimaryNeedForm),
        _save_primary_need,
        "Primary need recorded",
    ),
    "assessment-start": StepPage(
        workflow.START_ASSESSMENT,
        "Start an assessment",
        _form(f.AssessmentStartForm),
        _call(services.start_assessment, _episode),
        "Assessment started",
        intro=_maximum,
        submit="Start the assessment",
    ),
    "assessment-complete": StepPage(
        workflow.COMPLETE_ASSESSMENT,
        "Complete the assessment",
        _form(
            f.AssessmentCompleteForm,
            voice=True,
            has_plan=lambda step: bool(step.state.open_cin_plan or step.state.open_cp_plan),
        ),
        _call(services.complete_assessment, _assessment_open),
        "Assessment completed",
        intro=_assessment_open,
        voice_first=True,
    ),
    "assessment-authorise": StepPage(
        workflow.AUTHORISE_ASSESSMENT,
        "Authorise the assessment",
        _form(f.AuthoriseForm),
        _call(services.authorise_assessment, _assessment_waiting),
        "Assessment authorised",
        intro=_assessment_waiting,
        submit="Authorise",
        capability=Capability.AUTHORISE_CASEWORK,
        refusal=NO_AUTHORISE_ROLE,
    ),
    "cin-plan-new": StepPage(
        workflow.START_CIN_PLAN,
        "Start a child in need plan",
        _form(f.CinPlanStartForm),
        _call(services.start_cin_plan, _episode),
        "Child in need plan started",
        voice_first=True,
        submit="Start the plan",
    ),
    "cin-review-new": StepPage(
        workflow.REVIEW_CIN_PLAN,
        "Record a child in need review",
        _form(f.CinReviewForm),
        _call(services.review_cin_plan, _cin_plan),
        "Child in need review recorded",
        intro=_cin_plan,
        voice_first=True,
    ),
    "cin-plan-end": StepPage(
        workflow.END_CIN_PLAN,
        "End the child in need plan",
        _form(f.CinPlanEndForm),
        _call(services.end_cin_plan, _cin_plan),
        "Child in need plan ended",
        intro=_cin_plan,
        voice_first=True,
        submit="End the plan",
    ),
    "strategy-new": StepPage(
        workflow.HOLD_STRATEGY_DISCUSSION,
        "Record a strategy discussion",
        _form(f.StrategyForm, voice=True),
        _call(services.hold_strategy_discussion, _episode),
        "Strategy discussion recorded",
        voice_first=True,
    ),
    "s47-start": StepPage(
        workflow.START_SECTION_47,
        "Start the section 47 enquiry",
        _form(f.Section47StartForm),
        _call(services.start_section47, _episode),
        "Section 47 enquiry started",
        intro=_s47_intro,
        submit="Start the enquiry",
    ),
    "s47-outcome": StepPage(
        workflow.COMPLETE_SECTION_47,
        "Record the section 47 outcome",
        _form(f.Section47OutcomeForm, voice=True),
        _call(services.complete_section47, _enquiry),
        "Section 47 outcome recorded",
        intro=_enquiry,
        voice_first=True,
    ),
    "conference-initial": StepPage(
        workflow.HOLD_INITIAL_CONFERENCE,
        "Record the initial child protection conference",
        _form(f.InitialConferenceForm, voice=True),
        _call(services.hold_initial_conference, _episode),
        "Initial conference recorded",
        voice_first=True,
    ),
    "conference-review": StepPage(
        workflow.HOLD_REVIEW_CONFERENCE,
        "Record a review conference",
        _form(f.ReviewConferenceForm, voice=True),
        _call(services.hold_review_conference, _cp_plan),
        "Review conference recorded",
        intro=_cp_plan,
        voice_first=True,
    ),
    "core-group-new": StepPage(
        workflow.HOLD_CORE_GROUP,
        "Record a core group meeting",
        _form(f.CoreGroupForm),
        _call(services.hold_core_group, _cp_plan),
        "Core group meeting recorded",
        intro=_cp_plan,
        voice_first=True,
    ),
    "category-change": StepPage(
        workflow.CHANGE_CATEGORY,
        "Change the category of the plan",
        _form(f.CategoryChangeForm),
        _call(services.change_category, _cp_plan),
        "Category changed",
        intro=_cp_plan,
        voice_first=True,
    ),
    "cp-plan-end": StepPage(
        workflow.END_CP_PLAN,
        "End the child protection plan",
        _form(f.CpPlanEndForm),
        _call(services.end_cp_plan, _cp_plan),
        "Child protection plan ended",
        intro=_cp_plan,
        voice_first=True,
        submit="End the plan",
    ),
    "close": StepPage(
        workflow.CLOSE,
        "Close the episode",
        _form(
            f.CloseForm,
            voice=True,
            has_open_plan=lambda step: bool(step.state.open_cin_plan or step.state.open_cp_plan),
        ),
        _call(services.close_episode, _episode),
        "Episode closed",
        voice_first=True,
        submit="Close the episode",
    ),
}
STEP_VIEWS = {name: _page(page) for name, page in PAGES.items()}


# ---- referral ------------------------------------------------------------------------------

REFERRAL_ACTION = "casework.referral.form"


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def referral_new(request: HttpRequest, public_id: object) -> HttpResponse:
    now = timezone.now()
    principal = principal_of(request)
    try:
        with transaction.atomic():
            person = access_queries.open_person(principal, public_id, now=now, action=REFERRAL_ACTION).person
            if not principal.can(Capability.RECORD_CASEWORK):
                raise _MissingCapability(person, NO_CASEWORK_ROLE)
            current = queries.episodes_for_panel(person)
            if current and current[0].is_open:
                message = "This child already has an open episode: record what is new on it, or close it first."
                return _refused_step(request, person, current[0], message, "Refer to children's social care")
            form = f.ReferralForm(
                _posted(request),
                today=services.today_for(now),
                local_authority_id=person.local_authority_id,
                initial={"team": principal.team_id, "referral_date": services.today_for(now)},
            )
            if form.is_bound and form.is_valid():
                try:
                    with transaction.atomic():
                        episode = services.open_referral(
                            person=person, principal=principal, now=now, **form.step_kwargs()
                        )
                except services.StepRefused as exc:
                    form.add_error(None, str(exc))
                else:
                    messages.success(request, "Referral recorded")
                    return redirect(_episode_url(episode))
            context = {
                "form": form,
                "person": person,
                "title": "Refer to children's social care",
                "submit": "Record the referral",
            }
            return render(request, "casework/step_form.html", context, status=400 if form.errors else 200)
    except access_queries.Refused as refusal:
        return refusal_response(request, refusal, now=now)
    except _MissingCapability as missing:
        return refuse_for_role(
            request, principal, action=REFERRAL_ACTION, message=missing.message, now=now, person=missing.person
        )


__all__ = ["STEP_VIEWS", "cin_plan_detail", "conference_detail", "cp_plan_detail", "episode_detail", "referral_new"]
