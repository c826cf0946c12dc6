"""The returns page: the CIN census checks for the user's authority, and the records to fix."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from safeguarding.accounts.principal import Principal

from . import queries, services
from .years import YEARS, CollectionYear, current_or_latest


def _year(request: HttpRequest, today_year: CollectionYear) -> CollectionYear:
    label = request.POST.get("year") or request.GET.get("year") or ""
    return YEARS.get(label, today_year)


def _refused(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "census/refused.html", {"message": message}, status=403)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def returns(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    principal: Principal = request.principal  # type: ignore[attr-defined]
    current = current_or_latest(timezone.localdate(now))
    year = _year(request, current)
    if request.method == "POST":
        try:
            queries.ensure_can_view(principal, now=now, action="census.validation.requested")
            services.request_validation(principal=principal, now=now, year=year)
        except queries.ReturnsRefused as refused:
            return _refused(request, refused.message)
        except services.CheckRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, f"The {year.label} checks have started")
        return HttpResponseRedirect(f"{reverse('census:returns')}?{urlencode({'year': year.label})}", status=303)

    raw_page = request.GET.get("page", "1")
    page = int(raw_page) if raw_page.isdigit() and len(raw_page) < 6 else 1
    try:
        # Checked (and a refusal audited) before the read's transaction, so the DENIED row is kept.
        queries.ensure_can_view(principal, now=now)
        with transaction.atomic():
            data = queries.returns_for(principal, now=now, year=year, page=page)
            context = {
                "data": data,
                "years": sorted(YEARS.values(), key=lambda y: -y.end_year),
                "current": current,
                "la": principal.membership.organisation if principal.membership else None,
                "year_query": urlencode({"year": year.label}),
                "year_is_open": timezone.localdate(now) <= year.reference_date,
            }
            return render(request, "census/returns.html", context)
    except queries.ReturnsRefused as refused:
        return _refused(request, refused.message)
