"""The child's voice page, and the pages that record their words and a visit (under the child's public id).

Each view opens the child's record through access.queries.open_person (decided and audited) and renders
in the same transaction, as people.views.record does. Recording needs RECORD_VOICE: a role without it is
refused (403, audited DENIED) after the record is opened, so the page may link back to the record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from safeguarding.access import queries as access
from safeguarding.accounts.principal import Principal
from safeguarding.accounts.roles import Capability
from safeguarding.people.models import Person
from safeguarding.people.views.forms_base import posted, refuse_for_role
from safeguarding.people.views.record import principal_of, refusal_response

from . import queries, services
from .forms import VisitForm, VoiceForm

VISITS_SHOWN = 50


@never_cache
@login_required
@require_GET
def person_voice(request: HttpRequest, public_id: object) -> HttpResponse:
    now = timezone.now()
    principal = principal_of(request)
    try:
        with transaction.atomic():
            person = access.open_person(principal, public_id, now=now, action="voice.view").person
            context = {
                "person": person,
                "entries": queries.voice_for_person(person, limit=None),
                "visits": queries.visits_for_person(person, limit=VISITS_SHOWN),
                "can_record": principal.can(Capability.RECORD_VOICE),
            }
            return render(request, "voice/person.html", context)
    except access.Refused as refusal:
        return refusal_response(request, refusal, now=now)


Save = Callable[[Principal, Person, dict[str, Any], dt.datetime], str]


def _form_page(
    request: HttpRequest,
    public_id: object,
    *,
    action: str,
    form_class: type[VoiceForm] | type[VisitForm],
    template: str,
    save: Save,
) -> HttpResponse:
    now = timezone.now()
    principal = principal_of(request)
    try:
        with transaction.atomic():
            person = access.open_person(principal, public_id, now=now, action=action).person
            if not principal.can(Capability.RECORD_VOICE):
                raise _NoRole(person)  # rolls back the read's audit row; the refusal is audited instead
            form = form_class(posted(request), today=timezone.localdate(now))
            if form.is_bound and form.is_valid():
                try:
                    with transaction.atomic():
                        message = save(principal, person, form.cleaned_data, now)
                except services.VoiceRefused as exc:
                    form.add_error(None, str(exc))
                else:
                    messages.success(request, message)
                    return redirect("voice:person", public_id=person.public_id)
            context = {"form": form, "person": person}
            return render(request, template, context, status=400 if form.errors else 200)
    except access.Refused as refusal:
        return refusal_response(request, refusal, now=now)
    except _NoRole as missing:
        return refuse_for_role(
            request, principal, action=action, message=services.NO_ROLE, now=now, person=missing.person
        )


class _NoRole(Exception):
    def __init__(self, person: Person) -> None:
        self.person = person


def _save_voice(principal: Principal, person: Person, data: dict[str, Any], now: dt.datetime) -> str:
    services.record_voice(
        person=person,
        principal=principal,
        now=now,
        recorded_on=data["recorded_on"],
        gathered=data["gathered"],
        worries=data["worries"],
        good_things=data["good_things"],
        wishes=data["wishes"],
        want_to_happen=data["want_to_happen"],
        words=data["words"],
        backdated_reason=data["backdated_reason"],
    )
    return f"{person.display_name}'s words are recorded"


def _save_visit(principal: Principal, person: Person, data: dict[str, Any], now: dt.datetime) -> str:
    seen = data["seen"]
    services.record_visit(
        person=person,
        principal=principal,
        now=now,
        visited_on=data["visited_on"],
        place=data["place"],
        is_seen=seen != "NOT_SEEN",
        is_seen_alone=seen == "ALONE",
        not_seen_reason=data["not_seen_reason"] if seen == "NOT_SEEN" else "",
        note=data["note"],
        backdated_reason=data["backdated_reason"],
    )
    return "Visit recorded" if seen != "NOT_SEEN" else "Visit recorded. The child was not seen: tell your manager."


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def voice_record(request: HttpRequest, public_id: object) -> HttpResponse:
    return _form_page(
        request, public_id, action="voice.record", form_class=VoiceForm, template="voice/record.html", save=_save_voice
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def visit_record(request: HttpRequest, public_id: object) -> HttpResponse:
    return _form_page(
        request, public_id, action="visit.record", form_class=VisitForm, template="voice/visit.html", save=_save_visit
    )
