"""The child's looked-after status (care:looked-after): the history of legal statuses and one form
to record that they became looked after, that their legal status changed, or that it ended.

Uses the people form-page helper: the record is opened through access.queries.open_person (audited),
the RECORD_CASEWORK capability is checked, and the one service call runs in a savepoint.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from safeguarding.accounts.principal import Principal
from safeguarding.accounts.roles import Capability
from safeguarding.people.models import Person
from safeguarding.people.views.forms_base import RecordPage, posted, record_form_view

from . import services
from .forms import CHANGE, START, LookedAfterForm
from .models import LookedAfterPeriod


def _form(request: HttpRequest, principal: Principal, person: Person, now: dt.datetime) -> LookedAfterForm:
    return LookedAfterForm(
        posted(request), today=timezone.localdate(now), is_looked_after=services.current_period(person) is not None
    )


def _save(principal: Principal, person: Person, form: LookedAfterForm, now: dt.datetime) -> str:
    data = form.cleaned_data
    common: dict[str, Any] = {
        "person": person,
        "principal": principal,
        "now": now,
        "backdated_reason": data.get("backdated_reason", ""),
    }
    if data["what"] == START:
        services.start_looked_after(legal_status=data["legal_status"], start_date=data["happened_on"], **common)
        return "Recorded that they became looked after"
    if data["what"] == CHANGE:
        services.change_legal_status(legal_status=data["legal_status"], changed_on=data["happened_on"], **common)
        return "Recorded the change of legal status"
    services.end_looked_after(end_date=data["happened_on"], **common)
    return "Recorded that they stopped being looked after"


def _context(request: HttpRequest, principal: Principal, person: Person, form: Any, now: dt.datetime) -> dict[str, Any]:
    periods = list(LookedAfterPeriod.objects.filter(person=person).order_by("-start_date", "-id"))
    return {"periods": periods, "current": next((p for p in periods if p.end_date is None), None)}


PAGE = RecordPage(
    action="looked-after.view",
    capability=Capability.RECORD_CASEWORK,
    refusal="Your role cannot record looked-after status. Tell the child's social worker what has changed.",
    template="care/looked_after.html",
    title="Looked-after status",
    form=_form,
    save=_save,
    context=_context,
)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def looked_after(request: HttpRequest, public_id: object) -> HttpResponse:
    return record_form_view(request, public_id, PAGE)
