"""Pages: the health look-up (flags:lookup), the team's inbox of access notifications (flags:inbox), and one
notification, which the authority marks as acted on (flags:notification).

The look-up is a POST (it may notify the local authority, so it is not a link a browser may prefetch);
every look-up, refused or not, is audited by flags.services. The notification page opens the child's
record through access.queries.open_person, as every page about a child does.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from safeguarding.accounts.principal import Principal
from safeguarding.accounts.roles import Capability
from safeguarding.audit import services as audit
from safeguarding.people.models import Person
from safeguarding.people.services import PersonChangeRefused
from safeguarding.people.views.forms_base import RecordPage, posted, record_form_view, refuse_for_role
from safeguarding.people.views.record import principal_of

from . import queries, services
from .forms import ActedOnForm, LookupForm
from .models import Notification

INBOX_REFUSAL = "Only the local authority's social care staff see access notifications."


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def lookup(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    principal = principal_of(request)
    if not principal.can(Capability.QUERY_CP_FLAGS):
        return refuse_for_role(
            request,
            principal,
            action="flag.lookup",
            message=services.NOT_ALLOWED,
            now=now,
            heading="You cannot look up flags",
        )
    form = LookupForm(posted(request))
    context: dict[str, Any] = {"form": form, "setting": services.setting_for(principal)}
    if form.is_bound and form.is_valid():
        raw = form.cleaned_data["nhs_number"]
        try:
            with transaction.atomic():
                result = services.look_up(principal=principal, nhs_number=raw, now=now)
                context |= {"result": result, "today": queries.today_for(now)}
                return render(request, "flags/lookup.html", context)
        except services.LookupRefused as refused:
            services.record_refused_lookup(principal, now=now, reason=str(refused), raw=raw)
            form.add_error("nhs_number", str(refused))
    return render(request, "flags/lookup.html", context, status=400 if form.errors else 200)


@never_cache
@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    principal = principal_of(request)
    if not queries.may_use_inbox(principal):
        return refuse_for_role(request, principal, action="notification.inbox.view", message=INBOX_REFUSAL, now=now)
    acted_on = request.GET.get("show") == "acted-on"
    with transaction.atomic():
        rows = queries.inbox(principal, acted_on=acted_on)
        audit.record(
            principal=principal,
            action="notification.inbox.view",
            at=now,
            details={"shown": sorted({str(n.person.public_id) for n in rows}), "acted_on": acted_on},
        )
        return render(request, "flags/inbox.html", {"notifications": rows, "acted_on": acted_on})


class _Refused(PersonChangeRefused):
    """Shown on the form by the people form-page helper."""


def _notification(request: HttpRequest, person: Person) -> Notification:
    kwargs = request.resolver_match.kwargs if request.resolver_match else {}
    found = (
        Notification.objects.select_related("access_event", "acted_on_by", "worker", "team")
        .filter(public_id=str(kwargs.get("notification", "")), person=person)
        .first()
    )
    if found is None:
        raise Http404("No such notification for this child")
    return found


def _form(request: HttpRequest, principal: Principal, person: Person, now: dt.datetime) -> ActedOnForm:
    _notification(request, person)
    return ActedOnForm(posted(request))


def _context(request: HttpRequest, principal: Principal, person: Person, form: Any, now: dt.datetime) -> dict[str, Any]:
    notification = _notification(request, person)
    return {"notification": notification, "event": notification.access_event}


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def notification(request: HttpRequest, public_id: object, notification: object) -> HttpResponse:
    def save(principal: Principal, person: Person, form: ActedOnForm, now: dt.datetime) -> str:
        try:
            services.mark_acted_on(
                notification=_notification(request, person),
                principal=principal,
                now=now,
                note=form.cleaned_data["note"],
            )
        except services.NotificationRefused as refused:
            raise _Refused(str(refused)) from None
        return "Recorded what you did about the health access; it is in the chronology"

    page = RecordPage(
        action="notification.view",
        capability=Capability.RECORD_CASEWORK,
        refusal=INBOX_REFUSAL,
        template="flags/notification.html",
        title="Health access to a flagged child",
        form=_form,
        save=save,
        context=_context,
    )
    return record_form_view(request, public_id, page)
