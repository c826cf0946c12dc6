"""Reading the accountability register: who was accountable for what in an area on a given date.

An area is a partnership's organisations and, through the organisation succession links, every body
they succeeded (a CCG, a PCT before it). Each role has one slot per body of its types that existed on
the day (or one slot for the area when any body may hold it); a slot with no holding is vacant.
Call these only after access.open_partnership. Query counts are constant in the number of holdings.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from django.db.models import Q

from safeguarding.organisations.models import Organisation, Partnership, Succession

from .models import AccountableRole, RoleHolding


@dataclass
class Slot:
    role: AccountableRole
    organisation: Organisation | None  # None: any body of the area may hold it
    holdings: list[RoleHolding] = field(default_factory=list)

    @property
    def is_vacant(self) -> bool:
        return not self.holdings

    @property
    def is_acting(self) -> bool:
        return bool(self.holdings) and all(h.is_acting for h in self.holdings)

    @property
    def is_alert(self) -> bool:
        return self.is_vacant and self.role.is_statutory


def area_organisations(partnership: Partnership) -> list[Organisation]:
    """The partnership's organisations, its local authority, and all their predecessors (any date)."""
    ids = set(partnership.organisations.values_list("id", flat=True)) | {partnership.local_authority_id}
    frontier = set(ids)
    links = list(Succession.objects.values_list("predecessor_id", "successor_id"))
    while frontier:  # walk back through reorganisations; the succession table is small
        frontier = {pred for pred, succ in links if succ in frontier and pred not in ids}
        ids |= frontier
    return list(Organisation.objects.filter(id__in=ids).order_by("name"))


def roles_for(partnership: Partnership) -> list[AccountableRole]:
    return list(
        AccountableRole.objects.filter(Q(partnership__isnull=True) | Q(partnership=partnership)).order_by(
            "position", "name"
        )
    )


def accountability_on(partnership: Partnership, day: dt.date) -> list[Slot]:
    """Every role's slots in the area on `day`, each with the holdings that covered that day."""
    bodies = [org for org in area_organisations(partnership) if org.is_current_on(day)]
    holdings = list(
        RoleHolding.objects.filter(partnership=partnership, starts_on__lte=day)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
        .select_related("organisation", "role")
        .order_by("starts_on")
    )
    slots: list[Slot] = []
    for role in roles_for(partnership):
        mine = [h for h in holdings if h.role_id == role.id]
        if not role.held_by_types:
            slots.append(Slot(role, None, mine))
            continue
        for body in bodies:
            if body.type in role.held_by_types:
                slots.append(Slot(role, body, [h for h in mine if h.organisation_id == body.id]))
    return slots


def vacancies(partnership: Partnership, day: dt.date) -> list[Slot]:
    return [slot for slot in accountability_on(partnership, day) if slot.is_alert]


def role_history(partnership: Partnership, role: AccountableRole) -> list[RoleHolding]:
    """Every holding of the role in the area, newest first, whichever body held it."""
    return list(
        RoleHolding.objects.filter(partnership=partnership, role=role)
        .select_related("organisation", "recorded_by")
        .order_by("-starts_on", "-id")
    )


def role_in(partnership: Partnership, public_id: uuid.UUID) -> AccountableRole | None:
    roles = AccountableRole.objects.filter(Q(partnership__isnull=True) | Q(partnership=partnership))
    return roles.filter(public_id=public_id).first()
