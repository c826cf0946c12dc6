"""One way to show and handle a form about a person's record.

Open the record through the access layer (audited) inside a transaction, check the role's
capability, and on a valid POST make one service call in a savepoint, so a refused change
leaves nothing behind but the read's audit row. Refusals are audited and answered by
record.refusal_response (404 when the record may not be known to exist, else 403).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from safeguarding.access import queries
from safeguarding.access.services import AccessChangeRefused
from safeguarding.accounts.principal import Principal
from safeguarding.accounts.roles import Capability
from safeguarding.people.models import Person
from safeguarding.people.services import PersonChangeRefused

from .record import principal_of, refusal_response

Save = Callable[[Principal, Person, dict[str, Any], dt.datetime], str]
Extra = Callable[[HttpRequest, Principal, Person, dt.datetime], dict[str, Any]]


def refuse_without(principal: Principal, capability: Capability, opened: queries.Opened, action: str) -> None:
    if not principal.can(capability):
        raise queries.Refused(
            principal=principal,
            action=action,
            public_id=str(opened.person.public_id),
            person=opened.person,
            visible=True,
            message=f"Your role cannot {capability.value}",
        )


def record_form_view(
    request: HttpRequest,
    public_id: object,
    *,
    action: str,
    capability: Capability,
    form_class: type[forms.Form],
    save: Save,
    template: str,
    title: str,
    initial: Callable[[Person], dict[str, Any]] | None = None,
    extra: Extra | None = None,
    form_kwargs: Callable[[Principal, Person], dict[str, Any]] | None = None,
) -> HttpResponse:
    now = timezone.now()
    principal = principal_of(request)
    try:
        with transaction.atomic():
            opened = queries.open_person(principal, public_id, now=now, action=action)
            refuse_without(principal, capability, opened, action)
            person = opened.person
            kwargs = form_kwargs(principal, person) if form_kwargs else {}
            if request.method == "POST":
                form = form_class(request.POST, **kwargs)
            else:
                form = form_class(initial=initial(person) if initial else None, **kwargs)
            if request.method == "POST" and form.is_valid():
                try:
                    with transaction.atomic():
                        message = save(principal, person, form.cleaned_data, now)
                except (PersonChangeRefused, AccessChangeRefused) as exc:
                    form.add_error(None, str(exc))
                else:
                    messages.success(request, message)
                    return redirect("people:detail", public_id=person.public_id)
            context = {"form": form, "person": person, "title": title}
            if extra:
                context |= extra(request, principal, person, now)
            return render(request, template, context, status=400 if form.errors else 200)
    except queries.Refused as refusal:
        return refusal_response(request, refusal, now=now)
