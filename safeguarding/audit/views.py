"""Auditors' pages: search the audit log (and export it as CSV), and review break-glass alerts.

Only Capability.VIEW_AUDIT may use them, and only for the auditor's own tenant (audit.queries).
Reading the log is itself audited, in the same transaction as the read.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from safeguarding.access import services as access_services
from safeguarding.accounts.principal import Principal
from safeguarding.accounts.roles import Role

from . import queries
from .forms import AlertReviewForm, AuditSearchForm
from .models import AuditEvent, Outcome

PER_PAGE = 50
EXPORT_LIMIT = 10_000
ROLE_LABELS = dict(Role.choices)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Row:
    at: dt.datetime
    who: str
    role: str
    organisation: str
    action: str
    outcome: str
    basis: str
    reason: str
    allowed: bool
    record: str = ""  # the public id of the person's record the event is about


def rows(events: Iterable[AuditEvent]) -> list[Row]:
    return [
        Row(
            at=timezone.localtime(e.at),
            who=e.actor_name,
            role=ROLE_LABELS.get(e.role, e.role),
            organisation=e.organisation.name if e.organisation else "",
            action=e.action,
            outcome=e.get_outcome_display(),
            basis=e.basis,
            reason=e.reason,
            allowed=e.outcome == Outcome.ALLOWED,
            record=e.object_id if e.object_type == "person" else "",
        )
        for e in events
    ]


def principal_of(request: HttpRequest) -> Principal:
    return request.principal  # type: ignore[attr-defined,no-any-return]


def refused(request: HttpRequest, refusal: queries.AuditRefused, *, now: dt.datetime) -> HttpResponse:
    queries.record_refusal(refusal, now=now)
    return render(request, "access/refused.html", {"refusal": {"message": str(refusal)}}, status=403)


def _page_number(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1")
    return int(raw) if raw.isdigit() and 0 < int(raw) < 100_000 else 1


@never_cache
@login_required
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    now, principal, number = timezone.now(), principal_of(request), _page_number(request)
    form = AuditSearchForm(request.GET or None)
    try:
        with transaction.atomic():
            queries.ensure_auditor(principal, action="audit.search")
            page = None
            if not form.is_bound or form.is_valid():
                criteria = form.criteria() if form.is_bound else queries.Criteria()
                events = queries.search_events(
                    principal, criteria, now=now, tz=timezone.get_current_timezone(), details={"page": number}
                )
                page = Paginator(events, PER_PAGE).get_page(number)
            context = {"form": form, "page": page, "rows": rows(page.object_list) if page else []}
            return render(request, "audit/search.html", context, status=400 if form.errors else 200)
    except queries.AuditRefused as refusal:
        return refused(request, refusal, now=now)


def csv_cell(value: object) -> str:
    """Neutralise spreadsheet formula injection: prefix risky leading characters with a quote."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


@never_cache
@login_required
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    now, principal = timezone.now(), principal_of(request)
    form = AuditSearchForm(request.GET or None)
    try:
        with transaction.atomic():
            queries.ensure_auditor(principal, action="audit.export")
            if form.is_bound and not form.is_valid():
                return redirect(f"{reverse('audit:search')}?{request.GET.urlencode()}")
            criteria = form.criteria() if form.is_bound else queries.Criteria()
            events = queries.search_events(
                principal, criteria, now=now, tz=timezone.get_current_timezone(), action="audit.export"
            )
            response = HttpResponse(content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="audit-{now:%Y%m%d-%H%M}.csv"'
            writer = csv.writer(response)
            writer.writerow(
                ["When", "Who", "Role", "Organisation", "Action", "Outcome", "Basis", "Reason", "Record ID"]
            )
            for r in rows(events[:EXPORT_LIMIT]):
                cells = [
                    r.at.isoformat(timespec="seconds"),
                    r.who,
                    r.role,
                    r.organisation,
                    r.action,
                    r.outcome,
                    r.basis,
                    r.reason,
                    r.record,
                ]
                writer.writerow([csv_cell(c) for c in cells])
            return response
    except queries.AuditRefused as refusal:
        return refused(request, refusal, now=now)


@never_cache
@login_required
@require_GET
def alerts(request: HttpRequest) -> HttpResponse:
    now, principal = timezone.now(), principal_of(request)
    try:
        with transaction.atomic():
            rows_ = queries.alerts(principal, now=now)
            context = {
                "alerts": rows_,
                "unreviewed": sum(1 for a in rows_ if a.reviewed_at is None),
                "form": AlertReviewForm(),
            }
            return render(request, "audit/alerts.html", context)
    except queries.AuditRefused as refusal:
        return refused(request, refusal, now=now)


@never_cache
@login_required
@require_POST
def alert_review(request: HttpRequest, pk: int) -> HttpResponse:
    now, principal = timezone.now(), principal_of(request)
    try:
        alert = queries.alert_for_auditor(principal, pk)
    except queries.AuditRefused as refusal:
        return refused(request, refusal, now=now)
    if alert is None:
        return render(request, "errors/404.html", status=404)
    form = AlertReviewForm(request.POST)
    if not form.is_valid():
        return render(request, "audit/alert_review.html", {"form": form, "alert": alert}, status=400)
    try:
        access_services.review_alert(alert=alert, principal=principal, note=form.cleaned_data["note"], now=now)
    except access_services.AccessChangeRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Alert marked as reviewed")
    return redirect("audit:alerts")
