"""Merge a duplicate record into this one (people:merge). Team managers only; nothing is deleted.

The manager chooses the duplicate from the probable duplicates or a search, sees the two records side
by side, and confirms with a reason. They must be able to open both records: merging shows the
duplicate's history to everyone who may open the record it is merged into.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from safeguarding.access import queries
from safeguarding.accounts.principal import Principal
from safeguarding.accounts.roles import Capability
from safeguarding.people import services
from safeguarding.people.forms import MergeForm
from safeguarding.people.models import Person

from .forms_base import RecordPage, find_records, open_chosen, posted, record_form_view

MERGE_REFUSAL = "Only a team manager can merge duplicate records. Ask a team manager to merge them."


def _merge_form(request: HttpRequest, principal: Principal, person: Person, now: dt.datetime) -> MergeForm:
    raw = (posted(request) or request.GET).get("duplicate")
    chosen = open_chosen(principal, raw, now=now, action="person.merge.duplicate")
    initial = {"duplicate": chosen.public_id if chosen else None}
    return MergeForm(posted(request), initial=initial, chosen=chosen)


def _merge(principal: Principal, person: Person, form: MergeForm, now: dt.datetime) -> str:
    assert form.chosen is not None
    reason = form.cleaned_data["reason"]
    services.merge_people(survivor=person, duplicate=form.chosen, principal=principal, reason=reason, now=now)
    return f"The duplicate record of {form.chosen.display_name} was merged into this one"


def _candidates(
    request: HttpRequest, principal: Principal, person: Person, form: MergeForm, now: dt.datetime
) -> dict[str, Any]:
    if form.chosen is not None:
        return {}
    candidates = queries.probable_duplicates(
        principal,
        now=now,
        action="person.merge.candidates",
        given_name=person.given_name,
        family_name=person.family_name,
        date_of_birth=person.date_of_birth,
        nhs_number=person.nhs_number,
        exclude=person,
    )
    return {"candidates": candidates, **find_records(request, principal, now, exclude=person)}


MERGE = RecordPage(
    action="person.merge.form",
    capability=Capability.MERGE_PEOPLE,
    refusal=MERGE_REFUSAL,
    template="people/merge.html",
    title="Merge a duplicate record into this one",
    form=_merge_form,
    save=_merge,
    context=_candidates,
)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def person_merge(request: HttpRequest, public_id: object) -> HttpResponse:
    return record_form_view(request, public_id, MERGE)
