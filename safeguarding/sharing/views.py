"""The child's information-sharing decisions, recording one, and the authority's list and counts per agency.

The child's pages open the record through access.queries.open_person (decided and audited) and render in
the same transaction, as voice.views does. The authority's pages need AUTHORISE_CASEWORK (the list) or
AUTHORISE_CASEWORK / VIEW_AUDIT (the counts); a role without it is refused with a DENIED audit row.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from safeguarding.access import queries as access
from safeguarding.people.models import Person
from safeguarding.people.views.forms_base import posted, refuse_for_role
from safeguarding.people.views.record import principal_of, refusal_response

from . import queries, services
from .codes import BASIS_SHORT, Consent, LawfulBasis
from .forms import DecisionForm

NOT_A_MANAGER = "Only managers of the local authority can see its information-sharing decisions."
NOT_A_MANAGER_OR_AUDITOR = "Only managers and auditors of the local authority can see these counts."


class _NoRole(Exception):
    def __init__(self, person: Person) -> None:
        self.person = person


@never_cache
@login_required
@require_GET
def person_decisions(request: HttpRequest, public_id: object) -> HttpResponse:
    now = timezone.now()
    principal = principal_of(request)
    try:
        with transaction.atomic():
            person = access.open_person(principal, public_id, now=now, action="sharing.view").person
            context = {
                "person": person,
                "decisions": queries.decisions_for_person(person),
                "can_record": principal.can(services.CAPABILITY),
            }
            return render(request, "sharing/person.html", context)
    except access.Refused as refusal:
        return refusal_response(request, refusal, now=now)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def record_decision(request: HttpRequest, public_id: object) -> HttpResponse:
    now = timezone.now()
    principal = principal_of(request)
    action = "sharing.record"
    try:
        with transaction.atomic():
            person = access.open_person(principal, public_id, now=now, action=action).person
            if not principal.can(services.CAPABILITY):
                raise _NoRole(person)  # rolls back the read's audit row; the refusal is audited instead
            form = DecisionForm(posted(request), today=timezone.localdate(now))
            if form.is_bound and form.is_valid():
                data = form.cleaned_data
                try:
                    with transaction.atomic():
                        services.record_decision(
                            person=person,
                            principal=principal,
                            now=now,
                            decided_on=data["decided_on"],
                            decision=data["decision"],
                            reason=data["reason"],
                            description=data["description"],
                            categories=data["categories"],
                            consent=data["consent"],
                            lawful_basis=data["lawful_basis"],
                            special_condition=data["special_condition"],
                            consent_reason=data["consent_reason"],
                            recipient_organisation=data["recipient_organisation"],
                            recipient_name=data["recipient_name"],
                            recipient_role=data["recipient_role"],
                            backdated_reason=data["backdated_reason"],
                        )
                except services.SharingRefused as exc:
                    form.add_error(None, str(exc))
                else:
                    messages.success(request, "The information-sharing decision is recorded")
                    return redirect("sharing:person", public_id=person.public_id)
            context = {"form": form, "person": person, "title": "Record an information-sharing decision"}
            return render(request, "sharing/record.html", context, status=400 if form.errors else 200)
    except access.Refused as refusal:
        return refusal_response(request, refusal, now=now)
    except _NoRole as missing:
        return refuse_for_role(
            request, principal, action=action, message=services.NO_ROLE, now=now, person=missing.person
        )


def _count_context() -> dict[str, object]:
    return {"bases": [(b, BASIS_SHORT[b]) for b in LawfulBasis], "consents": Consent.choices}


@never_cache
@login_required
@require_GET
def authority_list(request: HttpRequest) -> HttpResponse:
    """The authority's decisions (children the manager may open) with the counts per agency."""
    now = timezone.now()
    principal = principal_of(request)
    authority = queries.authority_of(principal)
    if not queries.can_see_list(principal) or authority is None:
        return refuse_for_role(request, principal, action="sharing.list.view", message=NOT_A_MANAGER, now=now)
    agency = request.GET.get("agency", "")[:40]
    with transaction.atomic():
        context = {
            "authority": authority,
            "decisions": queries.authority_decisions(principal, now=now, agency=agency),
            "counts": queries.counts_per_agency(authority),
            "agencies": queries.agency_choices(authority),
            "agency": agency,
            "limit": queries.LIST_LIMIT,
        } | _count_context()
        return render(request, "sharing/authority.html", context)


@never_cache
@login_required
@require_GET
def authority_counts(request: HttpRequest) -> HttpResponse:
    """Counts per agency only (no child named): for managers and auditors."""
    now = timezone.now()
    principal = principal_of(request)
    authority = queries.authority_of(principal)
    if not queries.can_see_counts(principal) or authority is None:
        return refuse_for_role(
            request, principal, action="sharing.counts.view", message=NOT_A_MANAGER_OR_AUDITOR, now=now
        )
    with transaction.atomic():
        context = {
            "authority": authority,
            "counts": queries.view_counts(principal, now=now),
            "can_list": queries.can_see_list(principal),
        } | _count_context()
        return render(request, "sharing/counts.html", context)
