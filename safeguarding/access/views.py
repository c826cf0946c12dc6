"""Access pages: break-glass (emergency access), restricting a record and naming people on it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
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
from safeguarding.people.views.forms_base import record_form_view
from safeguarding.people.views.record import principal_of, refusal_response

from . import queries, services
from .forms import BreakGlassForm, NamedAccessForm, RestrictForm


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def break_glass(request: HttpRequest, public_id: object) -> HttpResponse:
    """Offered to someone who may know the record exists, cannot open it, and whose role may break glass."""
    now = timezone.now()
    principal = principal_of(request)
    action = "person.break-glass.form"
    try:
        with transaction.atomic():
            person = _breakable(principal, public_id, now=now, action=action)
            form = BreakGlassForm(request.POST or None)
            if request.method == "POST" and form.is_valid():
                try:
                    with transaction.atomic():
                        services.break_glass(
                            person=person,
                            principal=principal,
                            now=now,
                            reason_code=form.cleaned_data["reason_code"],
                            reason=form.cleaned_data["reason"],
                        )
                except services.AccessChangeRefused as exc:
                    form.add_error(None, str(exc))
                else:
                    messages.success(request, "Emergency access granted. Your reason has been sent to the auditors.")
                    return redirect("people:detail", public_id=person.public_id)
            context = {"form": form, "person": person, "minutes": settings.BREAK_GLASS_MINUTES}
            return render(request, "access/break_glass.html", context, status=400 if form.errors else 200)
    except queries.Refused as refusal:
        return refusal_response(request, refusal, now=now)


def _breakable(principal: Principal, public_id: object, *, now: dt.datetime, action: str) -> Person:
    """The person whose record the principal may open by breaking glass, with the form's read audited."""
    try:
        opened = queries.open_person(principal, public_id, now=now, action=action)
    except queries.Refused as refusal:
        if not refusal.offers_break_glass or refusal.person is None:
            raise
        audit.record(principal=principal, action=action, at=now, person=refusal.person, basis="break-glass-offered")
        return refusal.person
    raise queries.Refused(
        principal=principal,
        action=action,
        public_id=str(opened.person.public_id),
        person=opened.person,
        visible=True,
        message="You can already open this record",
    )


def _restrict(principal: Principal, person: Person, data: dict[str, Any], now: dt.datetime) -> str:
    services.restrict_record(person=person, principal=principal, reason=data["reason"], now=now)
    return "Record restricted: only the people named on it can see it now"


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def restrict(request: HttpRequest, public_id: object) -> HttpResponse:
    return record_form_view(
        request,
        public_id,
        action="person.restrict.form",
        capability=Capability.MANAGE_RECORD_ACCESS,
        form_class=RestrictForm,
        save=_restrict,
        template="access/restrict.html",
        title="Restrict this record",
    )


def _name(principal: Principal, person: Person, data: dict[str, Any], now: dt.datetime) -> str:
    user = User.objects.get(public_id=data["user"])
    services.grant_named_access(person=person, principal=principal, user=user, reason=data["reason"], now=now)
    return f"{user} can now see this record"


def _colleagues(principal: Principal, person: Person) -> dict[str, Any]:
    users = (
        User.objects.filter(
            memberships__organisation_id=principal.organisation_id or 0, memberships__is_active=True, is_active=True
        )
        .distinct()
        .order_by("last_name", "first_name")
    )
    return {"choices": [(str(u.public_id), f"{u.get_full_name() or u.username} ({u.username})") for u in users]}


class _NamedAccessForm(NamedAccessForm):
    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def named_access(request: HttpRequest, public_id: object) -> HttpResponse:
    return record_form_view(
        request,
        public_id,
        action="person.named-access.form",
        capability=Capability.MANAGE_RECORD_ACCESS,
        form_class=_NamedAccessForm,
        save=_name,
        template="access/restrict.html",
        title="Name someone who may see this record",
        form_kwargs=_colleagues,
    )
