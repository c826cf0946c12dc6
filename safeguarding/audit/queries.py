"""Reads of the audit log and of break-glass alerts, for auditors. Each read is itself audited.

An auditor sees their own tenant only: events recorded by people acting for the auditor's
organisation, and events about people whose records that organisation holds.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import asdict, dataclass
from typing import Any

from django.db.models import F, Q, QuerySet

from safeguarding.access.models import AuditorAlert
from safeguarding.accounts.models import Membership
from safeguarding.accounts.principal import Principal
from safeguarding.accounts.roles import Capability
from safeguarding.people.models import Person

from . import services as audit
from .models import AuditEvent, Outcome


class AuditRefused(Exception):
    """The principal may not read the audit log. Record with record_refusal()."""

    def __init__(self, principal: Principal, action: str) -> None:
        super().__init__("Your role cannot read the audit log")
        self.principal = principal
        self.action = action


def record_refusal(refusal: AuditRefused, *, now: dt.datetime) -> None:
    from django.db import transaction

    with transaction.atomic():
        audit.record(
            principal=refusal.principal,
            action=refusal.action,
            at=now,
            outcome=Outcome.DENIED,
            object_type="audit",
            basis="not-an-auditor",
        )


def ensure_auditor(principal: Principal, *, action: str) -> int:
    if not principal.can(Capability.VIEW_AUDIT) or principal.organisation_id is None:
        raise AuditRefused(principal, action)
    return principal.organisation_id


@dataclass(frozen=True)
class Criteria:
    username: str = ""
    child: str = ""  # an NHS number or a record's public id
    action: str = ""
    outcome: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    def as_details(self) -> dict[str, str]:
        return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in asdict(self).items() if v}


def tenant_events(organisation_id: int) -> QuerySet[AuditEvent]:
    """Events of one tenant: recorded by its staff, or about the people it holds.

    Security events recorded before a role is chosen (sign-ins, failed attempts on a known
    username) carry no organisation; they belong to every organisation the user is a member of.
    """
    held = Person.objects.filter(local_authority_id=organisation_id).values("id")
    staff = Membership.objects.filter(organisation_id=organisation_id)
    return AuditEvent.objects.filter(
        Q(organisation_id=organisation_id)
        | Q(person_id__in=held)
        | Q(organisation__isnull=True, actor_id__in=staff.values("user_id"))
        | Q(actor__isnull=True, actor_name__in=staff.values("user__username"))
    )


def _child_filter(child: str) -> Q:
    value = child.replace(" ", "").strip()
    try:
        return Q(person__public_id=uuid.UUID(value))
    except ValueError:
        return Q(person__nhs_number=value)


def _filtered(events: QuerySet[AuditEvent], criteria: Criteria, tz: dt.tzinfo) -> QuerySet[AuditEvent]:
    if criteria.username:
        name = criteria.username.strip()
        events = events.filter(Q(actor__username__iexact=name) | Q(actor__isnull=True, actor_name__iexact=name))
    if criteria.child:
        events = events.filter(_child_filter(criteria.child))
    if criteria.action:
        events = events.filter(action__startswith=criteria.action.strip())
    if criteria.outcome:
        events = events.filter(outcome=criteria.outcome)
    if criteria.date_from:
        events = events.filter(at__gte=dt.datetime.combine(criteria.date_from, dt.time.min, tzinfo=tz))
    if criteria.date_to:
        end = criteria.date_to + dt.timedelta(days=1)
        events = events.filter(at__lt=dt.datetime.combine(end, dt.time.min, tzinfo=tz))
    return events


def search_events(
    principal: Principal,
    criteria: Criteria,
    *,
    now: dt.datetime,
    tz: dt.tzinfo,
    action: str = "audit.search",
    details: dict[str, Any] | None = None,
) -> QuerySet[AuditEvent]:
    """The auditor's tenant's events matching `criteria`, most recent first. Audits the search."""
    organisation_id = ensure_auditor(principal, action=action)
    audit.record(
        principal=principal,
        action=action,
        at=now,
        object_type="audit",
        details={"criteria": criteria.as_details(), **(details or {})},
    )
    events = _filtered(tenant_events(organisation_id), criteria, tz)
    return events.select_related("organisation").order_by("-at", "-id")


def alerts(principal: Principal, *, now: dt.datetime) -> list[AuditorAlert]:
    """Break-glass alerts for the auditor's organisation, unreviewed first. Audits the people shown."""
    organisation_id = ensure_auditor(principal, action="audit.alerts.view")
    rows = list(
        AuditorAlert.objects.filter(organisation_id=organisation_id)
        .select_related(
            "break_glass__user", "break_glass__person", "break_glass__membership__organisation", "reviewed_by"
        )
        .order_by(F("reviewed_at").desc(nulls_first=True), "-raised_at", "-id")[:200]
    )
    audit.record(
        principal=principal,
        action="audit.alerts.view",
        at=now,
        object_type="list",
        details={"shown": [str(a.break_glass.person.public_id) for a in rows]},
    )
    return rows


def alert_for_auditor(principal: Principal, pk: int) -> AuditorAlert | None:
    organisation_id = ensure_auditor(principal, action="audit.alert-reviewed")
    return (
        AuditorAlert.objects.select_related("break_glass__person", "break_glass__user")
        .filter(organisation_id=organisation_id, pk=pk)
        .first()
    )


def unreviewed_alert_count(principal: Principal) -> int:
    """How many break-glass alerts await review (0 for anyone who is not an auditor). No personal data."""
    if not principal.can(Capability.VIEW_AUDIT) or principal.organisation_id is None:
        return 0
    return AuditorAlert.objects.filter(organisation_id=principal.organisation_id, reviewed_at__isnull=True).count()
