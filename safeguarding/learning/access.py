"""Who may see and run the partnership's learning work, audited (ADR 0022).

Pages are for partnership roles (Capability.MANAGE_PARTNERSHIP) of an organisation in the partnership.
A role without the capability is refused 403; an incident of another partnership is answered 404 (they
may not know it exists). Both refusals are audited DENIED. Children inside a review are opened
separately, through access.queries.open_person (see views.children_shown).
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Q

from safeguarding.accounts.roles import Capability
from safeguarding.audit import services as audit
from safeguarding.audit.models import Outcome
from safeguarding.organisations.models import Partnership

from .models import SeriousIncident

if TYPE_CHECKING:
    import datetime as dt

    from safeguarding.accounts.principal import Principal

CAPABILITY = Capability.MANAGE_PARTNERSHIP


class LearningRefused(Exception):
    def __init__(self, *, principal: Principal, action: str, message: str, status: int = 403, object_id: str = ""):
        super().__init__(message)
        self.principal, self.action, self.message, self.status, self.object_id = (
            principal,
            action,
            message,
            status,
            object_id,
        )


def record_refusal(refusal: LearningRefused, *, now: dt.datetime) -> None:
    with transaction.atomic():
        audit.record(
            principal=refusal.principal,
            action=refusal.action,
            at=now,
            outcome=Outcome.DENIED,
            object_type="learning.seriousincident" if refusal.object_id else "partnership",
            object_id=refusal.object_id,
            reason=refusal.message,
        )


def partnerships_of(principal: Principal) -> list[Partnership]:
    org_id = principal.organisation_id
    if org_id is None:
        return []
    query = Q(organisations=org_id) | Q(local_authority_id=org_id)
    return list(Partnership.objects.filter(query).distinct().select_related("local_authority").order_by("name"))


def _check_role(principal: Principal, action: str) -> list[Partnership]:
    if not principal.can(CAPABILITY):
        raise LearningRefused(
            principal=principal, action=action, message="Only partnership roles can see serious incident reviews"
        )
    partnerships = partnerships_of(principal)
    if not partnerships:
        raise LearningRefused(
            principal=principal, action=action, message="Your organisation is not in a safeguarding partnership"
        )
    return partnerships


def open_partnership(principal: Principal, *, action: str, now: dt.datetime) -> Partnership:
    partnership = _check_role(principal, action)[0]
    audit.record(
        principal=principal, action=action, at=now, object_type="partnership", object_id=str(partnership.public_id)
    )
    return partnership


def open_incident(principal: Principal, public_id: object, *, action: str, now: dt.datetime) -> SeriousIncident:
    partnerships = _check_role(principal, action)
    try:
        pid = uuid.UUID(str(public_id))
    except ValueError:
        pid = None
    incident = (
        SeriousIncident.objects.select_related("partnership__local_authority")
        .filter(public_id=pid, partnership__in=partnerships)
        .first()
        if pid
        else None
    )
    if incident is None:
        raise LearningRefused(
            principal=principal, action=action, message="Page not found", status=404, object_id=str(public_id)[:80]
        )
    audit.record(
        principal=principal,
        action=action,
        at=now,
        object_type="learning.seriousincident",
        object_id=str(incident.public_id),
    )
    return incident
