"""Reads of flags, access events and notifications.

The flag look-up is a deliberately narrow second read path beside access.queries: CP-IS is role-based,
not relationship-based (a clinician in an emergency department has no prior relationship with the
child), so a flag is shown to any role with QUERY_CP_FLAGS, and what it shows is only the CP-IS
minimum (no name, no reason, no worker). The caller (services.look_up) audits every look-up.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from django.db import connection
from django.db.models import Model, Q
from django.utils import timezone

from safeguarding.accounts.principal import Principal
from safeguarding.accounts.roles import Capability
from safeguarding.core import rows
from safeguarding.organisations.models import Organisation, Team
from safeguarding.people.models import Person
from safeguarding.standards.catalogue import CATALOGUE
from safeguarding.standards.models import LocalStandard
from safeguarding.standards.rules import Standard, due_date

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


def _retention_of(amount: int | None, unit: str | None) -> Standard:
    """As standard_for(authority, RETENTION), from the authority's LocalStandard row if it has one."""
    default = CATALOGUE[RETENTION]
    if amount is None or unit is None:
        return Standard(default.code, default.title, default.amount, default.unit, default.source, False)
    return Standard(default.code, default.title, amount, unit, default.source, True)


_PARTS: list[tuple[str, type[Model]]] = [
    ("f", Flag),
    ("la", Organisation),
    ("c", LocalAuthorityContact),
]


@lru_cache(maxsize=4)
def _look_up_sql(vendor: str) -> str:
    """The flag look-up as one statement: the flags, their authority, its numbers and the authority's
    retention setting (not the child's record: a look-up needs nothing of it). Written once from the
    models' metadata rather than compiled by the ORM on every look-up, which cost more than running it,
    and prepared (core.rows, ADR 0029)."""
    q = connection.ops.quote_name
    columns = ", ".join(rows.select_columns(alias, model) for alias, model in _PARTS)
    flag, la, contact, standard = (
        q(m._meta.db_table) for m in (Flag, Organisation, LocalAuthorityContact, LocalStandard)
    )
    # Identifiers come from the models and are quoted; the NHS number and the code are parameters.
    where = "s.local_authority_id = f.local_authority_id AND s.code = %s"
    retention = "(SELECT s.{} FROM " + standard + " s WHERE " + where + ")"  # noqa: S608
    return (
        f"SELECT {columns}, {retention.format(q('amount'))}, {retention.format(q('unit'))}"  # noqa: S608
        f" FROM {flag} f INNER JOIN {la} la ON la.id = f.local_authority_id"
        f" LEFT OUTER JOIN {contact} c ON c.local_authority_id = f.local_authority_id"
        " WHERE f.nhs_number = %s ORDER BY f.start_date DESC, f.id ASC"
    )


def visible_flags(nhs_number: str, *, today: dt.date) -> list[ShownFlag]:
    """Flags held against the NHS number that are open or ended within the authority's retention period.

    One statement however many flags (see _look_up_sql): this runs on every look-up from every emergency
    department. The flags come with their authority and its contact (or None); the child only by key."""
    with rows.prepared_cursor() as cursor:
        cursor.execute(_look_up_sql(connection.vendor), [RETENTION, RETENTION, nhs_number])
        found = cursor.fetchall()
    shown = []
    for row in found:
        flag, at = rows.from_row(Flag, row)
        authority, at = rows.from_row(Organisation, row, at)
        contact: LocalAuthorityContact | None
        contact, at = rows.from_row(LocalAuthorityContact, row, at)
        if contact is not None and contact.pk is None:  # the authority has not set its numbers yet
            contact = None
        flag.local_authority, flag.person = authority, rows.reference(Person, flag.person_id)
        until = None if flag.end_date is None else due_date(_retention_of(row[at], row[at + 1]), flag.end_date)
        if until is None or until >= today:
            shown.append(ShownFlag(flag, contact, until))
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
