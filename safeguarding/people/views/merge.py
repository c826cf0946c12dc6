"""Merge a duplicate record into this one (people:merge). Team managers only; nothing is deleted."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from safeguarding.access import queries
from safeguarding.access.policy import searchable_local_authorities
from safeguarding.accounts.principal import Principal
from safeguarding.accounts.roles import Capability
from safeguarding.people import services
from safeguarding.people.forms import MergeForm
from safeguarding.people.models import Person

from .forms_base import record_form_view


def _merge(principal: Principal, person: Person, data: dict[str, Any], now: dt.datetime) -> str:
    duplicate = queries.open_person(principal, data["duplicate"], now=now, action="person.merge.duplicate").person
    services.merge_people(survivor=person, duplicate=duplicate, principal=principal, reason=data["reason"], now=now)
    return f"{duplicate.display_name}'s record was merged into this one"


def _candidates(request: HttpRequest, principal: Principal, person: Person, now: dt.datetime) -> dict[str, Any]:
    matches = services.probable_duplicates(
        local_authority_ids=searchable_local_authorities(principal),
        given_name=person.given_name,
        family_name=person.family_name,
        date_of_birth=person.date_of_birth,
        nhs_number=person.nhs_number,
        exclude_id=person.pk,
    )
    return {"candidates": matches}


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def person_merge(request: HttpRequest, public_id: object) -> HttpResponse:
    return record_form_view(
        request,
        public_id,
        action="person.merge.form",
        capability=Capability.MERGE_PEOPLE,
        form_class=MergeForm,
        save=_merge,
        template="people/merge.html",
        title="Merge a duplicate record into this one",
        extra=_candidates,
    )
