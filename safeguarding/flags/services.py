"""Flag look-ups by health, their access events and notifications to the local authority.

Every look-up is audited. A look-up from unscheduled care (HEALTH_UNSCHEDULED, CP-IS activity B0107)
also writes an AccessEvent, its Notification (the outbox row) and the delivery task (a row of the database
task backend, ADR 0009), committed with the audit row: flags.recording writes them, on PostgreSQL in one
statement (ADR 0029). Scheduled care (B0170) is a silent read.
Delivery locks the outbox row (SELECT ... FOR UPDATE SKIP LOCKED on PostgreSQL), so a notification is
delivered once however many workers or catch-up runs race for it, and stays pending if delivery fails.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse

from safeguarding.accounts.principal import Principal
from safeguarding.accounts.roles import Capability, Role
from safeguarding.audit import services as audit
from safeguarding.audit.models import Outcome
from safeguarding.casework.models import Episode
from safeguarding.chronology import services as chronology
from safeguarding.organisations.models import Organisation, OrganisationType
from safeguarding.people.identifiers import InvalidNhsNumber, clean_nhs_number

from . import queries, recording
from .models import AccessEvent, LocalAuthorityContact, Notification, Setting

NOTIFYING_ROLES = {Role.HEALTH_UNSCHEDULED}  # B0107; every other flag-viewing role is a silent read (B0170)
NOT_ALLOWED = "Only health professionals with a flag-viewing role can look up child protection flags."
NOTE_MAX = 2_000


class LookupRefused(Exception):
    """A refused look-up; the message is safe to show. `status` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


class NotificationRefused(Exception):
    """A refused change to a notification; the message is safe to show."""


@dataclass(frozen=True)
class Lookup:
    nhs_number: str
    setting: str
    flags: list[queries.ShownFlag]
    accesses: list[AccessEvent]
    notified: bool


def setting_for(principal: Principal) -> str:
    return Setting.UNSCHEDULED if principal.role in NOTIFYING_ROLES else Setting.SCHEDULED


def record_refused_lookup(principal: Principal, *, now: dt.datetime, reason: str, raw: str = "") -> None:
    """Audit a refused look-up (no role, a bad NHS number) in its own transaction."""
    with transaction.atomic():
        audit.record(
            principal=principal,
            action="flag.lookup",
            at=now,
            outcome=Outcome.DENIED,
            object_type="nhs-number",
            object_id=raw[:40],
            basis="no-capability" if reason == NOT_ALLOWED else "invalid-nhs-number",
            reason=reason,
        )


def look_up(*, principal: Principal, nhs_number: str, now: dt.datetime, history: bool = True) -> Lookup:
    """Look up the flags held against an NHS number, audited; notify the authority from unscheduled care.

    Raises LookupRefused (403 for a role that may not look up, 400 for an invalid number); the caller
    audits the refusal with record_refused_lookup. `history=False` leaves out the recent accesses (the
    FHIR answer does not show them), saving a query on every look-up. The rows are written by
    flags.recording: in one statement where it can, so the audit row has committed before this returns."""
    if not principal.can(Capability.QUERY_CP_FLAGS):
        raise LookupRefused(NOT_ALLOWED, status=403)
    try:
        digits = clean_nhs_number(nhs_number)
    except InvalidNhsNumber as invalid:
        raise LookupRefused(str(invalid), status=400) from None
    setting = setting_for(principal)
    shown = queries.visible_flags(digits, today=queries.today_for(now))
    notify = setting == Setting.UNSCHEDULED and bool(shown)
    details = {"setting": setting, "flags": [str(s.flag.public_id) for s in shown], "notified": notify}
    people = {s.flag.person_id: s.flag.person for s in shown}
    audits = [
        audit.build(
            principal=principal,
            action="flag.lookup",
            at=now,
            person=person,
            object_type="nhs-number",
            object_id=digits,
            details=details,
        )
        for person in people.values() or [None]
    ]
    recording.write(audits, _accesses(principal, digits, shown, now=now) if notify else [])
    accesses = queries.access_history(digits) if history else []
    return Lookup(digits, setting, shown, accesses, notify)


def _accesses(
    principal: Principal, nhs_number: str, shown: list[queries.ShownFlag], *, now: dt.datetime
) -> list[tuple[AccessEvent, Notification]]:
    """One access event and one outbox row per child and responsible authority (not per flag), unsaved."""
    membership = principal.membership
    assert membership is not None
    seen: set[tuple[int, int]] = set()
    out = []
    for item in shown:  # newest flag first
        flag = item.flag
        if (flag.person_id, flag.local_authority_id) in seen:
            continue
        seen.add((flag.person_id, flag.local_authority_id))
        event = AccessEvent(
            flag=flag,
            nhs_number=nhs_number,
            person_id=flag.person_id,
            local_authority_id=flag.local_authority_id,
            at=now,
            user=principal.user,
            user_name=principal.user.get_full_name() or principal.user.get_username(),
            role=membership.role,
            organisation=membership.organisation,
            organisation_name=membership.organisation.name,
            setting=Setting.UNSCHEDULED,
        )
        notification = Notification(
            person_id=flag.person_id, local_authority_id=flag.local_authority_id, created_at=now
        )
        out.append((event, notification))
    return out


