"""Writes to the access model: involvements, named access, restriction, break-glass."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from safeguarding.accounts.models import Membership, User
from safeguarding.accounts.roles import Capability
from safeguarding.audit import services as audit
from safeguarding.audit.models import Outcome
from safeguarding.chronology import services as chronology
from safeguarding.organisations.models import Team

from .models import AuditorAlert, BreakGlass, BreakGlassReason, Involvement, InvolvementKind, NamedAccess

if TYPE_CHECKING:
    from safeguarding.accounts.principal import Principal
    from safeguarding.people.models import Person


class AccessChangeRefused(Exception):
    """The change to who may see a record was refused; the message is safe to show."""


@transaction.atomic
def record_involvement(
    *,
    person: Person,
    principal: Principal,
    kind: str,
    now: dt.datetime,
    user: User | None = None,
    team: Team | None = None,
    description: str = "",
    start_date: dt.date | None = None,
) -> Involvement:
    if user is None and team is None:
        raise AccessChangeRefused("An involvement needs a worker or a team")
    organisation = team.organisation if team else None
    if organisation is None and user is not None:
        membership = Membership.objects.filter(user=user, is_active=True).select_related("organisation").first()
        if membership is None:
            raise AccessChangeRefused("That worker has no current membership")
        organisation = membership.organisation
    assert organisation is not None
    involvement = Involvement(
        person=person,
        kind=kind,
        user=user,
        team=team,
        organisation=organisation,
        description=description,
        start_date=start_date or now.date(),
        created_by=principal.user,
        created_at=now,
    )
    involvement.full_clean()
    involvement.save()
    audit.record(
        principal=principal,
        action="involvement.recorded",
        at=now,
        person=person,
        details={"kind": kind, "user": str(user.public_id) if user else None, "team": team.name if team else None},
    )
    holder = str(user) if user else str(team)
    chronology.add_entry(
        person=person,
        principal=principal,
        occurred_on=involvement.start_date,
        category="Involvement",
        summary=f"{InvolvementKind(kind).label}: {holder} ({organisation})",
        source_type="access.involvement",
        source_id=str(involvement.pk),
        now=now,
    )
    return involvement


@transaction.atomic
def end_involvement(*, involvement: Involvement, principal: Principal, end_date: dt.date, now: dt.datetime) -> None:
    if end_date < involvement.start_date:
        raise AccessChangeRefused("The end date must be on or after the start date")
    involvement.end_date = end_date
    involvement.save(update_fields=["end_date"])
    audit.record(
        principal=principal,
        action="involvement.ended",
        at=now,
        person=involvement.person,
        details={"involvement": involvement.pk},
    )


@transaction.atomic
def restrict_record(*, person: Person, principal: Principal, reason: str, now: dt.datetime) -> None:
    """Seal a record. The person restricting it and the current allocated workers are named."""
    if not principal.can(Capability.MANAGE_RECORD_ACCESS):
        raise AccessChangeRefused("Only a team manager can restrict a record")
    if not reason.strip():
        raise AccessChangeRefused("Give a reason for restricting this record")
    if person.is_restricted:
        raise AccessChangeRefused("This record is already restricted")
    person.is_restricted = True
    person.save(update_fields=["is_restricted"])
    named = {principal.user.pk}
    named |= set(
        Involvement.objects.filter(
            person=person, kind=InvolvementKind.ALLOCATED_WORKER, end_date__isnull=True, user__isnull=False
        ).values_list("user_id", flat=True)
    )
    for user_id in named:
        if not NamedAccess.objects.filter(person=person, user_id=user_id, revoked_at__isnull=True).exists():
            NamedAccess.objects.create(
                person=person, user_id=user_id, granted_by=principal.user, granted_at=now, reason=reason
            )
    audit.record(principal=principal, action="person.restricted", at=now, person=person, reason=reason)


@transaction.atomic
def grant_named_access(
    *, person: Person, principal: Principal, user: User, reason: str, now: dt.datetime
) -> NamedAccess:
    if not principal.can(Capability.MANAGE_RECORD_ACCESS):
        raise AccessChangeRefused("Only a team manager can name people on a restricted record")
    if not reason.strip():
        raise AccessChangeRefused("Give a reason for naming this person")
    organisation_id = principal.organisation_id or 0
    if not (
        user.is_active
        and Membership.objects.filter(user=user, organisation_id=organisation_id, is_active=True).exists()
    ):
        raise AccessChangeRefused("You can only name people who work in your own organisation")
    if NamedAccess.objects.filter(person=person, user=user, revoked_at__isnull=True).exists():
        raise AccessChangeRefused(f"{user} is already named on this record")
    grant = NamedAccess.objects.create(
        person=person, user=user, granted_by=principal.user, granted_at=now, reason=reason
    )
    audit.record(
        principal=principal,
        action="person.named-access-granted",
        at=now,
        person=person,
        reason=reason,
        details={"user": str(user.public_id)},
    )
    return grant


def _clean_break_glass_reason(reason_code: str, reason: str) -> str:
    if reason_code not in BreakGlassReason.values:
        raise AccessChangeRefused("Choose a reason for emergency access")
    reason = reason.strip()
    if len(reason) < 10:
        raise AccessChangeRefused("Explain in a sentence why you need emergency access (at least 10 characters)")
    if len(reason) > 2000:
        raise AccessChangeRefused("Keep the explanation under 2,000 characters")
    return reason


@transaction.atomic
def break_glass(*, person: Person, principal: Principal, reason_code: str, reason: str, now: dt.datetime) -> BreakGlass:
    """Grant time-limited emergency access and alert the auditors of the user's organisation
    and of the record's local authority."""
    if not principal.can(Capability.BREAK_GLASS) or principal.membership is None:
        raise AccessChangeRefused("Your role cannot use emergency access")
    if person.is_restricted:
        raise AccessChangeRefused("This record cannot be opened with emergency access")
    reason = _clean_break_glass_reason(reason_code, reason)
    grant = BreakGlass(
        user=principal.user,
        membership=principal.membership,
        person=person,
        reason_code=reason_code,
        reason=reason,
        started_at=now,
        expires_at=now + dt.timedelta(minutes=settings.BREAK_GLASS_MINUTES),
    )
    try:
        grant.full_clean()
    except ValidationError as exc:
        raise AccessChangeRefused("; ".join(exc.messages)) from exc
    grant.save()
    for org_id in {principal.membership.organisation_id, person.local_authority_id}:
        AuditorAlert.objects.create(organisation_id=org_id, break_glass=grant, raised_at=now)
    audit.record(
        principal=principal,
        action="person.break-glass",
        at=now,
        person=person,
        reason=reason,
        basis="break-glass",
        details={"reason_code": reason_code, "expires_at": grant.expires_at.isoformat()},
        outcome=Outcome.ALLOWED,
    )
    return grant


@transaction.atomic
def review_alert(*, alert: AuditorAlert, principal: Principal, note: str, now: dt.datetime) -> None:
    if not principal.can(Capability.VIEW_AUDIT) or principal.organisation_id != alert.organisation_id:
        raise AccessChangeRefused("Only an auditor of this organisation can review this alert")
    alert.reviewed_by = principal.user
    alert.reviewed_at = now
    alert.review_note = note.strip()
    alert.save(update_fields=["reviewed_by", "reviewed_at", "review_note"])
    audit.record(
        principal=principal,
        action="audit.alert-reviewed",
        at=now,
        person=alert.break_glass.person,
        details={"alert": alert.pk},
        reason=note,
    )
