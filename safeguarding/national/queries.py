"""The connector's status for one local authority: counts and reasons, never a child's name or NHS number.

It is for the people who keep the authority's flags flowing: system administrators (MANAGE_ORGANISATIONS),
who run the connector, and the analysts and managers who see statutory returns (VIEW_RETURNS), who fix
the records the national service refuses, as they fix NHS-number matching (ADR 0024).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q

from safeguarding.accounts.principal import Principal
from safeguarding.accounts.roles import Capability
from safeguarding.flags.models import PlanType
from safeguarding.organisations.models import Organisation, OrganisationType

from .adapters import NationalAdapter, get_adapter
from .models import ChangeKind, InboundMessage, InboundOutcome, Link, OutboundBatch, OutboundChange

RECENT = 10


def can_view(principal: Principal) -> bool:
    membership = principal.membership
    return (
        membership is not None
        and membership.organisation.type == OrganisationType.LOCAL_AUTHORITY
        and (principal.can(Capability.MANAGE_ORGANISATIONS) or principal.can(Capability.VIEW_RETURNS))
    )


@dataclass(frozen=True)
class Rejection:
    at: dt.datetime | None
    kind: str
    plan_type: str
    reason: str


@dataclass(frozen=True)
class Refusal:
    at: dt.datetime
    kind: str
    message_id: str
    reason: str


@dataclass(frozen=True)
class Status:
    authority: Organisation
    adapter: NationalAdapter
    waiting: int
    failing: int  # of the waiting, those in a batch whose last attempt failed
    last_error: str
    last_failure_at: dt.datetime | None
    awaiting_acknowledgement: int
    accepted: int
    rejected: int
    last_sent_at: dt.datetime | None
    last_received_at: dt.datetime | None
    rejections: list[Rejection]
    refusals: list[Refusal]
    sees_matching: bool  # may open the NHS-number matching page (dataquality: VIEW_RETURNS)


def status(principal: Principal) -> Status:
    membership = principal.membership
    assert membership is not None and can_view(principal)
    authority = membership.organisation
    changes = OutboundChange.objects.filter(local_authority=authority)
    unsent = Q(batch__isnull=True) | Q(batch__sent_at__isnull=True)
    failing_batch = (
        OutboundBatch.objects.filter(local_authority=authority, sent_at__isnull=True, attempts__gt=0)
        .order_by("sequence")
        .first()
    )
    link = Link.objects.filter(local_authority=authority).first()
    plan_labels = dict(PlanType.choices)
    kind_labels = dict(ChangeKind.choices)
    rejections = [
        Rejection(
            c.acknowledged_at,
            kind_labels.get(c.kind, c.kind),
            plan_labels.get(c.payload.get("plan_type", ""), ""),
            c.rejection_reason,
        )
        for c in changes.filter(accepted=False).order_by("-acknowledged_at", "-id")[:RECENT]
    ]
    refusals = [
        Refusal(m.received_at, m.get_kind_display(), m.message_id, m.reason)
        for m in InboundMessage.objects.filter(  # unaddressed ones too: nobody else would see them
            Q(local_authority=authority) | Q(local_authority__isnull=True), outcome=InboundOutcome.REJECTED
        )[:RECENT]
    ]
    return Status(
        authority=authority,
        adapter=get_adapter(),
        waiting=changes.filter(unsent).count(),
        failing=failing_batch.changes.count() if failing_batch else 0,
        last_error=failing_batch.last_error if failing_batch else "",
        last_failure_at=link.last_failure_at if link else None,
        awaiting_acknowledgement=changes.filter(batch__sent_at__isnull=False, accepted__isnull=True).count(),
        accepted=changes.filter(accepted=True).count(),
        rejected=changes.filter(accepted=False).count(),
        last_sent_at=link.last_sent_at if link else None,
        last_received_at=link.last_received_at if link else None,
        rejections=rejections,
        refusals=refusals,
        sees_matching=principal.can(Capability.VIEW_RETURNS),
    )
