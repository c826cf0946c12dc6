"""Who may read and who may change the partnership's work, and the audit of every page (ADRs 0020, 0027).

One helper for the partnership, section 11 and learning pages. Reading needs VIEW_PARTNERSHIP (partnership
managers and members, designated and named professionals); every change needs MANAGE_PARTNERSHIP. The pages
are about staff and organisations, not children, but each read writes a `*.view` row and each refusal a
DENIED row. A principal sees the partnership of their own organisation (the one it leads or belongs to);
`?partnership=<public id>` chooses among several.
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

if TYPE_CHECKING:
    import datetime as dt

    from safeguarding.accounts.principal import Principal

READ = Capability.VIEW_PARTNERSHIP
MANAGE = Capability.MANAGE_PARTNERSHIP
READ_REFUSED = "Only partnership roles can see the partnership's work"
MANAGE_REFUSED = "Only the partnership manager can change the partnership's work"
NOT_IN_PARTNERSHIP = "Your organisation is not in this safeguarding partnership"


class PartnershipRefused(Exception):
    """The principal may not see or change this. Audit with record_refusal, answer `status` (403, or 404)."""

    object_type = "partnership"

    def __init__(
        self, *, principal: Principal, action: str, message: str, object_id: str = "", status: int = 403
    ) -> None:
        super().__init__(message)
        self.principal, self.action, self.message = principal, action, message
        self.object_id, self.status = object_id, status


def record_refusal(refusal: PartnershipRefused, *, now: dt.datetime) -> None:
    with transaction.atomic():
        audit.record(
            principal=refusal.principal,
            action=refusal.action,
            at=now,
            outcome=Outcome.DENIED,
            object_type=refusal.object_type,
            object_id=refusal.object_id,
            reason=refusal.message,
        )


def can_read(principal: Principal) -> bool:
    return principal.can(READ) or principal.can(MANAGE)


def can_manage(principal: Principal) -> bool:
    return principal.can(MANAGE)


def partnerships_of(principal: Principal) -> list[Partnership]:
    org_id = principal.organisation_id
    if org_id is None:
        return []
    query = Q(organisations=org_id) | Q(local_authority_id=org_id)
    return list(Partnership.objects.filter(query).distinct().select_related("local_authority").order_by("name"))


def chosen_from(partnerships: list[Partnership], chosen: str) -> list[Partnership]:
    """The partnerships matching `?partnership=` (all of them when nothing was chosen)."""
    if not chosen:
        return partnerships
    try:
        wanted = uuid.UUID(chosen)
    except ValueError:
        return []
    return [p for p in partnerships if p.public_id == wanted]


def check(
    principal: Principal,
    *,
    action: str,
    manage: bool = False,
    chosen: str = "",
    refused: type[PartnershipRefused] = PartnershipRefused,
    read_message: str = READ_REFUSED,
) -> list[Partnership]:
    """The principal's partnerships (the chosen one first) if they may read (or, with manage, change).

    Raises `refused` (not yet audited): no capability, or no partnership of their organisation."""
    allowed = can_manage(principal) if manage else can_read(principal)
    if not allowed:
        message = MANAGE_REFUSED if manage and can_read(principal) else read_message
        raise refused(principal=principal, action=action, message=message)
    partnerships = chosen_from(partnerships_of(principal), chosen)
    if not partnerships:
        raise refused(principal=principal, action=action, message=NOT_IN_PARTNERSHIP)
    return partnerships


def open_partnership(
    principal: Principal, *, action: str, now: dt.datetime, chosen: str = "", manage: bool = False
) -> Partnership:
    """The principal's partnership, audited as `action`; raises PartnershipRefused (not audited yet)."""
    partnership = check(principal, action=action, manage=manage, chosen=chosen)[0]
    audit.record(
        principal=principal,
        action=action,
        at=now,
        object_type="partnership",
        object_id=str(partnership.public_id),
    )
    return partnership
