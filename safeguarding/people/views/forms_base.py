"""One way to show and handle a form about one person's record (the people and access pages).

1. Open the record through access.queries.open_person for the page's action (audited), in a transaction.
2. Check the role's capability. Without it the read is rolled back, a DENIED row is written and a 403
   page says what the role cannot do (the user may open the record, so the page may link back to it).
3. On a valid POST make the one service call in a savepoint: a refused change leaves nothing behind but
   the read's audit row, and the form is shown again with the reason.
4. Render inside the same transaction, so the read's audit row commits with what was shown.
Refused reads are audited and answered by record.refusal_response (404 when the user may not know that
the record exists, else 403).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone

from safeguarding.access import queries
from safeguarding.access.services import AccessChangeRefused
from safeguarding.accounts.principal import Principal
from safeguarding.accounts.roles import Capability
from safeguarding.audit import services as audit
from safeguarding.audit.models import Outcome
from safeguarding.people.codes import PersonKind
from safeguarding.people.forms import FindPersonForm
from safeguarding.people.models import Person
from safeguarding.people.services import PersonChangeRefused

from .record import principal_of, refusal_response

MakeForm = Callable[[HttpRequest, Principal, Person, dt.datetime], forms.Form]
Save = Callable[[Principal, Person, Any, dt.datetime], str]
Context = Callable[[HttpRequest, Principal, Person, Any, dt.datetime], dict[str, Any]]


@dataclass(frozen=True)
class RecordPage:
    action: str  # the audit action of opening the record for this page
    capability: Capability
    refusal: str  # what a role without the capability is told
    template: str
    title: str
    form: MakeForm  # builds the form, bound on POST; any other record it needs is opened here
    save: Save  # the one service call; returns the message shown on the person's page
    context: Context | None = None  # further reads for the page, each through access.queries


class _MissingCapability(Exception):
    def __init__(self, person: Person) -> None:
        self.person = person


def posted(request: HttpRequest) -> QueryDict | None:
    return request.POST if request.method == "POST" else None


def record_form_view(request: HttpRequest, public_id: object, page: RecordPage) -> HttpResponse:
    now = timezone.now()
    principal = principal_of(request)
    try:
        with transaction.atomic():
            person = queries.open_person(principal, public_id, now=now, action=page.action).person
            if not principal.can(page.capability):
                raise _MissingCapability(person)  # rolls back the read's audit row
            form = page.form(request, principal, person, now)
            if form.is_bound and form.is_valid():
                try:
                    with transaction.atomic():
                        message = page.save(principal, person, form, now)
                except (PersonChangeRefused, AccessChangeRefused) as exc:
                    form.add_error(None, str(exc))
                else:
                    messages.success(request, message)
                    return redirect("people:detail", public_id=person.public_id)
            context = {"form": form, "person": person, "title": page.title}
            if page.context:
                context |= page.context(request, principal, person, form, now)
            return render(request, page.template, context, status=400 if form.errors else 200)
    except queries.Refused as refusal:
        return refusal_response(request, refusal, now=now)
    except _MissingCapability as missing:
        return refuse_for_role(
            request, principal, action=page.action, message=page.refusal, now=now, person=missing.person
        )


def refuse_for_role(
    request: HttpRequest,
    principal: Principal,
    *,
    action: str,
    message: str,
    now: dt.datetime,
    person: Person | None = None,
    heading: str = "You cannot do this",
) -> HttpResponse:
    """Audit (DENIED, no-capability) and answer a request the user's role may not make."""
    with transaction.atomic():
        audit.record(
            principal=principal,
            action=action,
            at=now,
            outcome=Outcome.DENIED,
            person=person,
            basis="no-capability",
            reason=message,
        )
    context = {"heading": heading, "message": message, "person": person}
    return render(request, "people/cannot_change.html", context, status=403)


def open_chosen(principal: Principal, raw: object, *, now: dt.datetime, action: str) -> Person | None:
    """Another record chosen on the page (a relative, a duplicate, a pregnant person): opened and audited
    like any record, so a record the user may not open is refused."""
    if not raw:
        return None
    return queries.open_person(principal, raw, now=now, action=action).person


FIND_PREFIX = "find"


def find_records(
    request: HttpRequest, principal: Principal, now: dt.datetime, *, exclude: Person | None, unborn: bool = True
) -> dict[str, Any]:
    """The 'find a record to choose' search on a page (GET): only records the user may open are offered."""
    asked = any(key.startswith(f"{FIND_PREFIX}-") for key in request.GET)
    find_form = FindPersonForm(request.GET if asked and request.method == "GET" else None, prefix=FIND_PREFIX)
    if not (find_form.is_bound and find_form.is_valid()):
        return {"find_form": find_form, "find_hits": None, "find_hidden": 0}
    data = find_form.cleaned_data
    result = queries.search_people(principal, now=now, name=data["name"], date_of_birth=data["date_of_birth"])
    wanted = [h for h in result.hits if h.person != exclude and (unborn or h.person.kind != PersonKind.UNBORN)]
    hits = [h.person for h in wanted if h.can_open]
    return {"find_form": find_form, "find_hits": hits, "find_hidden": len(wanted) - len(hits)}
