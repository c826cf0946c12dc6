"""Partner referral pages (ADR 0025). The partner's side: submit a referral, "My referrals" and one referral's
status and feedback, only ever their own. The front door's side: read a referral, find the child's one
record (people search, audited) or create it, and accept the referral as a contact.

Each page renders inside the transaction of its audited read; refusals are audited (DENIED) and answered
404 (not theirs, or another authority's) or 403 (a role that may not do this).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safeguarding.access import queries as access_queries
from safeguarding.accounts.principal import Principal
from safeguarding.people.codes import PersonKind
from safeguarding.people.forms import FindPersonForm
from safeguarding.people.identifiers import format_nhs_number
from safeguarding.people.views.forms_base import FIND_PREFIX, posted, refuse_for_role
from safeguarding.people.views.record import principal_of, refusal_response

from . import queries, referrals, services
from .forms import ReferralForm
from .models import PartnerReferral

NOT_A_REFERRER = (
    "Your role cannot submit referrals. If you are worried about a child, phone the local authority's front door."
)
NO_PARTNERSHIP = (
    "Your organisation is not in a local safeguarding partnership here, so referrals cannot be sent from it. "
    "If you are worried about a child, phone the local authority's front door."
)
NOT_FRONT_DOOR = "Only the MASH and team managers can accept partner referrals."


def _not_found(
    request: HttpRequest, principal: Principal, *, action: str, referral: Any, now: dt.datetime
) -> HttpResponse:
    with transaction.atomic():
        referrals.refuse(principal, action=action, now=now, referral_id=referral, basis="not-found")
    return render(request, "errors/404.html", status=404)


# The partner's side


@never_cache
@login_required
@require_GET
def my_referrals(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    principal = principal_of(request)
    try:
        with transaction.atomic():
            followed = referrals.my_referrals(principal, now=now)
            return render(request, "frontdoor/my_referrals.html", {"followed": followed, "now": now})
    except referrals.NotAllowed:
        return refuse_for_role(request, principal, action="referral.list", message=NOT_A_REFERRER, now=now)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def referral_new(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    principal = principal_of(request)
    action = "referral.new"
    if not services.may_submit_referral(principal):
        return refuse_for_role(request, principal, action=action, message=NOT_A_REFERRER, now=now)
    today = timezone.localdate(now)
    authorities = services.referral_local_authorities(principal, today=today)
    if not authorities:
        return refuse_for_role(request, principal, action=action, message=NO_PARTNERSHIP, now=now)
    initial = {"referrer_role": principal.user.job_title, "referrer_contact_details": principal.user.email}
    form = ReferralForm(posted(request), today=today, local_authorities=authorities, initial=initial)
    if form.is_bound and form.is_valid():
        try:
            referral = services.submit_referral(
                principal=principal, now=now, local_authority=form.chosen_local_authority(), **form.submission()
            )
        except services.ContactRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, f"Referral sent to {referral.local_authority.name}'s front door.")
            return redirect("frontdoor:referral", referral=referral.public_id)
    context = {"form": form, "authorities": authorities, "organisation": principal.membership.organisation}  # type: ignore[union-attr]
    return render(request, "frontdoor/referral_form.html", context, status=400 if form.errors else 200)


@never_cache
@login_required
@require_GET
def my_referral(request: HttpRequest, referral: object) -> HttpResponse:
    now = timezone.now()
    principal = principal_of(request)
    action = "referral.view"
    try:
        with transaction.atomic():
            followed = referrals.my_referral(principal, referral, now=now)
            context = {"followed": followed, "referral": followed.referral, "now": now, "nhs": _nhs(followed.referral)}
            return render(request, "frontdoor/my_referral.html", context)
    except referrals.NotAllowed:
        return refuse_for_role(request, principal, action=action, message=NOT_A_REFERRER, now=now)
    except referrals.NotFound:
        return _not_found(request, principal, action=action, referral=referral, now=now)


def _nhs(referral: PartnerReferral) -> str:
    return format_nhs_number(referral.child_nhs_number) if referral.child_nhs_number else ""


# The front door's side


def _front_door_referral(
    request: HttpRequest, principal: Principal, referral: object, *, action: str, now: dt.datetime
) -> PartnerReferral:
    return referrals.referral_for_front_door(principal, referral, now=now, action=action)


def _find_records(
    request: HttpRequest, principal: Principal, referral: PartnerReferral, now: dt.datetime
) -> dict[str, Any]:
    """Search for the child's record: by default with the referral's name and date of birth (or due date), and by
    its NHS number when it has one; the front door may change the search. Each search is audited (person.search)."""
    asked = any(key.startswith(f"{FIND_PREFIX}-") for key in request.GET)
    born = referral.child_expected_due_date if referral.unborn else referral.child_date_of_birth
    default = {f"{FIND_PREFIX}-name": f"{referral.child_given_name} {referral.child_family_name}".strip()}
    if born:
        default |= {
            f"{FIND_PREFIX}-date_of_birth_0": str(born.day),
            f"{FIND_PREFIX}-date_of_birth_1": str(born.month),
            f"{FIND_PREFIX}-date_of_birth_2": str(born.year),
        }
    find_form = FindPersonForm(request.GET if asked else default, prefix=FIND_PREFIX)
    hits: list[Any] = []
    elsewhere = 0
    if find_form.is_valid():
        data = find_form.cleaned_data
        result = access_queries.search_people(
            principal, now=now, name=data["name"], date_of_birth=data["date_of_birth"]
        )
        hits = [h.person for h in result.hits if h.person.kind != PersonKind.ADULT]
    by_nhs: list[Any] = []
    if referral.child_nhs_number and not asked:
        result = access_queries.search_people(principal, now=now, nhs_number=referral.child_nhs_number)
        by_nhs = [h.person for h in result.hits if h.person.kind != PersonKind.ADULT]
    seen: set[int] = set()
    found = []
    for person in [*by_nhs, *hits]:
        if person.id in seen:
            continue
        seen.add(person.id)
        if person.local_authority_id != referral.local_authority_id:
            elsewhere += 1
            continue
        found.append(person)
    nhs_ids = {p.id for p in by_nhs}
    return {"find_form": find_form, "hits": found, "nhs_ids": nhs_ids, "elsewhere": elsewhere}


@never_cache
@login_required
@require_GET
def referral_review(request: HttpRequest, referral: object) -> HttpResponse:
    now = timezone.now()
    principal = principal_of(request)
    action = "referral.review"
    try:
        with transaction.atomic():
            found = _front_door_referral(request, principal, referral, action=action, now=now)
            context: dict[str, Any] = {"referral": found, "now": now, "nhs": _nhs(found)}
            if not found.is_accepted:
                context |= _find_records(request, principal, found, now)
            return render(request, "frontdoor/referral_review.html", context)
    except referrals.NotAllowed:
        return refuse_for_role(request, principal, action=action, message=NOT_FRONT_DOOR, now=now)
    except referrals.NotFound:
        return _not_found(request, principal, action=action, referral=referral, now=now)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def referral_match(request: HttpRequest, referral: object, public_id: object) -> HttpResponse:
    """Confirm that the referral is about this record (opened through choose_person, audited), then accept it."""
    now = timezone.now()
    principal = principal_of(request)
    action = "referral.match"
    try:
        with transaction.atomic():
            found = _front_door_referral(request, principal, referral, action=action, now=now)
            person = queries.choose_person(principal, public_id, now=now)
            error = ""
            if request.method == "POST":
                try:
                    with transaction.atomic():
                        contact = services.accept_referral(referral=found, person=person, principal=principal, now=now)
                except services.ContactRefused as refused:
                    error = str(refused)
                else:
                    messages.success(
                        request, "Referral accepted as a contact. It is on the front door list for screening."
                    )
                    return redirect("frontdoor:contact", public_id=person.public_id, contact=contact.public_id)
            address = person.addresses.filter(valid_to__isnull=True).first()
            context = {
                "referral": found,
                "person": person,
                "address": address,
                "nhs": _nhs(found),
                "person_nhs": format_nhs_number(person.nhs_number) if person.nhs_number else "",
                "error": error,
                "now": now,
            }
            return render(request, "frontdoor/referral_match.html", context, status=400 if error else 200)
    except referrals.NotAllowed:
        return refuse_for_role(request, principal, action=action, message=NOT_FRONT_DOOR, now=now)
    except referrals.NotFound:
        return _not_found(request, principal, action=action, referral=referral, now=now)
    except access_queries.Refused as refusal:
        return refusal_response(request, refusal, now=now)


@never_cache
@login_required
@require_POST
def referral_new_person(request: HttpRequest, referral: object) -> HttpResponse:
    """No record matches: create the child's record from the referral and accept it (one service call)."""
    now = timezone.now()
    principal = principal_of(request)
    action = "referral.new-person"
    try:
        with transaction.atomic():
            found = _front_door_referral(request, principal, referral, action=action, now=now)
            try:
                with transaction.atomic():
                    contact = services.accept_referral_as_new_person(referral=found, principal=principal, now=now)
            except services.ContactRefused as refused:
                messages.error(request, f"The record was not created: {refused}")
                return redirect("frontdoor:referral-review", referral=found.public_id)
            messages.success(
                request, "Record created and referral accepted as a contact. It is on the front door list."
            )
            return redirect("frontdoor:contact", public_id=contact.person.public_id, contact=contact.public_id)
    except referrals.NotAllowed:
        return refuse_for_role(request, principal, action=action, message=NOT_FRONT_DOOR, now=now)
    except referrals.NotFound:
        return _not_found(request, principal, action=action, referral=referral, now=now)
