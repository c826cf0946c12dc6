"""The NHS-number match rate as JSON (django-ninja), under the same rule and audit as the page.

Registered in config/api.py."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from safeguarding.accounts.principal import Principal
from safeguarding.audit import services as audit
from safeguarding.audit.models import Outcome
from safeguarding.people.api import ErrorOut

from . import queries
from .views import NO_ROLE

router = Router(tags=["data quality"])


class UnmatchedOut(Schema):
    id: str = Field(description="The child's (or unborn child's) public id")
    name: str
    reasons: list[str] = Field(description="CPP, LAC or UCPP")
    problem: str = Field(description="Why the NHS number does not match")
    to_fix: str = Field(description="Public id of the record whose NHS number must be fixed")


class MatchRateOut(Schema):
    local_authority: str
    in_scope: int
    matched: int
    rate_percent: float | None = Field(description="Matched as a percentage (rounded down); null if none in scope")
    goal_percent: float
    meets_goal: bool
    unmatched: list[UnmatchedOut]


def _principal(request: HttpRequest) -> Principal:
    principal = getattr(request, "auth", None)
    if not isinstance(principal, Principal):
        raise HttpError(401, "Authenticate with a bearer token")
    return principal


@router.get(
    "/data-quality/nhs-numbers",
    response={200: MatchRateOut, 401: ErrorOut, 403: ErrorOut},
    operation_id="nhs_number_match_rate",
)
def nhs_number_match_rate(request: HttpRequest) -> MatchRateOut:
    """NHS-number match rate for the children in scope of the token's local authority (VIEW_RETURNS)."""
    principal = _principal(request)
    now = timezone.now()
    if not queries.can_view(principal):
        with transaction.atomic():
            audit.record(
                principal=principal,
                action="dataquality.nhs-numbers.view",
                at=now,
                outcome=Outcome.DENIED,
                basis="no-capability",
                reason=NO_ROLE,
            )
        raise HttpError(403, NO_ROLE)
    with transaction.atomic():
        report = queries.view_report(principal, now=now)
    rate = report.rate
    return MatchRateOut(
        local_authority=report.authority.name,
        in_scope=report.in_scope,
        matched=report.matched,
        rate_percent=float(rate) if rate is not None else None,
        goal_percent=float(report.goal),
        meets_goal=report.meets_goal,
        unmatched=[
            UnmatchedOut(
                id=str(u.person.public_id),
                name=u.person.display_name,
                reasons=u.reasons,
                problem=u.problem,
                to_fix=str(u.to_fix.public_id),
            )
            for u in report.unmatched
        ],
    )
