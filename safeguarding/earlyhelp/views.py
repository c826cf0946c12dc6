"""Early help pages: the list, the episode page, one form per step, and picking up waiting work.

Every page about a child opens the child's record through access.queries.open_person (decided and
audited) and renders inside the same transaction, as people.views.record does. Recording needs
RECORD_EARLY_HELP: a role without it is refused (403, audited DENIED) after the record is opened.
A valid form makes one service call in a savepoint, so a refused step leaves nothing behind.
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
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safeguarding.access import queries as access
from safeguarding.accounts.principal import Principal
from safeguarding.accounts.roles import Capability
from safeguarding.organisations.models import Team
from safeguarding.people.models import Person
from safeguarding.people.views.forms_base import posted, refuse_for_role
from safeguarding.people.views.record import principal_of, refusal_response
from safeguarding.voice import queries as voice

from . import forms as f
from . import queries, services, workflow
from .models import EarlyHelpEpisode, TeamAroundFamilyMember

STEP_DOWN_REASON = "Stepped down from children's social care: closed after assessment, referred to early help"
NO_ROLE = "Your role can read this record but cannot record early help. Tell the lead professional what has changed."


class _MissingCapability(Exception):
    def __init__(self, person: Person) -> None:
        self.person = person


def _not_found(request: HttpRequest, principal: Principal, action: str, raw: object, now: dt.datetime) -> HttpResponse:
    refusal = access.Refused(principal=principal, action=action, public_id=str(raw)[:80])
    return refusal_response(request, refusal, now=now)


def _episode_url(episode: EarlyHelpEpisode) -> Any:
    return redirect("earlyhelp:episode", public_id=episode.person.public_id, episode=episode.public_id)


# The episode page -----------------------------------------------------------------------------


@never_cache
@login_required
@require_GET
def episode_detail(request: HttpRequest, public_id: object, episode: object) -> HttpResponse:
    now = timezone.now()
    principal = principal_of(request)
    try:
        with transaction.atomic():
            person = access.open_person(principal, public_id, now=now, action="earlyhelp.view").person
            found = queries.episode_for(person, episode)
            page = queries.episode_page(found)
            can_record = principal.can(Capability.RECORD_EARLY_HELP)
            context = {
                "person": person,
                "page": page,
                "episode": found,
                "today": now.date(),
                "voice_entries": voice.voice_for_person(person, limit=2),
                "can_record": can_record,
                "steps": set(workflow.allowed_steps(found.status)) if can_record else set(),
            }
            return render(request, "earlyhelp/episode.html", context)
    except access.Refused as refusal:
        return refusal_response(request, refusal, now=now)
    except queries.NotFound:
        return _not_found(request, principal, "earlyhelp.view", episode, now)


# One form per step ----------------------------------------------------------------------------

MakeForm = Callable[[HttpRequest, Principal, EarlyHelpEpisode, dt.datetime], forms.Form]
Save = Callable[[Principal, EarlyHelpEpisode, Any, dt.datetime], str]


@dataclass(frozen=True)
class StepPage:
    step: str  # the workflow step (earlyhelp.workflow.STEPS)
    title: str
    template: str
    form: MakeForm
    save: Save | None = None  # the one service call; returns the message shown on the episode page
    intro: str = ""
    submit: str = "Save"


def _step_view(request: HttpRequest, public_id: object, episode: object, page: StepPage, **extra: Any) -> HttpResponse:
    now = timezone.now()
    principal = principal_of(request)
    action = f"earlyhelp.{page.step.replace('_', '-')}.form"
    try:
        with transaction.atomic():
            person = access.open_person(principal, public_id, now=now, action=action).person
            found = queries.episode_for(person, episode)
            if not principal.can(Capability.RECORD_EARLY_HELP):
                raise _MissingCapability(person)  # rolls back the read's audit row
            refused = workflow.refusal(found.status, page.step)
            form = page.form(request, principal, found, now, **extra)
            if refused is None and form.is_bound and form.is_valid():
                try:
                    with transaction.atomic():
                        assert page.save is not None
                        message = page.save(principal, found, form, now, **extra)
                except services.StepRefused as exc:
                    form.add_error(None, str(exc))
                else:
                    messages.success(request, message)
                    return _episode_url(found)
            context = {"form": form, "person": person, "episode": found, "page": page, "refused": refused, **extra}
            status = 400 if form.errors else (409 if refused and request.method == "POST" else 200)
            return render(request, page.template, context, status=status)
    except access.Refused as refusal:
        return refusal_response(request, refusal, now=now)
    except queries.NotFound:
        return _not_found(request, principal, action, episode, now)
    except _MissingCapability as missing:
        return refuse_for_role(request, principal, action=action, message=NO_ROLE, now=now, person=missing.person)


def _today(now: dt.datetime) -> dt.date:
    return timezone.localdate(now)


def _simple(form_class: type[forms.Form]) -> MakeForm:
    return lambda request, principal, episode, now, **_: form_class(posted(request), today=_today(now))  # type: ignore[call-arg]


def _users(episode: EarlyHelpEpisode) -> Any:
    return f.professionals(episode.local_authority_id)


def _save_consent(principal: Principal, episode: EarlyHelpEpisode, form: Any, now: dt.datetime, **_: Any) -> str:
    d = form.cleaned_data
    consent = services.record_consent(
        episode=episode,
        principal=principal,
        now=now,
        decision=d["decision"],
        by_whom=d["by_whom"],
        relationship=d["relationship"],
        decided_on=d["decided_on"],
        note=d["note"],
        backdated_reason=form.backdated_reason,
    )
    if consent.decision == "GIVEN":
        return "Consent recorded. You can now start the early help assessment."
    return "The family's decision is recorded. Early help has ended: it is voluntary."


CONSENT = StepPage(
    step="record_consent",
    title="Record the family's consent",
    template="earlyhelp/step.html",
    form=_simple(f.ConsentForm),
    save=_save_consent,
    intro="Early help is voluntary. The assessment can start only when the family has agreed. "
    "If they refuse, or withdraw consent later, early help ends.",
    submit="Record decision",
)


def _save_start(principal: Principal, episode: EarlyHelpEpisode, form: Any, now: dt.datetime, **_: Any) -> str:
    services.start_assessment(
        episode=episode,
        principal=principal,
        now=now,
        started_on=form.cleaned_data["started_on"],
        backdated_reason=form.backdated_reason,
    )
    return "Early help assessment started"


ASSESSMENT_START = StepPage(
    step="start_assessment",
    title="Start the early help assessment",
    template="earlyhelp/step.html",
    form=_simple(f.AssessmentStartForm),
    save=_save_start,
    intro="The assessment needs the family's consent first: early help is voluntary.",
    submit="Start assessment",
)


def _complete_form(
    request: HttpRequest, principal: Principal, episode: EarlyHelpEpisode, now: dt.datetime, **_: Any
) -> Any:
    assessment = getattr(episode, "assessment", None)
    initial = {}
    if assessment is not None:
        initial = {k: getattr(assessment, k) for k in ("strengths", "needs", "family_view", "child_view")}
    return f.AssessmentCompleteForm(posted(request), initial=initial, today=_today(now))


def _save_complete(principal: Principal, episode: EarlyHelpEpisode, form: Any, now: dt.datetime, **_: Any) -> str:
    d = form.cleaned_data
    services.complete_assessment(
        episode=episode,
        principal=principal,
        now=now,
        completed_on=d["completed_on"],
        strengths=d["strengths"],
        needs=d["needs"],
        child_view=d["child_view"],
        family_view=d["family_view"],
        backdated_reason=form.backdated_reason,
    )
    return "Early help assessment completed. Start the plan with the family next."


ASSESSMENT_COMPLETE = StepPage(
    step="complete_assessment",
    title="Complete the early help assessment",
    template="earlyhelp/step.html",
    form=_complete_form,
    save=_save_complete,
    intro="Strengths first: what is working well, then what the family needs help with, and what the child says.",
    submit="Complete assessment",
)


def _professional_form(form_class: type[Any]) -> MakeForm:
    def make(request: HttpRequest, principal: Principal, episode: EarlyHelpEpisode, now: dt.datetime, **_: Any) -> Any:
        return form_class(posted(request), today=_today(now), users=_users(episode))

    return make


def _save_lead(principal: Principal, episode: EarlyHelpEpisode, form: Any, now: dt.datetime, **_: Any) -> str:
    d = form.cleaned_data
    lead = services.appoint_lead_professional(
        episode=episode,
        principal=principal,
        now=now,
        started_on=d["started_on"],
        user=d["user"],
        name=d["name"],
        organisation_name=d["organisation_name"],
        role=d["role"],
        backdated_reason=form.backdated_reason,
    )
    return f"{lead.display_name} is the lead professional"


LEAD = StepPage(
    step="appoint_lead",
    title="Appoint the lead professional",
    template="earlyhelp/step.html",
    form=_professional_form(f.LeadProfessionalForm),
    save=_save_lead,
    intro="The lead professional can work for any agency. If someone holds the role now, they hand over on the "
    "start date. Someone who uses this system can then open the child's record.",
    submit="Appoint lead professional",
)


def _save_member(principal: Principal, episode: EarlyHelpEpisode, form: Any, now: dt.datetime, **_: Any) -> str:
    d = form.cleaned_data
    member = services.add_taf_member(
        episode=episode,
        principal=principal,
        now=now,
        joined_on=d["joined_on"],
        role=d["role"],
        user=d["user"],
        name=d["name"],
        organisation_name=d["organisation_name"],
        backdated_reason=form.backdated_reason,
    )
    return f"{member.display_name} added to the team around the family"


MEMBER_ADD = StepPage(
    step="add_member",
    title="Add someone to the team around the family",
    template="earlyhelp/step.html",
    form=_professional_form(f.MemberForm),
    save=_save_member,
    intro="Members can come from any agency. Someone who uses this system can then open the child's record.",
    submit="Add to the team",
)


def _save_left(principal: Principal, episode: EarlyHelpEpisode, form: Any, now: dt.datetime, **extra: Any) -> str:
    member = extra["member"]
    services.taf_member_left(
        member=member,
        principal=principal,
        now=now,
        left_on=form.cleaned_data["left_on"],
        backdated_reason=form.backdated_reason,
    )
    return f"{member.display_name} has left the team around the family"


MEMBER_LEFT = StepPage(
    step="member_left",
    title="Record that someone left the team around the family",
    template="earlyhelp/step.html",
    form=_simple(f.MemberLeftForm),
    save=_save_left,
    submit="Record leaving",
)


def _save_plan(principal: Principal, episode: EarlyHelpEpisode, form: Any, now: dt.datetime, **_: Any) -> str:
    d = form.cleaned_data
    services.start_plan(
        episode=episode,
        principal=principal,
        now=now,
        started_on=d["started_on"],
        first_review_on=d["first_review_on"],
        change=d["change"],
        due_on=d["due_on"],
        who=d["who"],
        headline=d["headline"],
        backdated_reason=form.backdated_reason,
    )
    return "Early help plan started. Add the other outcomes the family agreed."


PLAN_START = StepPage(
    step="start_plan",
    title="Start the early help plan",
    template="earlyhelp/step.html",
    form=_simple(f.PlanStartForm),
    save=_save_plan,
    intro="The plan builds on the completed assessment. Start it with its first outcome; add the others next.",
    submit="Start plan",
)


def _save_outcome(principal: Principal, episode: EarlyHelpEpisode, form: Any, now: dt.datetime, **_: Any) -> str:
    d = form.cleaned_data
    services.add_outcome(
        episode=episode,
        principal=principal,
        now=now,
        change=d["change"],
        due_on=d["due_on"],
        who=d["who"],
        headline=d["headline"],
    )
    return "Outcome added to the plan"


OUTCOME_ADD = StepPage(
    step="add_outcome",
    title="Add an outcome to the plan",
    template="earlyhelp/step.html",
    form=_simple(f.OutcomeForm),
    save=_save_outcome,
    submit="Add outcome",
)


def _review_form(
    request: HttpRequest, principal: Principal, episode: EarlyHelpEpisode, now: dt.datetime, **_: Any
) -> Any:
    plan = getattr(episode, "plan", None)
    outcomes = list(plan.outcomes.order_by("due_on", "id")) if plan else []
    entries = voice.voice_for_person(episode.person, limit=10)
    return f.ReviewForm(posted(request), today=_today(now), outcomes=outcomes, voice_entries=entries)


def _save_review(principal: Principal, episode: EarlyHelpEpisode, form: Any, now: dt.datetime, **_: Any) -> str:
    d = form.cleaned_data
    services.record_review(
        episode=episode,
        principal=principal,
        now=now,
        held_on=d["held_on"],
        progress=form.progress(),
        next_review_on=d["next_review_on"],
        summary=d["summary"],
        backdated_reason=form.backdated_reason,
        voice_entries=f.chosen_voice(form),
    )
    return "Review recorded"


REVIEW = StepPage(
    step="review",
    title="Record a review of the plan",
    template="earlyhelp/review.html",
    form=_review_form,
    save=_save_review,
    intro="Rate progress on each outcome with the family: red (not on track), amber (some progress) or green.",
    submit="Record review",
)


def _step_up_form(
    request: HttpRequest, principal: Principal, episode: EarlyHelpEpisode, now: dt.datetime, **_: Any
) -> Any:
    teams = Team.objects.filter(organisation_id=episode.local_authority_id, is_active=True).order_by("name")
    return f.StepUpForm(posted(request), today=_today(now), teams=teams)


def _save_step_up(principal: Principal, episode: EarlyHelpEpisode, form: Any, now: dt.datetime, **_: Any) -> str:
    d = form.cleaned_data
    services.step_up(
        episode=episode,
        principal=principal,
        now=now,
        stepped_up_on=d["stepped_up_on"],
        reason=d["reason"],
        team=d["team"],
        primary_need=d["primary_need"],
        backdated_reason=form.backdated_reason,
    )
    return (
        "Referred to children's social care. The early help has ended as stepped up; its history stays with the child."
    )


STEP_UP = StepPage(
    step="step_up",
    title="Step up to children's social care",
    template="earlyhelp/step.html",
    form=_step_up_form,
    save=_save_step_up,
    intro="This makes a referral to children's social care (source: early help) and ends the early help. "
    "If a child is at immediate risk, phone the front door or the police first.",
    submit="Make the referral",
)


def _save_close(principal: Principal, episode: EarlyHelpEpisode, form: Any, now: dt.datetime, **_: Any) -> str:
    d = form.cleaned_data
    services.close(
        episode=episode,
        principal=principal,
        now=now,
        closure_date=d["closure_date"],
        outcome=d["outcome"],
        note=d["note"],
        backdated_reason=form.backdated_reason,
        voice_entries=f.chosen_voice(form),
    )
    return "Early help closed"


CLOSE = StepPage(
    step="close",
    title="Close the early help",
    template="earlyhelp/step.html",
    form=lambda request, principal, episode, now, **_: f.CloseForm(
        posted(request), today=_today(now), voice_entries=voice.voice_for_person(episode.person, limit=10)
    ),
    save=_save_close,
    intro="Close with the family at a final review: what has changed, and what support carries on.",
    submit="Close early help",
)


def _step(page: StepPage) -> Callable[..., HttpResponse]:
    @never_cache
    @login_required
    @require_http_methods(["GET", "POST"])
    def view(request: HttpRequest, public_id: object, episode: object) -> HttpResponse:
        return _step_view(request, public_id, episode, page)

    return view


consent = _step(CONSENT)
assessment_start = _step(ASSESSMENT_START)
assessment_complete = _step(ASSESSMENT_COMPLETE)
lead = _step(LEAD)
member_add = _step(MEMBER_ADD)
plan_start = _step(PLAN_START)
outcome_add = _step(OUTCOME_ADD)
review = _step(REVIEW)
step_up = _step(STEP_UP)
close = _step(CLOSE)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def member_left(request: HttpRequest, public_id: object, episode: object, member: object) -> HttpResponse:
    member_id, episode_id = queries.parse_id(member), queries.parse_id(episode)
    found = (  # used only once the child's record is opened (in _step_view)
        TeamAroundFamilyMember.objects.filter(public_id=member_id, episode__public_id=episode_id)
        .select_related("user", "organisation", "involvement")
        .first()
        if member_id and episode_id
        else None
    )
    if found is None:
        return _not_found(request, principal_of(request), "earlyhelp.member-left.form", member, timezone.now())
    return _step_view(request, public_id, episode, MEMBER_LEFT, member=found)


# Offer early help for a child the practitioner may open ---------------------------------------

OFFER = StepPage(
    step="offer",
    title="Offer early help",
    template="earlyhelp/step.html",
    form=_simple(f.OfferForm),
    intro="Early help is voluntary: the family decides whether to take it up. Your team will hold the offer.",
    submit="Offer early help",
)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def offer(request: HttpRequest, public_id: object) -> HttpResponse:
    now = timezone.now()
    principal = principal_of(request)
    action = "earlyhelp.offer.form"
    try:
        with transaction.atomic():
            person = access.open_person(principal, public_id, now=now, action=action).person
            if not principal.can(Capability.RECORD_EARLY_HELP):
                raise _MissingCapability(person)
            form = f.OfferForm(posted(request), today=_today(now))
            if form.is_bound and form.is_valid():
                membership = principal.membership
                try:
                    with transaction.atomic():
                        episode = services.offer_early_help(
                            person=person,
                            principal=principal,
                            now=now,
                            offered_on=form.cleaned_data["offered_on"],
                            reason=form.cleaned_data["reason"],
                            team=membership.team if membership else None,
                            backdated_reason=form.backdated_reason,
                        )
                except services.StepRefused as exc:
                    form.add_error(None, str(exc))
                else:
                    messages.success(request, "Early help offered. Record the family's consent when they decide.")
                    return _episode_url(episode)
            context = {"form": form, "person": person, "episode": None, "page": OFFER, "refused": None}
            return render(request, OFFER.template, context, status=400 if form.errors else 200)
    except access.Refused as refusal:
        return refusal_response(request, refusal, now=now)
    except _MissingCapability as missing:
        return refuse_for_role(request, principal, action=action, message=NO_ROLE, now=now, person=missing.person)


# The list, and picking up waiting work --------------------------------------------------------


@never_cache
@login_required
@require_GET
def early_help_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    principal = principal_of(request)
    with transaction.atomic():
        lists = queries.early_help_lists(principal, now=now)
        find = _find(request, principal, now)
        context = {"lists": lists, "today": now.date(), **find}
        return render(request, "earlyhelp/list.html", context)


def _find(request: HttpRequest, principal: Principal, now: dt.datetime) -> dict[str, Any]:
    """'Offer early help to a child you work with': search, offering only the records the user may open."""
    if not principal.can(Capability.RECORD_EARLY_HELP) or not principal.can(Capability.SEARCH_PEOPLE):
        return {"find_form": None}
    from safeguarding.people.views.forms_base import find_records

    return find_records(request, principal, now, exclude=None, unborn=True)


@never_cache
@login_required
@require_POST
def pick_up(request: HttpRequest, episode: object) -> HttpResponse:
    """An early help team takes on an offer from the front door (then its members may open the record)."""
    now = timezone.now()
    principal = principal_of(request)
    try:
        with transaction.atomic():
            found = queries.open_for_pick_up(principal, kind="pick-up", public_id=episode, now=now)
            try:
                with transaction.atomic():
                    services.pick_up(episode=found, principal=principal, now=now)
            except services.StepRefused as exc:
                messages.error(request, str(exc))
                return redirect("earlyhelp:list")
    except access.Refused as refusal:
        return refusal_response(request, refusal, now=now)
    messages.success(request, f"Your team has taken on early help for {found.person.display_name}")
    return _episode_url(found)


@never_cache
@login_required
@require_POST
def step_down(request: HttpRequest, casework_episode: object) -> HttpResponse:
    """Start early help for a child stepped down from social care (closed with RC9), carrying the history."""
    now = timezone.now()
    principal = principal_of(request)
    membership = principal.membership
    try:
        with transaction.atomic():
            stepped = queries.open_for_pick_up(principal, kind="step-down", public_id=casework_episode, now=now)
            try:
                with transaction.atomic():
                    episode = services.offer_early_help(
                        person=stepped.person,
                        principal=principal,
                        now=now,
                        offered_on=_today(now),
                        reason=STEP_DOWN_REASON,
                        stepped_down_from=stepped,
                        team=membership.team if membership else None,
                        backdated_reason="",
                    )
            except services.StepRefused as exc:
                messages.error(request, str(exc))
                return redirect("earlyhelp:list")
    except access.Refused as refusal:
        return refusal_response(request, refusal, now=now)
    messages.success(
        request, f"Early help started for {stepped.person.display_name}. Record the family's consent next."
    )
    return _episode_url(episode)
