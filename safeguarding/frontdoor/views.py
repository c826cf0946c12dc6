"""Front door pages: the list of contacts waiting (frontdoor:list), record a contact (frontdoor:contact-new),
the contact page (frontdoor:contact) and its steps (screen, ask a partner, record an answer, decide, feedback).

Every page about a contact opens the child's record through access.queries.open_person first (audited) and
renders in the same transaction; refusals are audited and answered 404 or 403 (people.views.record).
A step the role may not take is refused with people.views.forms_base.refuse_for_role.
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
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from safeguarding.access import queries as access_queries
from safeguarding.accounts.principal import Principal
from safeguarding.accounts.roles import Capability
from safeguarding.organisations.models import Organisation, OrganisationType
from safeguarding.people.codes import PersonKind
from safeguarding.people.forms import FindPersonForm
from safeguarding.people.models import Person
from safeguarding.people.views.forms_base import FIND_PREFIX, posted, refuse_for_role
from safeguarding.people.views.record import principal_of, refusal_response
from safeguarding.voice import queries as voice_queries

from . import queries, referrals, services
from .codes import Decision
from .forms import AnswerForm, ContactForm, DecisionForm, FeedbackForm, InformationRequestForm, ScreeningForm
from .models import Contact

NOT_FRONT_DOOR = "Only the MASH and team managers work the front door list."
NO_CONTACTS = (
    "Your role cannot record contacts. If you are worried about a child, phone the local authority's front door."
)


def _partners(person: Person) -> QuerySet[Organisation]:
    """Organisations in the child's local authority's safeguarding partnerships (and the authority itself)."""
    la_id = person.local_authority_id
    return (
        Organisation.objects.filter(Q(partnerships__local_authority_id=la_id) | Q(pk=la_id)).distinct().order_by("name")
    )


# The front door list


@never_cache
@login_required
@require_GET
def front_door(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    principal = principal_of(request)
    if not queries.may_see_front_door(principal):
        return refuse_for_role(request, principal, action="frontdoor.list", message=NOT_FRONT_DOOR, now=now)
    with transaction.atomic():
        rows = queries.front_door_list(principal, now=now)
        waiting = referrals.waiting_referrals(principal, now=now)  # new partner referrals first (ADR 0025)
        context = {"rows": rows, "referrals": waiting, "now": now, "today": timezone.localdate(now)}
        return render(request, "frontdoor/list.html", context)


# Record a contact


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def contact_new(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    principal = principal_of(request)
    if principal.membership is None or not principal.can(Capability.RECORD_CONTACT):
        return refuse_for_role(request, principal, action="contact.new", message=NO_CONTACTS, now=now)
    try:
        with transaction.atomic():
            return _contact_new_page(request, principal, now)
    except access_queries.Refused as refusal:
        return refusal_response(request, refusal, now=now)


def _contact_new_page(request: HttpRequest, principal: Principal, now: dt.datetime) -> HttpResponse:
    chosen = (posted(request) or request.GET).get("child")
    if not chosen:
        context = {"can_create": _can_create_people(principal), **_find_children(request, principal, now)}
        return render(
            request, "frontdoor/contact_new.html", context, status=400 if context["find_form"].errors else 200
        )
    person = queries.choose_person(principal, chosen, now=now)
    form = ContactForm(posted(request), now=now, organisations=_partners(person))
    if form.is_bound and form.is_valid():
        try:
            with transaction.atomic():
                contact = _record(principal, person, form, now)
        except services.ContactRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, "Contact recorded. It is on the front door list for screening.")
            return redirect("frontdoor:contact", public_id=person.public_id, contact=contact.public_id)
    context = {"form": form, "person": person}
    return render(request, "frontdoor/contact_form.html", context, status=400 if form.errors else 200)


def _record(principal: Principal, person: Person, form: ContactForm, now: dt.datetime) -> Contact:
    data = form.cleaned_data
    text = (
        "referrer_name",
        "referrer_role",
        "referrer_agency",
        "referrer_contact_details",
        "worries",
        "going_well",
        "child_words",
        "consent",
        "consent_not_sought_reason",
        "urgency",
        "backdated_reason",
    )
    return services.record_contact(
        person=person,
        principal=principal,
        now=now,
        received_at=form.received_at,
        referrer_organisation=data["referrer_organisation"],
        **{name: data[name] for name in text},
    )


def _can_create_people(principal: Principal) -> bool:
    membership = principal.membership
    return (
        membership is not None
        and membership.organisation.type == OrganisationType.LOCAL_AUTHORITY
        and principal.can(Capability.CREATE_PERSON)
    )


def _find_children(request: HttpRequest, principal: Principal, now: dt.datetime) -> dict[str, Any]:
    """Find the child (GET). Records the user may open can be chosen; the front door may choose any child it
    finds (frontdoor.queries.choose_person). Adults are not offered: a contact is about a child."""
    asked = any(key.startswith(f"{FIND_PREFIX}-") for key in request.GET)
    find_form = FindPersonForm(request.GET if asked else None, prefix=FIND_PREFIX)
    if not (find_form.is_bound and find_form.is_valid()):
        return {"find_form": find_form, "find_hits": None, "find_hidden": 0}
    if not principal.can(Capability.SEARCH_PEOPLE):
        return {"find_form": find_form, "find_hits": [], "find_hidden": 0}
    data = find_form.cleaned_data
    result = access_queries.search_people(principal, now=now, name=data["name"], date_of_birth=data["date_of_birth"])
    wanted = [h for h in result.hits if h.person.kind != PersonKind.ADULT]
    front_door = principal.can(Capability.SCREEN_CONTACTS)
    hits = [h.person for h in wanted if h.can_open or front_door]
    return {"find_form": find_form, "find_hits": hits, "find_hidden": len(wanted) - len(hits)}


# The contact page


@never_cache
@login_required
@require_GET
def contact_detail(request: HttpRequest, public_id: object, contact: object) -> HttpResponse:
    now = timezone.now()
    principal = principal_of(request)
    try:
        with transaction.atomic():
            person = access_queries.open_person(
                principal, public_id, now=now, action="contact.view", details={"contact": str(contact)}
            ).person
            found = queries.contact_of(person, contact)
            if found is None:
                raise Http404
            return render(request, "frontdoor/contact.html", _contact_context(principal, found, now))
    except access_queries.Refused as refusal:
        return refusal_response(request, refusal, now=now)


def _contact_context(principal: Principal, contact: Contact, now: dt.datetime) -> dict[str, Any]:
    requests = list(contact.information_requests.all())
    requests.sort(key=lambda r: (not r.is_overdue(now), r.answered_at is not None, r.requested_at))
    today = timezone.localdate(now)
    strategy_url = ""
    if contact.decision == Decision.STRATEGY and contact.episode is not None:
        strategy_url = _strategy_url(contact)
    return {
        "contact": contact,
        "referral": contact.referral,
        "person": contact.person,
        "requests": requests,
        "overdue": [r for r in requests if r.is_overdue(now)],
        "now": now,
        "today": today,
        "decision_overdue": contact.is_decision_overdue(today),
        "can_screen": principal.can(Capability.SCREEN_CONTACTS),
        "can_decide": principal.can(Capability.DECIDE_CONTACTS),
        "can_feed_back": principal.can(Capability.SCREEN_CONTACTS) or principal.can(Capability.DECIDE_CONTACTS),
        "strategy_url": strategy_url,
        "episode_url": _episode_url(contact),
        "voice_entries": voice_queries.voice_for_person(contact.person, limit=3),
    }


def _episode_url(contact: Contact) -> str:
    if contact.episode is None:
        return ""
    try:
        kwargs = {"public_id": contact.person.public_id, "episode": contact.episode.public_id}
        return reverse("casework:episode", kwargs=kwargs)
    except NoReverseMatch:
        return ""


def _strategy_url(contact: Contact) -> str:
    assert contact.episode is not None
    try:
        kwargs = {"public_id": contact.person.public_id, "episode": contact.episode.public_id}
        return reverse("casework:strategy-new", kwargs=kwargs)
    except NoReverseMatch:
        return ""


# The contact's steps: one page each, so they work without JavaScript


MakeForm = Callable[[HttpRequest, Contact, Any, dt.datetime], forms.Form]
Save = Callable[[Principal, Contact, Any, Any, dt.datetime], str]


@dataclass(frozen=True)
class Step:
    action: str  # audit action of opening the child's record for this page
    capabilities: tuple[Capability, ...]
    refusal: str
    title: str
    template: str
    submit: str
    form: MakeForm
    save: Save
    needs_request: bool = False  # the page is about one information request (kwarg `request`)


class _MissingCapability(Exception):
    def __init__(self, person: Person) -> None:
        self.person = person


def _step_view(request: HttpRequest, public_id: object, contact: object, step: Step, **kwargs: Any) -> HttpResponse:
    now = timezone.now()
    principal = principal_of(request)
    try:
        with transaction.atomic():
            details = {"contact": str(contact)}
            person = access_queries.open_person(
                principal, public_id, now=now, action=step.action, details=details
            ).person
            if not any(principal.can(c) for c in step.capabilities):
                raise _MissingCapability(person)  # rolls back the read's audit row
            found = queries.contact_of(person, contact)
            target = (
                queries.information_request_of(found, kwargs["request_id"]) if found and step.needs_request else None
            )
            if found is None or (step.needs_request and target is None):
                raise Http404
            form = step.form(request, found, target, now)
            if form.is_bound and form.is_valid():
                try:
                    with transaction.atomic():
                        message = step.save(principal, found, target, form, now)
                except services.ContactRefused as refused:
                    form.add_error(None, str(refused))
                else:
                    messages.success(request, message)
                    return redirect(_after(step, found))
            context = {"form": form, "contact": found, "person": person, "target": target, "step": step, "now": now}
            if step is DECIDE:  # the child's words first, where the decision about them is made
                context["voice_entries"] = voice_queries.voice_for_person(person, limit=3)
            return render(request, step.template, context, status=400 if form.errors else 200)
    except access_queries.Refused as refusal:
        return refusal_response(request, refusal, now=now)
    except _MissingCapability as missing:
        return refuse_for_role(
            request, principal, action=step.action, message=step.refusal, now=now, person=missing.person
        )


def _after(step: Step, contact: Contact) -> str:
    """Back to the contact page; after a decision for a strategy discussion, straight to recording it."""
    contact.refresh_from_db(fields=["decision", "episode"])
    if step is DECIDE and contact.decision == Decision.STRATEGY and contact.episode_id:
        url = _strategy_url(contact)
        if url:
            return url
    return reverse("frontdoor:contact", kwargs={"public_id": contact.person.public_id, "contact": contact.public_id})


def _save_screening(principal: Principal, contact: Contact, target: Any, form: Any, now: dt.datetime) -> str:
    data = form.cleaned_data
    services.screen_contact(contact=contact, principal=principal, now=now, rag=data["rag"], reason=data["reason"])
    return f"Screening recorded: {contact.get_rag_display().lower()}"


def _save_request(principal: Principal, contact: Contact, target: Any, form: Any, now: dt.datetime) -> str:
    data = form.cleaned_data
    made = services.request_information(
        contact=contact,
        principal=principal,
        now=now,
        agency_type=data["agency_type"],
        question=data["question"],
        organisation=data["organisation"],
    )
    return f"Request to {made.agency_label} recorded. It is due by {timezone.localtime(made.due_at):%-d %B %Y at %H:%M}"


def _save_answer(principal: Principal, contact: Contact, target: Any, form: Any, now: dt.datetime) -> str:
    services.record_answer(
        request=target, principal=principal, now=now, answer=form.cleaned_data["answer"], answered_at=form.answered_at
    )
    return f"Answer from {target.agency_label} recorded"


def _save_decision(principal: Principal, contact: Contact, target: Any, form: Any, now: dt.datetime) -> str:
    data = form.cleaned_data
    services.decide_contact(
        contact=contact,
        principal=principal,
        now=now,
        decision=data["decision"],
        rationale=data["rationale"],
        referral_source=data["referral_source"],
        primary_need=data["primary_need"],
    )
    message = f"Decision recorded: {contact.get_decision_display().lower()}."
    if contact.decision == Decision.STRATEGY:
        message += " Now record the strategy discussion."
    return message + " Remember to tell the referrer."


def _save_feedback(principal: Principal, contact: Contact, target: Any, form: Any, now: dt.datetime) -> str:
    data = form.cleaned_data
    services.record_feedback(
        contact=contact, principal=principal, now=now, feedback=data["feedback"], method=data["method"]
    )
    return f"Feedback to {contact.referrer_name} recorded"


SCREEN_REFUSAL = "Only the MASH and team managers can screen contacts and ask partners for information."
SCREEN = Step(
    action="contact.screen.form",
    capabilities=(Capability.SCREEN_CONTACTS,),
    refusal=SCREEN_REFUSAL,
    title="Screen the contact",
    template="frontdoor/step_form.html",
    submit="Save screening",
    form=lambda request, contact, target, now: ScreeningForm(
        posted(request), initial={"rag": contact.rag, "reason": contact.rag_reason}
    ),
    save=_save_screening,
)
REQUEST = Step(
    action="contact.information.form",
    capabilities=(Capability.SCREEN_CONTACTS,),
    refusal=SCREEN_REFUSAL,
    title="Ask a partner agency for information",
    template="frontdoor/step_form.html",
    submit="Save request",
    form=lambda request, contact, target, now: InformationRequestForm(
        posted(request), organisations=_partners(contact.person)
    ),
    save=_save_request,
)
ANSWER = Step(
    action="contact.answer.form",
    capabilities=(Capability.SCREEN_CONTACTS,),
    refusal=SCREEN_REFUSAL,
    title="Record the agency's answer",
    template="frontdoor/step_form.html",
    submit="Save answer",
    form=lambda request, contact, target, now: AnswerForm(posted(request), now=now),
    save=_save_answer,
    needs_request=True,
)
DECIDE = Step(
    action="contact.decide.form",
    capabilities=(Capability.DECIDE_CONTACTS,),
    refusal="Only a team manager can decide what happens to a contact.",
    title="Decide what happens next",
    template="frontdoor/step_form.html",
    submit="Save decision",
    form=lambda request, contact, target, now: DecisionForm(
        posted(request), initial={"referral_source": services.suggested_referral_source(contact)}
    ),
    save=_save_decision,
)
FEEDBACK = Step(
    action="contact.feedback.form",
    capabilities=(Capability.SCREEN_CONTACTS, Capability.DECIDE_CONTACTS),
    refusal="Only the MASH and team managers can record feedback to the referrer.",
    title="Record feedback to the referrer",
    template="frontdoor/step_form.html",
    submit="Save feedback",
    form=lambda request, contact, target, now: FeedbackForm(posted(request)),
    save=_save_feedback,
)


def _step(step: Step) -> Callable[..., HttpResponse]:
    @never_cache
    @login_required
    @require_http_methods(["GET", "POST"])
    def view(request: HttpRequest, public_id: object, contact: object, **kwargs: Any) -> HttpResponse:
        return _step_view(request, public_id, contact, step, **kwargs)

    view.__name__ = f"contact_{step.action.split('.')[1]}"
    return view


contact_screen = _step(SCREEN)
contact_request = _step(REQUEST)
contact_answer = _step(ANSWER)
contact_decide = _step(DECIDE)
contact_feedback = _step(FEEDBACK)
