"""Every write to the partnership's register and training records, each audited in its transaction.

Callers have opened the partnership with access.open_partnership(manage=True). A change that is not
valid raises PartnershipChangeRefused, whose messages (keyed by form field) are safe to show; nothing
is written. Training imports are in training_import.py.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from safeguarding.audit import services as audit
from safeguarding.core.dates import is_backdated
from safeguarding.organisations.models import Organisation, OrganisationType, Partnership

from . import catalogue
from .access import MANAGE, PartnershipRefused
from .models import AccountableRole, RoleHolding, RoleScope, TrainingKind, TrainingRecord, TrainingRequirement
from .register import area_organisations

if TYPE_CHECKING:
    from decimal import Decimal

    from safeguarding.accounts.models import Membership
    from safeguarding.accounts.principal import Principal

Errors = dict[str, list[str]]


class PartnershipChangeRefused(Exception):
    def __init__(self, errors: Errors) -> None:
        super().__init__("; ".join(m for ms in errors.values() for m in ms))
        self.errors = errors


def _ensure_manager(principal: Principal, action: str) -> None:
    if not principal.can(MANAGE):
        raise PartnershipRefused(
            principal=principal, action=action, message="Only partnership managers can change the register"
        )


@transaction.atomic
def record_holding(
    *,
    principal: Principal,
    now: dt.datetime,
    partnership: Partnership,
    role: AccountableRole,
    organisation: Organisation | None,
    holder_name: str,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    is_acting: bool = False,
    note: str = "",
) -> RoleHolding:
    """Record who holds (or held) a role. Past start dates need a note saying where the date comes from."""
    _ensure_manager(principal, "partnership.holding.recorded")
    today = timezone.localdate(now)
    errors: Errors = {}
    holder_name, note = holder_name.strip(), note.strip()
    if not holder_name:
        errors["holder_name"] = ["Enter the name of the person who holds the role"]
    area = {org.id: org for org in area_organisations(partnership)}
    if organisation is None:
        if len(role.held_by_types) == 0:
            organisation = partnership.local_authority
        else:
            errors["organisation"] = ["Select the organisation that holds the role"]
    elif organisation.id not in area:
        errors["organisation"] = ["Select an organisation in this partnership's area"]
    elif role.held_by_types and organisation.type not in role.held_by_types:
        errors["organisation"] = [f"{role.name} is held by another type of organisation"]
    if ends_on is not None and ends_on < starts_on:
        errors["ends_on"] = ["The end date must be on or after the start date"]
    if is_backdated(starts_on, recorded_on=today) and not note:
        errors["note"] = ["Say where the start date comes from, for example the appointment letter"]
    if organisation is not None and "organisation" not in errors and "ends_on" not in errors:
        overlap = RoleHolding.objects.filter(
            partnership=partnership, role=role, organisation=organisation, is_acting=is_acting
        ).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on))
        if ends_on is not None:
            overlap = overlap.filter(starts_on__lte=ends_on)
        if overlap.exists():
            kind = "an acting holder" if is_acting else "a holder"
            errors["starts_on"] = [f"{organisation.name} already has {kind} of this role then: end that holding first"]
    if errors:
        raise PartnershipChangeRefused(errors)
    assert organisation is not None
    holding = RoleHolding.objects.create(
        role=role,
        partnership=partnership,
        organisation=organisation,
        holder_name=holder_name,
        is_acting=is_acting,
        starts_on=starts_on,
        ends_on=ends_on,
        note=note,
        recorded_at=now,
        recorded_by=principal.user,
    )
    audit.record(
        principal=principal,
        action="partnership.holding.recorded",
        at=now,
        object_type="role_holding",
        object_id=str(holding.public_id),
        details={"role": role.code, "organisation": str(organisation.public_id), "is_acting": is_acting},
    )
    return holding


@transaction.atomic
def end_holding(*, principal: Principal, now: dt.datetime, holding: RoleHolding, ends_on: dt.date) -> RoleHolding:
    """Record the last day someone held the role. The holding stays in the history."""
    _ensure_manager(principal, "partnership.holding.ended")
    holding = RoleHolding.objects.select_for_update().get(pk=holding.pk)
    if holding.ends_on is not None:
        raise PartnershipChangeRefused({"ends_on": [f"This holding already ended on {holding.ends_on:%-d %B %Y}"]})
    if ends_on < holding.starts_on:
        raise PartnershipChangeRefused({"ends_on": ["The end date must be on or after the start date"]})
    holding.ends_on = ends_on
    holding.save(update_fields=["ends_on"])
    audit.record(
        principal=principal,
        action="partnership.holding.ended",
        at=now,
        object_type="role_holding",
        object_id=str(holding.public_id),
        details={"ends_on": ends_on.isoformat()},
    )
    return holding


@transaction.atomic
def configure_role(
    *,
    principal: Principal,
    now: dt.datetime,
    partnership: Partnership,
    name: str,
    responsibilities: str,
    scope: str,
    held_by_types: list[str],
    statutory_source: str = "",
    is_statutory: bool = False,
) -> AccountableRole:
    """Add a role the partnership defines for itself (a Prevent lead, a designated paediatrician...)."""
    _ensure_manager(principal, "partnership.role.configured")
    name, responsibilities = name.strip(), responsibilities.strip()
    errors: Errors = {}
    code = slugify(name)[:60]
    if not name or not code:
        errors["name"] = ["Enter the role's name"]
    elif (
        AccountableRole.objects.filter(Q(partnership__isnull=True) | Q(partnership=partnership))
        .filter(Q(code=code) | Q(name__iexact=name))
        .exists()
    ):
        errors["name"] = ["The register already has a role with this name"]
    if not responsibilities:
        errors["responsibilities"] = ["Say what the role is responsible for"]
    if scope not in RoleScope.values:
        errors["scope"] = ["Select whether one person holds it for the area or one in each organisation"]
    unknown = [t for t in held_by_types if t not in OrganisationType.values]
    if unknown:
        errors["held_by_types"] = ["Select organisation types from the list"]
    if scope == RoleScope.ORGANISATION and not held_by_types:
        errors["held_by_types"] = ["Select the types of organisation that must each have one"]
    if errors:
        raise PartnershipChangeRefused(errors)
    role = AccountableRole.objects.create(
        code=code,
        name=name,
        responsibilities=responsibilities,
        statutory_source=statutory_source.strip(),
        is_statutory=is_statutory,
        scope=scope,
        held_by_types=sorted(set(held_by_types)),
        partnership=partnership,
        position=1000,
    )
    audit.record(
        principal=principal,
        action="partnership.role.configured",
        at=now,
        object_type="accountable_role",
        object_id=str(role.public_id),
        details={"partnership": str(partnership.public_id), "code": code},
    )
    return role


@transaction.atomic
def record_training(
    *,
    principal: Principal,
    now: dt.datetime,
    partnership: Partnership,
    membership: Membership,
    course: str,
    completed_on: dt.date,
    hours: Decimal,
    kind: str,
    level: int,
    provider: str = "",
    evidence: str = "",
) -> TrainingRecord:
    """Record one course a worker completed. A date more than a day ago needs its evidence named."""
    _ensure_manager(principal, "partnership.training.recorded")
    today = timezone.localdate(now)
    course, provider, evidence = course.strip(), provider.strip(), evidence.strip()
    errors: Errors = {}
    bodies = {org.id for org in area_organisations(partnership) if org.is_current_on(today)}
    if membership.organisation_id not in bodies or not membership.is_current(today):
        errors["membership"] = ["Select a current member of staff in this partnership"]
    if not course:
        errors["course"] = ["Enter the course's name"]
    if completed_on > today:
        errors["completed_on"] = ["The completion date must be today or in the past"]
    elif is_backdated(completed_on, recorded_on=today) and not evidence:
        errors["evidence"] = ["Say what shows the course was completed, for example the certificate"]
    if not (0 < hours <= 100):
        errors["hours"] = ["Enter the hours, more than 0 and at most 100"]
    if kind not in TrainingKind.values:
        errors["kind"] = ["Select the kind of training"]
    if not 1 <= level <= 5:
        errors["level"] = ["Select a level from 1 to 5"]
    if (
        not errors
        and TrainingRecord.objects.filter(
            worker_id=membership.user_id, course=course, completed_on=completed_on
        ).exists()
    ):
        errors["course"] = ["This course on this date is already recorded for this worker"]
    if errors:
        raise PartnershipChangeRefused(errors)
    record = TrainingRecord.objects.create(
        worker_id=membership.user_id,
        organisation_id=membership.organisation_id,
        team_id=membership.team_id,
        course=course,
        completed_on=completed_on,
        hours=hours,
        provider=provider,
        kind=kind,
        level=level,
        recorded_at=now,
        recorded_by=principal.user,
    )
    audit.record(
        principal=principal,
        action="partnership.training.recorded",
        at=now,
        object_type="training_record",
        object_id=str(record.public_id),
        details={"worker": str(membership.user.public_id), "evidence": evidence},
    )
    return record


@transaction.atomic
def load_defaults(*, principal: Principal | None, now: dt.datetime) -> int:
    """Install or update the default catalogue of roles and training requirements (idempotent)."""
    written = catalogue.install(AccountableRole, TrainingRequirement)
    audit.record(principal=principal, action="partnership.catalogue.loaded", at=now, details={"rows": written})
    return written
