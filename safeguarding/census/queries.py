"""Reads for the returns page: the latest checks of the principal's own authority, audited.

The page names children only by their census id (LAchildID) and links to their page, where the
access layer decides need-to-know as ever: an analyst can see what to fix without being able to
open the child's record. The rows shown are audited (`census.returns.view`, details.shown).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from safeguarding.accounts.principal import Principal
from safeguarding.accounts.roles import Capability
from safeguarding.audit import services as audit
from safeguarding.audit.models import Outcome

from .models import RunStatus, ValidationRun
from .years import CollectionYear

PER_PAGE = 100


class ReturnsRefused(Exception):
    message = "Your role cannot see statutory returns"


@dataclass
class Returns:
    year: CollectionYear
    latest: ValidationRun | None  # the newest run, whatever its state
    results: ValidationRun | None  # the newest finished run (what the page lists)
    issues: list[dict[str, Any]] = field(default_factory=list)  # this page of them
    page: int = 1
    pages: int = 1


def ensure_can_view(principal: Principal, *, now: dt.datetime, action: str = "census.returns.view") -> None:
    """Raise ReturnsRefused (after auditing the refusal in its own transaction) when the role cannot."""
    if principal.can(Capability.VIEW_RETURNS) and principal.membership is not None:
        return
    from django.db import transaction

    with transaction.atomic():
        audit.record(principal=principal, action=action, at=now, outcome=Outcome.DENIED, basis="no-capability")
    raise ReturnsRefused


def returns_for(principal: Principal, *, now: dt.datetime, year: CollectionYear, page: int = 1) -> Returns:
    """The year's latest checks for the principal's authority and one page of the records to fix."""
    ensure_can_view(principal, now=now)
    assert principal.membership is not None
    runs = ValidationRun.objects.filter(local_authority_id=principal.membership.organisation_id, year=year.label)
    latest = runs.order_by("-requested_at", "-id").first()
    results = (
        latest
        if latest is not None and latest.status == RunStatus.DONE
        else runs.filter(status=RunStatus.DONE).order_by("-requested_at", "-id").first()
    )
    issues = results.issues if results is not None else []
    pages = max(1, -(-len(issues) // PER_PAGE))
    page = min(max(page, 1), pages)
    shown = issues[(page - 1) * PER_PAGE : page * PER_PAGE]
    audit.record(
        principal=principal,
        action="census.returns.view",
        at=now,
        object_type="list",
        details={
            "year": year.label,
            "run": str(results.public_id) if results else "",
            "shown": sorted({i["person"] for i in shown if i.get("person")}),
        },
    )
    return Returns(year=year, latest=latest, results=results, issues=shown, page=page, pages=pages)
