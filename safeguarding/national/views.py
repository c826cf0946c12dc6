"""The connector's status page (national:status), for the local authority's flag administrators. It shows
counts and reasons only, so it reads no child's record; viewing it, and being refused, are audited."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from safeguarding.audit import services as audit
from safeguarding.people.views.forms_base import refuse_for_role
from safeguarding.people.views.record import principal_of

from . import queries

NO_ROLE = "Only the local authority's system administrators, analysts and managers can see the national connector."


@never_cache
@login_required
@require_GET
def status(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    principal = principal_of(request)
    if not queries.can_view(principal):
        return refuse_for_role(request, principal, action="national.status.view", message=NO_ROLE, now=now)
    with transaction.atomic():
        report = queries.status(principal)
        audit.record(
            principal=principal,
            action="national.status.view",
            at=now,
            object_type="organisation",
            object_id=str(report.authority.public_id),
        )
        return render(request, "national/status.html", {"report": report})
