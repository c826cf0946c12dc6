"""The NHS-number match rate page, for roles that see statutory returns (analysts, managers)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from safeguarding.people.views.forms_base import refuse_for_role
from safeguarding.people.views.record import principal_of

from . import queries

NO_ROLE = "Only analysts and managers of the local authority can see NHS-number matching."


@never_cache
@login_required
@require_GET
def nhs_numbers(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    principal = principal_of(request)
    if not queries.can_view(principal):
        return refuse_for_role(request, principal, action="dataquality.nhs-numbers.view", message=NO_ROLE, now=now)
    with transaction.atomic():
        report = queries.view_report(principal, now=now)
        return render(request, "dataquality/nhs_numbers.html", {"report": report})
