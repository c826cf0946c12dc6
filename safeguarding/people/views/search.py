"""Search for a person: minimal details for everyone in scope, a link to open those you may open."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from safeguarding.access import queries
from safeguarding.accounts.roles import Capability

from ..forms_search import PersonSearchForm
from .record import principal_of, refusal_response


@never_cache
@login_required
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    principal = principal_of(request)
    form = PersonSearchForm(request.GET or None)
    try:
        with transaction.atomic():
            queries.ensure_can_search(principal)
            result = queries.search_people(principal, now=now, **form.criteria()) if form.is_valid() else None
            context = {
                "form": form,
                "result": result,
                "can_break_glass": principal.can(Capability.BREAK_GLASS),
                "can_create": principal.can(Capability.CREATE_PERSON),
            }
            return render(request, "people/search.html", context, status=400 if form.errors else 200)
    except queries.Refused as refusal:
        return refusal_response(request, refusal, now=now)
