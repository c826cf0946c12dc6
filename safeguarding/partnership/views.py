"""Pages for partnership roles: the dashboard, the action tracker, the accountability register and training compliance.

Every page opens the principal's partnership through access.open_partnership (audited) inside one
transaction and renders inside it; a refusal is audited as DENIED and answered 403 (`_page`).
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from safeguarding.accounts.principal import Principal
from safeguarding.organisations.models import Partnership

from . import access, actions, compliance, register, sections, services, training_import
from .forms import AccountableOnForm, EndHoldingForm, HoldingForm, RoleForm, TrainingImportForm, TrainingRecordForm
from .models import RoleHolding

View = Callable[..., HttpResponse]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def principal_of(request: HttpRequest) -> Principal:
    return request.principal  # type: ignore[attr-defined,no-any-return]


def _page(action: str, *, manage: bool = False) -> Callable[[View], View]:
    """Sign-in required, never cached; open the partnership (audited) and render in one transaction."""

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            now, principal = timezone.now(), principal_of(request)
            chosen = request.GET.get("partnership", "")
            try:
                with transaction.atomic():
                    partnership = access.open_partnership(
                        principal, action=action, now=now, chosen=chosen, manage=manage
                    )
                    return view(request, principal, partnership, now, *args, **kwargs)
            except access.PartnershipRefused as refusal:
                access.record_refusal(refusal, now=now)
                return render(request, "partnership/refused.html", {"refusal": refusal}, status=refusal.status)

        return never_cache(login_required(wrapper))

    return decorate


def _may_manage(principal: Principal) -> bool:
    return access.can_manage(principal)


def _context(partnership: Partnership, principal: Principal, **more: Any) -> dict[str, Any]:
    return {"partnership": partnership, "can_manage": _may_manage(principal), **more}


@_page("partnership.dashboard.view")
def dashboard(request: HttpRequest, principal: Principal, partnership: Partnership, now: dt.datetime) -> HttpResponse:
    today = timezone.localdate(now)
    shared = {"partnership": partnership, "today": today, "principal": principal, "can_manage": _may_manage(principal)}
    rendered = [
        (
            loaded.section,
            render_to_string(loaded.section.template, {**loaded.context, **shared, "section": loaded.section}),
        )
        for loaded in sections.load_sections(principal, partnership, today)
    ]
    return render(
        request, "partnership/dashboard.html", _context(partnership, principal, today=today, sections=rendered)
    )


def _tracker(request: HttpRequest, partnership: Partnership, today: dt.date) -> dict[str, Any]:
    """The tracker's rows for `?source=<key>&owner=<organisation>`, and the choices of both filters."""
    source, owner = request.GET.get("source", "")[:60], request.GET.get("owner", "")[:200]
    names = [org.name for org in register.area_organisations(partnership)]
    found = actions.by_source(partnership)
    every = [row for _, rows in found for row in rows]
    rows = actions.tracked(found, today, source=source, owner=owner, organisations=names)
    query = urlencode({k: v for k, v in (("source", source), ("owner", owner)) if v})
    return {
        "rows": rows,
        "overdue_count": sum(1 for r in rows if r.is_overdue_on(today)),
        "sources": actions.sources(),
        "owners": sorted({actions.owner_organisation(r, names) for r in every}),
        "source": source,
        "owner": owner,
        "export_url": reverse("partnership:actions-export") + (f"?{query}" if query else ""),
    }


@_page("partnership.actions.view")
def actions_page(
    request: HttpRequest, principal: Principal, partnership: Partnership, now: dt.datetime
) -> HttpResponse:
    today = timezone.localdate(now)
    context = _context(partnership, principal, today=today, **_tracker(request, partnership, today))
    return render(request, "partnership/actions.html", context)


@_page("partnership.actions.exported")
def actions_export(
    request: HttpRequest, principal: Principal, partnership: Partnership, now: dt.datetime
) -> HttpResponse:
    today = timezone.localdate(now)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="actions-{today.isoformat()}.csv"'
    writer = csv.writer(response)
    writer.writerow(["Source", "Action", "Owner", "Due on", "Completed on", "Status", "Link"])
    for row in _tracker(request, partnership, today)["rows"]:
        cells = [
            row.source,
            row.description,
            row.owner,
            row.due_on.isoformat(),
            row.completed_on.isoformat() if row.completed_on else "",
            actions.status_of(row, today),
            request.build_absolute_uri(row.url),
        ]
        writer.writerow([csv_cell(cell) for cell in cells])
    return response


@_page("partnership.register.view")
def register_page(
    request: HttpRequest, principal: Principal, partnership: Partnership, now: dt.datetime
) -> HttpResponse:
    today = timezone.localdate(now)
    slots = register.accountability_on(partnership, today)
    return render(request, "partnership/register.html", _context(partnership, principal, today=today, slots=slots))


@_page("partnership.accountable-on.view")
def accountable_on(
    request: HttpRequest, principal: Principal, partnership: Partnership, now: dt.datetime
) -> HttpResponse:
    form = AccountableOnForm(request.GET if "on_0" in request.GET else None)
    day = form.cleaned_data["on"] if form.is_valid() else None
    slots = register.accountability_on(partnership, day) if day else []
    day_label = f"{day.day} {day:%B %Y}" if day else ""
    context = _context(partnership, principal, form=form, day=day, day_label=day_label, slots=slots)
    return render(request, "partnership/accountable_on.html", context, status=400 if form.errors else 200)


