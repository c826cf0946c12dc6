"""Reads of flags, access events and notifications.

The flag look-up is a deliberately narrow second read path beside access.queries: CP-IS is role-based,
not relationship-based (a clinician in an emergency department has no prior relationship with the
child), so a flag is shown to any role with QUERY_CP_FLAGS, and what it shows is only the CP-IS
minimum (no name, no reason, no worker). The caller (services.look_up) audits every look-up.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from safeguarding.accounts.principal import Principal
from safeguarding.accounts.roles import Capability
from safeguarding.organisations.models import Team
from safeguarding.standards.rules import due_date, standard_for

from .models import AccessEvent, Flag, LocalAuthorityContact, Notification

ACCESS_HISTORY = 25  # CP-IS shows the 25 most recent accesses (domain.md §1.2)
RETENTION = "CP_FLAG_RETENTION"


@dataclass(frozen=True)
class ShownFlag:
    flag: Flag
    contact: LocalAuthorityContact | None
    visible_until: dt.date | None  # None while the flag is open

    def is_active(self, today: dt.date) -> bool:
        return self.flag.end_date is None or self.flag.end_date >= today


def visible_until(flag: Flag, retention: dict[int, object]) -> dt.date | None:
    if flag.end_date is None:
        return None
    standard = retention.get(flag.local_authority_id)
    if standard is None:
        standard = retention[flag.local_authority_id] = standard_for(flag.local_authority_id, RETENTION)
    return due_date(standard, flag.end_date)  # type: ignore[arg-type]


def visible_flags(nhs_number: str, *, today: dt.date) -> list[ShownFlag]:
    """Flags held against the NHS number that are open or ended within the authority's retention period."""
    flags = list(
        Flag.objects.filter(nhs_number=nhs_number)
        .select_related("local_authority", "person")
        .order_by("-start_date", "id")
    )
    contacts = (
        {
            c.local_authority_id: c
            for c in LocalAuthorityContact.objects.filter(local_authority_id__in={f.local_authority_id for f in flags})
        }
        if flags
        else {}
    )
    retention: dict[int, object] = {}
    shown = []
    for flag in flags:
        until = visible_until(flag, retention)
        if until is None or until >= today:
            shown.append(ShownFlag(flag, contacts.get(flag.local_authority_id), until))
    return shown


def access_history(nhs_number: str) -> list[AccessEvent]:
    return list(AccessEvent.objects.filter(nhs_number=nhs_number).order_by("-at", "-id")[:ACCESS_HISTORY])


def access_history_for_person(person_id: int) -> list[AccessEvent]:
    return list(AccessEvent.objects.filter(person_id=person_id).order_by("-at", "-id")[:ACCESS_HISTORY])


def notifications_for(principal: Principal) -> list[Notification]:
    """For "My work": delivered notifications for children allocated to this worker, not yet acted on.

    Returns rows about children; the caller lists them as it lists the worker's other children
    (and audits what it shows, as work:my-work does)."""
    if principal.membership is None:
        return []
    return list(
        Notification.objects.filter(
            worker=principal.user,
            local_authority_id=principal.organisation_id,
            delivered_at__isnull=False,
            acted_on_at__isnull=True,
        )
        .select_related("person", "access_event")
        .order_by("-created_at")[:50]
    )


def may_use_inbox(principal: Principal) -> bool:
    return principal.membership is not None and principal.can(Capability.RECORD_CASEWORK)


def inbox(principal: Principal, *, acted_on: bool = False, limit: int = 100) -> list[Notification]:
    """The team's inbox: delivered notifications for the principal's team and the teams under it; a manager
    (MANAGE_LINE) also sees those for children with no allocated team."""
    membership = principal.membership
    if membership is None or not may_use_inbox(principal):
        return []
    teams: set[int] = set()
    if membership.team_id:
        frontier = {membership.team_id}
        while frontier:
            teams |= frontier
            frontier = set(Team.objects.filter(parent_id__in=frontier).values_list("id", flat=True)) - teams
    scope = Q(team_id__in=teams)
    if principal.can(Capability.MANAGE_LINE):
        scope |= Q(team__isnull=True)
    rows = Notification.objects.filter(
        scope,
        local_authority_id=membership.organisation_id,
        delivered_at__isnull=False,
        acted_on_at__isnull=not acted_on,
    )
    return list(rows.select_related("person", "access_event", "worker", "team").order_by("-created_at")[:limit])


def today_for(now: dt.datetime) -> dt.date:
    return timezone.localdate(now)
