"""Access pages: break-glass (emergency access), restricting a record and naming people on it.

Break-glass is offered only to someone whose role may use it and who may know that the record exists
(they could find it in search) but cannot open it; anyone else is refused as for any record (404 when
they may not know it exists). Restricting and naming people need the MANAGE_RECORD_ACCESS capability
(team managers) and access to the record.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from safeguarding.accounts.models import User
from safeguarding.accounts.principal import Principal
from safeguarding.accounts.roles import Capability
from safeguarding.audit import services as audit
from safeguarding.people.models import Person
from safeguarding.people.views.forms_base import RecordPage, posted, record_form_view
from safeguarding.people.views.record import principal_of, refusal_response

from . import queries, services
from .forms import BreakGlassForm, NamedAccessForm, RestrictForm

ACCESS_REFUSAL = "Only a team manager can restrict a record or name the people who may see it."
BREAK_GLASS_FORM = "person.break-glass.form"


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def break_glass(request: HttpRequest, public_id: object) -> HttpResponse:
    now = timezone.now()
    principal = principal_of(request)
    try:
        with transaction.atomic():
            person = _offer(principal, public_id, now=now)
            if person is None:  # they may open it already: no need for emergency access
                return redirect("people:detail", public_id=public_id)
            form = BreakGlassForm(posted(request))
            if form.is_bound and form.is_valid():
                try:
                    with transaction.atomic():
                        services.break_glass(person=person, principal=principal, now=now, **form.cleaned_data)
                except services.AccessChangeRefused as exc:
                    form.add_error(None, str(exc))
                else:
                    messages.success(request, "Emergency access granted. The auditors have been told.")
                    return redirect("people:detail", public_id=person.public_id)
            context = {"form": form, "person": person, "minutes": settings.BREAK_GLASS_MINUTES}
            return render(request, "access/break_glass.html", context, status=400 if form.errors else 200)
    except queries.Refused as refusal:
        return refusal_response(request, refusal, now=now)


def _offer(principal: Principal, public_id: object, *, now: dt.datetime) -> Person | None:
    """The person whose record the principal may open only by breaking glass (the offer is audited), or None
    when they may open it already (open_person audits that). Raises Refused for everyone else."""
    try:
        queries.open_person(principal, public_id, now=now, action=BREAK_GLASS_FORM)
    except queries.Refused as refusal:
        if not refusal.offers_break_glass or refusal.person is None:
            raise
        audit.record(
            principal=principal, action=BREAK_GLASS_FORM, at=now, person=refusal.person, basis="break-glass-offered"
        )
        return refusal.person
    return None


def _named(request: HttpRequest, principal: Principal, person: Person, form: Any, now: dt.datetime) -> dict[str, Any]:
    return {"named": queries.named_on(person)}


def _restrict(principal: Principal, person: Person, form: RestrictForm, now: dt.datetime) -> str:
    services.restrict_record(person=person, principal=principal, reason=form.cleaned_data["reason"], now=now)
    return "Record restricted. Only the people named on it can find or open it now."


RESTRICT = RecordPage(
    action="person.restrict.form",
    capability=Capability.MANAGE_RECORD_ACCESS,
    refusal=ACCESS_REFUSAL,
    template="access/restrict.html",
    title="Restrict this record",
    form=lambda request, principal, person, now: RestrictForm(posted(request)),
    save=_restrict,
    context=_named,
)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def restrict(request: HttpRequest, public_id: object) -> HttpResponse:
    return record_form_view(request, public_id, RESTRICT)


def _colleagues(principal: Principal) -> list[User]:
    """Active users with an active membership of the principal's organisation (staff, not people's records)."""
    return list(
        User.objects.filter(
            is_active=True, memberships__organisation_id=principal.organisation_id or 0, memberships__is_active=True
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def _name(principal: Principal, person: Person, form: NamedAccessForm, now: dt.datetime) -> str:
    user = form.cleaned_data["colleague"]
    reason = form.cleaned_data["reason"]
    services.grant_named_access(person=person, principal=principal, user=user, reason=reason, now=now)
    return f"{user} is now named on this record"


NAMED_ACCESS = RecordPage(
    action="person.named-access.form",
    capability=Capability.MANAGE_RECORD_ACCESS,
    refusal=ACCESS_REFUSAL,
    template="access/named_access.html",
    title="Name someone who may see this record",
    form=lambda request, principal, person, now: NamedAccessForm(posted(request), colleagues=_colleagues(principal)),
    save=_name,
    context=_named,
)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def named_access(request: HttpRequest, public_id: object) -> HttpResponse:
    return record_form_view(request, public_id, NAMED_ACCESS)