def deliver(*, now: dt.datetime, notification_id: int | None = None, limit: int = 200) -> int:
    """Deliver pending notifications (one, or a batch); returns how many this call delivered.

    Each is delivered in its own transaction with its outbox row locked; a row another worker holds is
    skipped, and a failure (the mail server is down) leaves it pending for the next run."""
    delivered = 0
    while delivered < limit:
        with transaction.atomic():
            pending = Notification.objects.filter(delivered_at__isnull=True)
            if notification_id is not None:
                pending = pending.filter(pk=notification_id)
            row = pending.select_for_update(skip_locked=True).order_by("pk").first()
            if row is None:
                return delivered
            _deliver_one(row, now=now)
            delivered += 1
        if notification_id is not None:
            break
    return delivered


def _deliver_one(notification: Notification, *, now: dt.datetime) -> None:
    episode = (
        Episode.objects.filter(person_id=notification.person_id, closure_date__isnull=True)
        .select_related("allocated_worker")
        .order_by("-referral_date")
        .first()
    )
    worker = episode.allocated_worker if episode else None
    notification.worker = worker
    notification.team_id = episode.team_id if episode else None
    contact = LocalAuthorityContact.objects.filter(local_authority_id=notification.local_authority_id).first()
    recipients = sorted({a for a in [getattr(worker, "email", ""), contact.notification_email if contact else ""] if a})
    if recipients:
        # No name, NHS number or setting in the e-mail: it says there is something to read, behind sign-in.
        send_mail(
            "A health service has looked up a child with a protection flag",
            "A health professional in unscheduled care has looked up the record of a child your authority "
            "flags. Sign in to Open Safeguarding to see who and where, and record what you did:\n"
            f"{getattr(settings, 'SITE_URL', '')}{reverse('flags:inbox')}",
            None,
            recipients,
        )
    notification.emailed_to = recipients
    notification.delivered_at = now
    notification.save(update_fields=["worker", "team", "emailed_to", "delivered_at"])
    audit.record(
        principal=None,
        actor_name="Access notification delivery",
        action="notification.delivered",
        at=now,
        person=notification.person,
        object_type="notification",
        object_id=str(notification.public_id),
        details={"worker": str(worker) if worker else "", "team": notification.team_id, "emailed": len(recipients)},
    )


@transaction.atomic
def mark_acted_on(*, notification: Notification, principal: Principal, now: dt.datetime, note: str) -> Notification:
    """The authority records what it did about a health access; the note goes into the child's chronology."""
    if not principal.can(Capability.RECORD_CASEWORK) or principal.organisation_id != notification.local_authority_id:
        raise NotificationRefused("Only the responsible local authority's social care staff can record this.")
    note = note.strip()
    if not note:
        raise NotificationRefused("Say what you did about this access, for example who you spoke to.")
    if len(note) > NOTE_MAX:
        raise NotificationRefused(f"The note must be {NOTE_MAX:,} characters or fewer.")
    locked = Notification.objects.select_for_update().select_related("access_event", "person").get(pk=notification.pk)
    if locked.acted_on_at is not None:
        raise NotificationRefused("This access has already been marked as acted on.")
    locked.acted_on_at, locked.acted_on_by, locked.acted_on_note = now, principal.user, note
    locked.save(update_fields=["acted_on_at", "acted_on_by", "acted_on_note"])
    event = locked.access_event
    audit.record(
        principal=principal,
        action="notification.acted-on",
        at=now,
        person=locked.person,
        object_type="notification",
        object_id=str(locked.public_id),
    )
    chronology.add_entry(
        person=locked.person,
        principal=principal,
        occurred_on=queries.today_for(now),
        category="Health access",
        summary=(
            f"Seen by {event.get_setting_display().lower()} at {event.organisation_name} on "
            f"{queries.today_for(event.at):%-d %B %Y}. Action: {note}"
        ),
        source_type="flags.notification",
        source_id=str(locked.public_id),
        now=now,
    )
    return locked


@transaction.atomic
def set_contact(
    *,
    local_authority: Organisation,
    office_hours_phone: str,
    out_of_hours_phone: str,
    notification_email: str = "",
    operator: str,
    now: dt.datetime,
) -> LocalAuthorityContact:
    """Set the numbers health is shown with the authority's flags, and where notifications are e-mailed."""
    if local_authority.type != OrganisationType.LOCAL_AUTHORITY:
        raise NotificationRefused("Only a local authority holds flags.")
    contact, _ = LocalAuthorityContact.objects.get_or_create(
        local_authority=local_authority,
        defaults={"office_hours_phone": office_hours_phone, "out_of_hours_phone": out_of_hours_phone},
    )
    contact.office_hours_phone = office_hours_phone.strip()
    contact.out_of_hours_phone = out_of_hours_phone.strip()
    contact.notification_email = notification_email.strip()
    try:
        contact.full_clean()
    except ValidationError as invalid:
        raise NotificationRefused(" ".join(invalid.messages)) from None
    contact.save()
    audit.record(
        principal=None,
        actor_name=operator,
        action="flag.contact-set",
        at=now,
        object_type="organisation",
        object_id=str(local_authority.public_id),
        details={"office_hours_phone": contact.office_hours_phone, "out_of_hours_phone": contact.out_of_hours_phone},
    )
    return contact
