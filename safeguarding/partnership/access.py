"""Who may see and run the partnership's work, and the audit of every page (ADR 0020).

The pages are about staff and organisations, not children, but they are still audited: each read writes
a `partnership.*.view` row and each refusal a DENIED row. A principal sees the partnership of their own
organisation (the one it leads or belongs to); `?partnership=<public id>` chooses among several.
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

# Reading is the same capability as running the work until the lead adds a read-only one (ADR 0020).
READ = Capability.MANAGE_PARTNERSHIP
MANAGE = Capability.MANAGE_PARTNERSHIP


class PartnershipRefused(Exception):
    """The principal may not see or change this partnership's work. Audit with record_refusal, answer 403."""

    def __init__(self, *, principal: Principal, action: str, message: str) -> None:
        super().__init__(message)
        self.principal, self.action, self.message = principal, action, message


def record_refusal(refusal: PartnershipRefused, *, now: dt.datetime) -> None:
    with transaction.atomic():
        audit.record(
            principal=refusal.principal,
            action=refusal.action,
            at=now,
            outcome=Outcome.DENIED,
            object_type="partnership",
            reason=refusal.message,
        )


def partnerships_of(principal: Principal) -> list[Partnership]:
    org_id = principal.organisation_id
    if org_id is None:
        return []
    query = Q(organisations=org_id) | Q(local_authority_id=org_id)
    return list(Partnership.objects.filter(query).distinct().select_related("local_authority").order_by("name"))


def open_partnership(
    principal: Principal, *, action: str, now: dt.datetime, chosen: str = "", manage: bool = False
) -> Partnership:
    """The principal's partnership, audited as `action`; raises PartnershipRefused (not audited yet)."""
    capability = MANAGE if manage else READ
    if not principal.can(capability):
        raise PartnershipRefused(
            principal=principal, action=action, message="Only partnership roles can see the partnership's work"
        )
    partnerships = partnerships_of(principal)
    if chosen:
        try:
            wanted = uuid.UUID(chosen)
        except ValueError:
            wanted = None
        partnerships = [p for p in partnerships if p.public_id == wanted]
    if not partnerships:
        raise PartnershipRefused(
            principal=principal, action=action, message="Your organisation is not in this safeguarding partnership"
        )
    partnership = partnerships[0]
    audit.record(
        principal=principal,
        action=action,
        at=now,
        object_type="partnership",
        object_id=str(partnership.public_id),
    )
    return partnership
