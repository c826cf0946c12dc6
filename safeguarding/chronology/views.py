"""The child's chronology with filters, the family chronology, their CSV and PDF exports, and the page
that adds an event a partner reported. Mounted in the voice app's URLs (names chronology:events*).

Each view opens the child's record through access.queries.open_person (decided and audited) and renders in
the same transaction. Exports are audited as exports ("person.chronology.export", with the format and
the filter), one row per person whose chronology is included.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from safeguarding.access import queries as access
from safeguarding.accounts.principal import Principal
from safeguarding.people.models import Person
from safeguarding.people.views.forms_base import posted, refuse_for_role
from safeguarding.people.views.record import principal_of, refusal_response

from . import exports, queries, services
from .family import Family, open_family
from .forms import OTHER, FilterForm, ReportedEventForm

PER_PAGE = 100
VIEW, FAMILY_VIEW, EXPORT = "person.chronology.view", "person.chronology.family.view", "person.chronology.export"


def _asked(request: HttpRequest) -> dict[str, Any]:
    """The filter as asked (for the audit row, before it is checked against the agencies shown)."""
    return {"agency": request.GET.get("agency", "")[:40], "significance": request.GET.getlist("significance")[:3]}


def _page_number(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1")
    return int(raw) if raw.isdigit() and 0 < int(raw) < 100_000 else 1


def _open(
    request: HttpRequest,
    principal: Principal,
    public_id: object,
    now: dt.datetime,
    *,
    family: bool,
    action: str,
    details: dict[str, Any],
) -> tuple[Family, FilterForm, queries.Filter]:
    child = access.open_person(principal, public_id, now=now, action=action, details=details).person
    if family:
        opened = open_family(principal, child, now=now, action=action, details=details)
    else:
        opened = Family(child=child, relatives=[], withheld=0)
    people = opened.people
    form = FilterForm(
        request.GET if request.GET else None,
        agencies=queries.agencies_in(people),
        other=queries.has_other_agencies(people),
    )
    return opened, form, form.filter()


def _page(request: HttpRequest, public_id: object, *, family: bool) -> HttpResponse:
    now = timezone.now()
    principal = principal_of(request)
    number = _page_number(request)
    action = FAMILY_VIEW if family else VIEW
    try:
        with transaction.atomic():
            opened, form, flt = _open(
                request,
                principal,
                public_id,
                now,
                family=family,
                action=action,
                details={"filter": _asked(request), "page": number},
            )
            page = Paginator(queries.entries(opened.people, flt), PER_PAGE).get_page(number)
            query = urlencode([(k, v) for k in ("agency", "significance") for v in request.GET.getlist(k)])
            context = {
                "person": opened.child,
                "family": opened if family else None,
                "form": form,
                "filter_text": _describe(form, flt),
                "is_filtered": bool(flt.agency or flt.significance),
                "page": page,
                "query": query,
                "can_report": services.may_report(principal),
            }
            return render(request, "chronology/person.html", context)
    except access.Refused as refusal:
        return refusal_response(request, refusal, now=now)


def _describe(form: FilterForm, flt: queries.Filter) -> str:
    agencies = [_Named(value, label) for value, label in form.fields["agency"].choices if value]  # type: ignore[attr-defined]
    return flt.describe(agencies)  # type: ignore[arg-type]


class _Named:
    """An agency choice, shaped like an Organisation for Filter.describe."""

    def __init__(self, public_id: str, name: str) -> None:
        self.public_id, self.name = public_id, name


@never_cache
@login_required
@require_GET
def person_chronology(request: HttpRequest, public_id: object) -> HttpResponse:
    return _page(request, public_id, family=False)


@never_cache
@login_required
@require_GET
def family_chronology(request: HttpRequest, public_id: object) -> HttpResponse:
    return _page(request, public_id, family=True)


def _export(request: HttpRequest, public_id: object, *, kind: str) -> HttpResponse:
    now = timezone.now()
    principal = principal_of(request)
    family = request.GET.get("family") == "1"
    details = {"format": kind, "filter": _asked(request), "family": family}
    try:
        with transaction.atomic():
            opened, form, flt = _open(request, principal, public_id, now, family=family, action=EXPORT, details=details)
            entries = list(queries.entries(opened.people, flt))
            on = timezone.localdate(now)
            if kind == "csv":
                response = HttpResponse(exports.to_csv(entries), content_type="text/csv; charset=utf-8")
            else:
                heading = _heading(principal, opened, _describe(form, flt), now)
                response = HttpResponse(exports.to_pdf(entries, heading), content_type="application/pdf")
            name = exports.export_name(kind, on, family=family)
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            return response
    except access.Refused as refusal:
        return refusal_response(request, refusal, now=now)


def _heading(principal: Principal, opened: Family, filter_text: str, now: dt.datetime) -> exports.Heading:
    child = opened.child
    born = f"born {child.date_of_birth.strftime('%-d %B %Y')}" if child.date_of_birth else "date of birth not known"
    subject = f"{child.display_name}, {born}"
    if opened.relatives:
        subject += ". With the chronologies of " + ", ".join(p.display_name for p in opened.relatives)
    if opened.withheld:
        subject += f". {opened.withheld} family member{'s' if opened.withheld > 1 else ''} not included (no access)"
    membership = principal.membership
    by = f"{principal.user}" + (f", {membership.organisation.name}" if membership else "")
    local = timezone.localtime(now)
    exported = f"Exported on {local.strftime('%-d %B %Y at %H:%M')} by {by}"
    title = f"{'Family chronology' if opened.relatives or opened.withheld else 'Chronology'} of {child.display_name}"
    return exports.Heading(
        title=title, subject=subject, filter=f"Filter: {filter_text}", exported=exported, family=bool(opened.relatives)
    )


@never_cache
@login_required
@require_GET
def chronology_csv(request: HttpRequest, public_id: object) -> HttpResponse:
    return _export(request, public_id, kind="csv")


@never_cache
@login_required
@require_GET
def chronology_pdf(request: HttpRequest, public_id: object) -> HttpResponse:
    return _export(request, public_id, kind="pdf")


class _NoRole(Exception):
    def __init__(self, person: Person) -> None:
        self.person = person


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def report_event(request: HttpRequest, public_id: object) -> HttpResponse:
    now = timezone.now()
    principal = principal_of(request)
    action = "chronology.report"
    try:
        with transaction.atomic():
            person = access.open_person(principal, public_id, now=now, action=action).person
            if not services.may_report(principal):
                raise _NoRole(person)  # rolls back the read's audit row; the refusal is audited instead
            agencies = queries.reporting_agencies(person)
            form = ReportedEventForm(posted(request), agencies=agencies, today=timezone.localdate(now))
            if form.is_bound and form.is_valid():
                data = form.cleaned_data
                try:
                    with transaction.atomic():
                        services.add_reported_event(
                            person=person,
                            principal=principal,
                            now=now,
                            occurred_on=data["occurred_on"],
                            summary=data["summary"],
                            impact=data["impact"],
                            significance=data["significance"],
                            agency=form.chosen_agency(),
                            agency_name=data["agency_name"] if data["agency"] == OTHER else "",
                            backdated_reason=data["backdated_reason"],
                        )
                except services.ChronologyRefused as exc:
                    form.add_error(None, str(exc))
                else:
                    messages.success(request, "Event added to the chronology")
                    return redirect("chronology:events", public_id=person.public_id)
            status = 400 if form.errors else 200
            return render(request, "chronology/report.html", {"form": form, "person": person}, status=status)
    except access.Refused as refusal:
        return refusal_response(request, refusal, now=now)
    except _NoRole as missing:
        return refuse_for_role(
            request, principal, action=action, message=services.REPORT_ROLE, now=now, person=missing.person
        )