@_page("partnership.role.view")
def role_detail(
    request: HttpRequest, principal: Principal, partnership: Partnership, now: dt.datetime, role: uuid.UUID
) -> HttpResponse:
    found = register.role_in(partnership, role)
    if found is None:
        raise Http404("No such role in this partnership")
    today = timezone.localdate(now)
    slots = [s for s in register.accountability_on(partnership, today) if s.role.id == found.id]
    history = register.role_history(partnership, found)
    context = _context(partnership, principal, role=found, slots=slots, history=history, today=today)
    return render(request, "partnership/role.html", context)


def _attempt(form: HoldingForm | EndHoldingForm | RoleForm | TrainingRecordForm, call: Callable[[], object]) -> bool:
    try:
        with transaction.atomic():
            call()
        return True
    except services.PartnershipChangeRefused as refused:
        form.add_service_errors(refused)
        return False


@_page("partnership.role.form", manage=True)
def role_new(request: HttpRequest, principal: Principal, partnership: Partnership, now: dt.datetime) -> HttpResponse:
    form = RoleForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        data, created = form.cleaned_data, []
        ok = _attempt(
            form,
            lambda: created.append(
                services.configure_role(principal=principal, now=now, partnership=partnership, **data)
            ),
        )
        if ok:
            messages.success(request, f"{created[0].name} was added to the register")
            return redirect("partnership:role", role=created[0].public_id)
    context = _context(partnership, principal, form=form)
    return render(request, "partnership/role_form.html", context, status=400 if form.errors else 200)


@_page("partnership.holding.form", manage=True)
def holding_new(
    request: HttpRequest, principal: Principal, partnership: Partnership, now: dt.datetime, role: uuid.UUID
) -> HttpResponse:
    found = register.role_in(partnership, role)
    if found is None:
        raise Http404("No such role in this partnership")
    organisations = register.area_organisations(partnership)
    form = HoldingForm(request.POST if request.method == "POST" else None, role=found, organisations=organisations)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        ok = _attempt(
            form,
            lambda: services.record_holding(
                principal=principal,
                now=now,
                partnership=partnership,
                role=found,
                organisation=data["organisation"],
                holder_name=data["holder_name"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                is_acting=data["is_acting"],
                note=data["note"],
            ),
        )
        if ok:
            messages.success(request, f"{data['holder_name']} was recorded as {found.name}")
            return redirect("partnership:role", role=found.public_id)
    context = _context(partnership, principal, form=form, role=found)
    return render(request, "partnership/holding_form.html", context, status=400 if form.errors else 200)


@_page("partnership.holding.form", manage=True)
def holding_end(
    request: HttpRequest, principal: Principal, partnership: Partnership, now: dt.datetime, holding: uuid.UUID
) -> HttpResponse:
    found = (
        RoleHolding.objects.filter(partnership=partnership, public_id=holding).select_related("role", "organisation")
    ).first()
    if found is None:
        raise Http404("No such holding in this partnership")
    form = EndHoldingForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        ends_on = form.cleaned_data["ends_on"]
        if _attempt(form, lambda: services.end_holding(principal=principal, now=now, holding=found, ends_on=ends_on)):
            messages.success(request, f"{found.holder_name}'s holding of {found.role.name} was ended")
            return redirect("partnership:role", role=found.role.public_id)
    context = _context(partnership, principal, form=form, holding=found)
    return render(request, "partnership/holding_end.html", context, status=400 if form.errors else 200)


@_page("partnership.training.view")
def training(request: HttpRequest, principal: Principal, partnership: Partnership, now: dt.datetime) -> HttpResponse:
    today = timezone.localdate(now)
    context = _context(partnership, principal, today=today, training=compliance.compliance_on(partnership, today))
    return render(request, "partnership/training.html", context)


@_page("partnership.training.form", manage=True)
def training_new(
    request: HttpRequest, principal: Principal, partnership: Partnership, now: dt.datetime
) -> HttpResponse:
    staff = compliance.current_staff(partnership, timezone.localdate(now))
    form = TrainingRecordForm(request.POST if request.method == "POST" else None, staff=staff)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if _attempt(
            form, lambda: services.record_training(principal=principal, now=now, partnership=partnership, **data)
        ):
            messages.success(request, f"{data['course']} was recorded for {data['membership'].user}")
            return redirect("partnership:training")
    context = _context(partnership, principal, form=form)
    return render(request, "partnership/training_form.html", context, status=400 if form.errors else 200)


@_page("partnership.training.import-form", manage=True)
def training_import_page(
    request: HttpRequest, principal: Principal, partnership: Partnership, now: dt.datetime
) -> HttpResponse:
    form = TrainingImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        content = form.cleaned_data["file"].read(training_import.MAX_BYTES + 1)
        try:
            with transaction.atomic():
                report = training_import.import_training(
                    principal=principal, now=now, partnership=partnership, content=content
                )
        except training_import.UnusableFile as unusable:
            form.add_error("file", f"{unusable} – no records were imported")
    context = _context(partnership, principal, form=form, report=report)
    return render(request, "partnership/training_import.html", context, status=400 if form.errors else 200)


def csv_cell(value: object) -> str:
    """Neutralise spreadsheet formula injection: prefix risky leading characters with a quote."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


@_page("partnership.training.exported")
def training_export(
    request: HttpRequest, principal: Principal, partnership: Partnership, now: dt.datetime
) -> HttpResponse:
    today = timezone.localdate(now)
    rows = compliance.export_rows(compliance.compliance_on(partnership, today))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="training-due-{today.isoformat()}.csv"'
    writer = csv.writer(response)
    for row in rows:
        writer.writerow([csv_cell(cell) for cell in row])
    return response
