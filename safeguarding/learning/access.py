"""Who may see and run the partnership's learning work, audited (ADRs 0022, 0027).

Reading needs VIEW_PARTNERSHIP and changing MANAGE_PARTNERSHIP, in an organisation of the partnership
(the partnership's one access helper). A role without the capability is refused 403; an incident of
another partnership is answered 404 (they may not know it exists). Both refusals are audited DENIED.
Children inside a review are opened separately, through access.queries.open_person (views.children_shown).
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from safeguarding.audit import services as audit
from safeguarding.organisations.models import Partnership
from safeguarding.partnership import access as shared

from .models import SeriousIncident

if TYPE_CHECKING:
    import datetime as dt

    from safeguarding.accounts.principal import Principal

READ = shared.READ
MANAGE = shared.MANAGE
READ_REFUSED = "Only partnership roles can see serious incident reviews"


class LearningRefused(shared.PartnershipRefused):
    @property
    def object_type(self) -> str:  # type: ignore[override]
        return "learning.seriousincident" if self.object_id else "partnership"


record_refusal = shared.record_refusal
can_manage = shared.can_manage


def _check_role(principal: Principal, action: str, manage: bool) -> list[Partnership]:
    return shared.check(principal, action=action, manage=manage, refused=LearningRefused, read_message=READ_REFUSED)


def open_partnership(principal: Principal, *, action: str, now: dt.datetime, manage: bool = False) -> Partnership:
    partnership = _check_role(principal, action, manage)[0]
    audit.record(
        principal=principal, action=action, at=now, object_type="partnership", object_id=str(partnership.public_id)
    )
    return partnership


def open_incident(
    principal: Principal, public_id: object, *, action: str, now: dt.datetime, manage: bool = False
) -> SeriousIncident:
    partnerships = _check_role(principal, action, manage)
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
