"""Start, change and end a child's looked-after status. Each write is audited and goes into the chronology.

The child protection flag follows from these records (safeguarding.flags.receivers): nothing here
imports flags.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from safeguarding.accounts.principal import Principal
from safeguarding.accounts.roles import Capability
from safeguarding.audit import services as audit
from safeguarding.chronology import services as chronology
from safeguarding.chronology.models import Significance
from safeguarding.core.dates import is_backdated
from safeguarding.people.codes import PersonKind
from safeguarding.people.models import Person
from safeguarding.people.services import PersonChangeRefused

from .models import SHORT_LABELS, LegalStatus, LookedAfterPeriod

CATEGORY = "Looked after"


class CareRefused(PersonChangeRefused):
    """A refused change to looked-after status; the message is safe to show and says what is allowed.

    A PersonChangeRefused, so the people form-page helper shows it on the form."""


def current_period(person: Person) -> LookedAfterPeriod | None:
    return LookedAfterPeriod.objects.filter(person=person, end_date__isnull=True).first()


def _check(principal: Principal, day: dt.date | None, *, now: dt.datetime, backdated_reason: str, what: str) -> None:
    if not principal.can(Capability.RECORD_CASEWORK):
        raise CareRefused("Your role cannot record looked-after status. Ask the child's social worker.")
    if day is None:
        raise CareRefused(f"Enter the date {what}.")
    today = timezone.localdate(now)
    if day > today:
        raise CareRefused(f"The date {what} cannot be in the future.")
    if is_backdated(day, recorded_on=today) and not backdated_reason.strip():
        raise CareRefused(f"The date {what} is more than a day ago: say why it is being recorded now.")


def _entry(
    principal: Principal,
    period: LookedAfterPeriod,
    *,
    on: dt.date,
    summary: str,
    now: dt.datetime,
    backdated_reason: str,
) -> None:
    chronology.add_entry(
        person=period.person,
        principal=principal,
        occurred_on=on,
        category=CATEGORY,
        summary=summary,
        significance=Significance.SIGNIFICANT,
        source_type="care.lookedafterperiod",
        source_id=str(period.public_id),
        now=now,
        backdated_reason=backdated_reason.strip(),
    )


def _audit(principal: Principal, period: LookedAfterPeriod, action: str, now: dt.datetime) -> None:
    audit.record(
        principal=principal,
        action=action,
        at=now,
        person=period.person,
        object_type="looked-after-period",
        object_id=str(period.public_id),
        details={
            "legal_status": period.legal_status,
            "start_date": str(period.start_date),
            "end_date": str(period.end_date or ""),
        },
    )


def _open(
    principal: Principal,
    person: Person,
    *,
    legal_status: str,
    start_date: dt.date,
    now: dt.datetime,
    backdated_reason: str,
) -> LookedAfterPeriod:
    return LookedAfterPeriod.objects.create(
        person=person,
        local_authority=person.local_authority,
        legal_status=legal_status,
        start_date=start_date,
        recorded_at=now,
        recorded_by=principal.user,
        backdated_reason=backdated_reason.strip(),
    )


@transaction.atomic
def start_looked_after(
    *,
    person: Person,
    principal: Principal,
    now: dt.datetime,
    legal_status: str,
    start_date: dt.date,
    backdated_reason: str = "",
) -> LookedAfterPeriod:
    _check(principal, start_date, now=now, backdated_reason=backdated_reason, what="they became looked after")
    if person.kind != PersonKind.CHILD:
        raise CareRefused("Only a child can be looked after. An unborn child's plan is recorded on the casework pages.")
    if legal_status not in LegalStatus.values:
        raise CareRefused("Select the legal status: section 20, section 38 or section 31.")
    if current_period(person) is not None:
        raise CareRefused("They are already looked after: change their legal status or record that it ended.")
    last = LookedAfterPeriod.objects.filter(person=person).order_by("-end_date").first()
    if last is not None and last.end_date and start_date < last.end_date:
        raise CareRefused(f"The start date cannot be before the last period ended ({last.end_date:%-d %B %Y}).")
    period = _open(
        principal, person, legal_status=legal_status, start_date=start_date, now=now, backdated_reason=backdated_reason
    )
    _audit(principal, period, "looked-after.started", now)
    _entry(
        principal,
        period,
        on=start_date,
        now=now,
        backdated_reason=backdated_reason,
        summary=f"Became looked after ({SHORT_LABELS[LegalStatus(legal_status)]})",
    )
    return period


@transaction.atomic
def change_legal_status(
    *,
    person: Person,
    principal: Principal,
    now: dt.datetime,
    legal_status: str,
    changed_on: dt.date,
    backdated_reason: str = "",
) -> LookedAfterPeriod:
    """End the current period on `changed_on` and start one with the new legal status the same day."""
    _check(principal, changed_on, now=now, backdated_reason=backdated_reason, what="the legal status changed")
    current = LookedAfterPeriod.objects.select_for_update().filter(person=person, end_date__isnull=True).first()
    if current is None:
        raise CareRefused("They are not looked after: record that they became looked after first.")
    if legal_status not in LegalStatus.values:
        raise CareRefused("Select the legal status: section 20, section 38 or section 31.")
    if legal_status == current.legal_status:
        raise CareRefused("That is their legal status already: choose the new one.")
    if changed_on < current.start_date:
        raise CareRefused(f"The change cannot be before the current status started ({current.start_date:%-d %B %Y}).")
    current.end_date = changed_on
    current.save(update_fields=["end_date"])
    _audit(principal, current, "looked-after.ended", now)
    period = _open(
        principal, person, legal_status=legal_status, start_date=changed_on, now=now, backdated_reason=backdated_reason
    )
    _audit(principal, period, "looked-after.started", now)
    _entry(
        principal,
        period,
        on=changed_on,
        now=now,
        backdated_reason=backdated_reason,
        summary=f"Legal status changed from {SHORT_LABELS[LegalStatus(current.legal_status)]} "
        f"to {SHORT_LABELS[LegalStatus(legal_status)]}",
    )
    return period


@transaction.atomic
def end_looked_after(
    *,
    person: Person,
    principal: Principal,
    now: dt.datetime,
    end_date: dt.date,
    backdated_reason: str = "",
) -> LookedAfterPeriod:
    _check(principal, end_date, now=now, backdated_reason=backdated_reason, what="they stopped being looked after")
    current = LookedAfterPeriod.objects.select_for_update().filter(person=person, end_date__isnull=True).first()
    if current is None:
        raise CareRefused("They are not looked after, so there is nothing to end.")
    if end_date < current.start_date:
        raise CareRefused(f"The end date cannot be before the current status started ({current.start_date:%-d %B %Y}).")
    current.end_date = end_date
    current.save(update_fields=["end_date"])
    _audit(principal, current, "looked-after.ended", now)
    _entry(
        principal,
        current,
        on=end_date,
        now=now,
        backdated_reason=backdated_reason,
        summary="Stopped being looked after",
    )
    return current
