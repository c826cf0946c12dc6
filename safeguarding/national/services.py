"""Send flag changes to the national service and act on what it sends back, through the chosen adapter.

Sending, per local authority, in two transactions: the first (holding the authority's Link row) forms
the next batch, fixing its message id and sequence, unless one is already waiting; the second (holding
the Link row, skipping it if another sender has it) hands that batch to the adapter and marks it sent.
So batches go in sequence, one at a time; a failure leaves the batch waiting with its reason, to be
retried with the same message id; a crash between handing over and committing resends the same message,
which the receiver recognises by its id. Each change sent is audited against the child, as a disclosure.

Receiving: each message is processed in one transaction and recorded once per message id (InboundMessage),
then the adapter is told to set it aside, so a message read twice changes nothing. An access notification
for an NHS number this authority flags becomes a flags AccessEvent and Notification, delivered by flags'
own delivery (the task on commit, or `deliver_notifications`), exactly as a local look-up's. The event is
marked national: it names no local user (the clinician is elsewhere, known by role) and links the
organisation only if this system holds that ODS code; no account or organisation is invented for it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q

from safeguarding.audit import services as audit
from safeguarding.audit.models import Outcome
from safeguarding.flags import queries as flag_queries
from safeguarding.flags.models import (
    NATIONAL_NOTE,
    AccessEvent,
    AccessSource,
    Flag,
    LocalAuthorityContact,
    Notification,
    Setting,
)
from safeguarding.organisations.models import Organisation, OrganisationType

from . import messages
from .adapters import NationalAdapter, Received, SendFailed, get_adapter
from .models import (
    ChangeKind,
    InboundKind,
    InboundMessage,
    InboundOutcome,
    Link,
    OutboundBatch,
    OutboundChange,
)

ACTOR = "National flag service connector"
BATCH_SIZE = 500
UNNAMED_ORGANISATION = "Health organisation not named in the message"  # shown with its ODS code


# --- The outbox: written by the receivers, in the flag's transaction -------------------------------------


def record_change(*, flag: Flag, created: bool, deleted: bool, now: dt.datetime) -> OutboundChange:
    """Queue the change to `flag` for the national service. Carries only what CP-IS holds."""
    if deleted:
        kind = ChangeKind.WITHDRAWN
    elif created:
        kind = ChangeKind.CREATED
    else:
        previous = (
            OutboundChange.objects.filter(flag_public_id=flag.public_id).order_by("-id").values("payload").first()
        )
        was_open = previous is None or not previous["payload"].get("end_date")
        kind = ChangeKind.ENDED if flag.end_date and was_open else ChangeKind.CHANGED
    return OutboundChange.objects.create(
        local_authority_id=flag.local_authority_id,
        person_id=flag.person_id,
        flag_public_id=flag.public_id,
        kind=kind,
        payload={
            "local_reference": str(flag.public_id),
            "nhs_number": flag.nhs_number,
            "plan_type": flag.plan_type,
            "start_date": flag.start_date.isoformat(),
            "end_date": flag.end_date.isoformat() if flag.end_date else None,
        },
        created_at=now,
    )


@transaction.atomic
def queue_every_flag(*, operator: str, now: dt.datetime) -> int:
    """Queue every flag held, as it is now: the first upload when an authority connects, or a repair after
    bulk writes that bypassed the receivers. Sending the same state twice is harmless (changes are upserts)."""
    queued = 0
    for flag in Flag.objects.order_by("id").iterator():
        known = OutboundChange.objects.filter(flag_public_id=flag.public_id).exists()
        record_change(flag=flag, created=not known, deleted=False, now=now)
        queued += 1
    audit.record(
        principal=None,
        actor_name=operator,
        action="national.queued-every-flag",
        at=now,
        object_type="national-outbox",
        details={"queued": queued},
    )
    return queued


# --- Sending ----------------------------------------------------------------------------------------------


@dataclass
class SendResult:
    batches: int = 0
    changes: int = 0
    failures: list[str] = field(default_factory=list)
    disabled: bool = False


def _unsent() -> Q:
    return Q(batch__isnull=True) | Q(batch__sent_at__isnull=True)


def _link(local_authority_id: int) -> Link:
    try:
        with transaction.atomic():
            link, _ = Link.objects.get_or_create(local_authority_id=local_authority_id)
    except IntegrityError:  # another sender created it first
        link = Link.objects.get(local_authority_id=local_authority_id)
    return link


def send_pending(*, now: dt.datetime, adapter: NationalAdapter | None = None, limit: int = BATCH_SIZE) -> SendResult:
    """Send every waiting change, authority by authority, in order. Stops an authority at its first failure."""
    adapter = adapter or get_adapter()
    result = SendResult()
    if not adapter.enabled:
        result.disabled = True
        return result
    authorities = sorted(set(OutboundChange.objects.filter(_unsent()).values_list("local_authority_id", flat=True)))
    for local_authority_id in authorities:
        _link(local_authority_id)
        while True:
            batch_id = _form_batch(local_authority_id, now=now, limit=limit)
            if batch_id is None:
                break
            sent, failure = _send_batch(batch_id, adapter=adapter, now=now)
            if failure:
                result.failures.append(failure)
                break
            if not sent:  # another sender holds this authority
                break
            result.batches += 1
            result.changes += sent
    return result


@transaction.atomic
def _form_batch(local_authority_id: int, *, now: dt.datetime, limit: int) -> int | None:
    """The authority's waiting batch, or a new one of its oldest unbatched changes; None if nothing waits."""
    link = Link.objects.select_for_update().get(local_authority_id=local_authority_id)
    waiting = OutboundBatch.objects.filter(local_authority_id=local_authority_id, sent_at__isnull=True)
    existing = waiting.order_by("sequence").values_list("pk", flat=True).first()
    if existing is not None:
        return existing
    ids = list(
        OutboundChange.objects.filter(local_authority_id=local_authority_id, batch__isnull=True)
        .order_by("id")
        .values_list("pk", flat=True)[:limit]
    )
    if not ids:
        return None
    batch = OutboundBatch.objects.create(
        local_authority_id=local_authority_id, sequence=link.next_sequence, created_at=now
    )
    link.next_sequence += 1
    link.save(update_fields=["next_sequence"])
    OutboundChange.objects.filter(pk__in=ids).update(batch=batch)
    return batch.pk


def _la_code(organisation: Organisation) -> str:
    return organisation.dfe_la_code or organisation.ods_code


def build_message(batch: OutboundBatch, *, now: dt.datetime) -> dict[str, Any]:
    """The batch as a message: each change with the responsible authority's code and telephone numbers."""
    authority = batch.local_authority
    code = _la_code(authority)
    if not code:
        raise SendFailed(f"{authority.name} has no DfE LA code, so the national service could not identify it")
    contact = LocalAuthorityContact.objects.filter(local_authority=authority).first()
    if contact is None:
        raise SendFailed(f"{authority.name} has no flag telephone numbers set (manage.py set_flag_contact)")
    changes = [
        {
            "change_id": str(change.public_id),
            "kind": change.kind,
            **change.payload,
            "responsible_la": {
                "code": code,
                "office_hours_phone": contact.office_hours_phone,
                "out_of_hours_phone": contact.out_of_hours_phone,
            },
        }
        for change in batch.changes.order_by("id")
    ]
    return messages.flag_changes(
        message_id=str(batch.public_id), sequence=batch.sequence, sent_at=now, la_code=code, changes=changes
    )


def message_name(batch: OutboundBatch) -> str:
    """Names sort in sending order for each authority, and the same batch always has the same name."""
    return f"{_la_code(batch.local_authority) or 'LA'}-{batch.sequence:09d}-{batch.public_id}"


def _send_batch(batch_id: int, *, adapter: NationalAdapter, now: dt.datetime) -> tuple[int, str]:
    """(changes sent, failure reason). (0, "") when another sender holds the authority or it was sent already."""
    with transaction.atomic():
        batch = OutboundBatch.objects.select_related("local_authority").get(pk=batch_id)
        link = Link.objects.select_for_update(skip_locked=True).filter(local_authority_id=batch.local_authority_id)
        held = link.first()
        if held is None:
            return 0, ""
        batch.refresh_from_db()
        if batch.sent_at is not None:
            return 0, ""
        batch.attempts += 1
        batch.last_attempt_at = now
        try:
            adapter.send(build_message(batch, now=now), name=message_name(batch))
        except SendFailed as failed:
            reason = str(failed)[:300]
        except Exception as error:  # noqa: BLE001  an adapter's own failure must not lose the batch or stop the scheduler
            reason = f"The adapter failed: {type(error).__name__}"
        else:
            reason = ""
        if reason:
            batch.last_error = reason
            batch.save(update_fields=["attempts", "last_attempt_at", "last_error"])
            held.last_failure_at, held.last_failure = now, reason
            held.save(update_fields=["last_failure_at", "last_failure"])
            audit.record(
                principal=None,
                actor_name=ACTOR,
                action="national.send-failed",
                at=now,
                outcome=Outcome.FAILED,
                object_type="national-message",
                object_id=str(batch.public_id),
                reason=reason,
                details={"adapter": adapter.name, "sequence": batch.sequence, "attempts": batch.attempts},
            )
            return 0, f"{batch.local_authority.name}: {reason}"
        batch.sent_at, batch.last_error = now, ""
        batch.save(update_fields=["attempts", "last_attempt_at", "last_error", "sent_at"])
        held.last_sent_at = now
        held.save(update_fields=["last_sent_at"])
        changes = list(batch.changes.select_related("person").order_by("id"))
        for change in changes:
            audit.record(
                principal=None,
                actor_name=ACTOR,
                action="national.flag-sent",
                at=now,
                person=change.person,
                object_type="flag",
                object_id=str(change.flag_public_id),
                details={"kind": change.kind, "message": str(batch.public_id), "adapter": adapter.name},
            )
        return len(changes), ""


# --- Receiving --------------------------------------------------------------------------------------------


@dataclass
class ReceiveResult:
    processed: list[InboundMessage] = field(default_factory=list)
    duplicates: int = 0

    @property
    def rejected(self) -> list[InboundMessage]:
        return [m for m in self.processed if m.outcome == InboundOutcome.REJECTED]


def receive_pending(*, now: dt.datetime, adapter: NationalAdapter | None = None) -> ReceiveResult:
    """Process every waiting message once; set each aside (processed or rejected) after its commit."""
    adapter = adapter or get_adapter()
    result = ReceiveResult()
    if not adapter.enabled:
        return result
    for received in adapter.receive():
        message, new = process(received, now=now)
        if not new:
            result.duplicates += 1
        else:
            result.processed.append(message)
        if message.outcome == InboundOutcome.REJECTED:
            adapter.reject(received, message.reason)
        else:
            adapter.accept(received)
    return result


def process(received: Received, *, now: dt.datetime) -> tuple[InboundMessage, bool]:
    """Act on one message: (its record, False if it had been processed before and nothing changed)."""
    try:
        inbound = messages.parse_inbound(received.raw, now=now)
    except messages.BadMessage as bad:
        return _refuse(received, bad, now=now)
    earlier = InboundMessage.objects.filter(message_id=inbound.message_id).first()
    if earlier is not None:
        return earlier, False
    try:
        with transaction.atomic():
            authority = _addressee(inbound.to)
            if inbound.kind == InboundKind.ACCESS:
                return _access(inbound, authority, source=received.name, now=now), True
            return _acknowledgement(inbound, authority, source=received.name, now=now), True
    except messages.BadMessage as bad:
        bad.message_id, bad.kind, bad.to = inbound.message_id, inbound.kind, inbound.to
        return _refuse(received, bad, now=now)
    except IntegrityError:  # another receiver recorded the same message id first
        return InboundMessage.objects.get(message_id=inbound.message_id), False


def _addressee(code: str) -> Organisation:
    authority = Organisation.objects.filter(type=OrganisationType.LOCAL_AUTHORITY, dfe_la_code=code).first()
    if authority is None:
        raise messages.BadMessage("to: the message is addressed to a local authority this system does not hold")
    return authority


def _refuse(received: Received, bad: messages.BadMessage, *, now: dt.datetime) -> tuple[InboundMessage, bool]:
    """Record a refused message, and change nothing else. A message id seen before is not recorded twice."""
    with transaction.atomic():
        earlier = InboundMessage.objects.filter(message_id=bad.message_id).first() if bad.message_id else None
        if earlier is not None and earlier.outcome == InboundOutcome.REJECTED:
            return earlier, False
        authority = (
            Organisation.objects.filter(type=OrganisationType.LOCAL_AUTHORITY, dfe_la_code=bad.to).first()
            if bad.to
            else None
        )
        reason = str(bad)[:300]
        if earlier is not None:
            reason = f"A different message with an id already processed: {reason}"[:300]
        message = InboundMessage.objects.create(
            message_id=bad.message_id if earlier is None else "",
            kind=bad.kind,
            local_authority=authority,
            received_at=now,
            source=received.name[:200],
            outcome=InboundOutcome.REJECTED,
            reason=reason,
        )
        audit.record(
            principal=None,
            actor_name=ACTOR,
            action="national.message-refused",
            at=now,
            outcome=Outcome.DENIED,
            object_type="national-message",
            object_id=bad.message_id,
            reason=reason,
            details={"kind": bad.kind, "source": received.name[:200]},
        )
        _touch(authority, now)
        return message, True


def _touch(authority: Organisation | None, now: dt.datetime) -> None:
    if authority is not None:
        _link(authority.pk)
        Link.objects.filter(local_authority=authority).update(last_received_at=now)


def _held_organisation(ods_code: str) -> Organisation | None:
    """The reporting organisation if this system holds it; the event names it by its ODS code either way."""
    return Organisation.objects.filter(ods_code=ods_code).first()


def _access(inbound: messages.Inbound, authority: Organisation, *, source: str, now: dt.datetime) -> InboundMessage:
    from safeguarding.flags.tasks import deliver_notification

    access = inbound.access
    assert access is not None
    shown = [
        s
        for s in flag_queries.visible_flags(access.nhs_number, today=flag_queries.today_for(access.accessed_at))
        if s.flag.local_authority_id == authority.pk
    ]
    organisation = _held_organisation(access.ods_code)
    reported = access.organisation_name or (organisation.name if organisation else UNNAMED_ORGANISATION)
    events: list[AccessEvent] = []
    seen: set[int] = set()
    for item in shown:  # newest first; one access event per child, as a local look-up makes
        flag = item.flag
        if flag.person_id in seen:
            continue
        seen.add(flag.person_id)
        event = AccessEvent.objects.create(
            flag=flag,
            nhs_number=access.nhs_number,
            person_id=flag.person_id,
            local_authority=authority,
            at=access.accessed_at,
            source=AccessSource.NATIONAL,
            user=None,  # the clinician is elsewhere, named only by role
            user_name=f"{access.role} ({NATIONAL_NOTE})"[:200],
            role=access.role,
            organisation=organisation,
            organisation_name=f"{reported} ({access.ods_code})"[:200],
            ods_code=access.ods_code,
            setting=Setting.UNSCHEDULED,
        )
        notification = Notification.objects.create(
            access_event=event, person_id=flag.person_id, local_authority=authority, created_at=now
        )
        events.append(event)
        transaction.on_commit(lambda pk=notification.pk: deliver_notification.enqueue(pk))  # type: ignore[misc]
        audit.record(
            principal=None,
            actor_name=ACTOR,
            action="national.access-received",
            at=now,
            person=flag.person,
            object_type="national-message",
            object_id=inbound.message_id,
            details={"ods_code": access.ods_code, "role": access.role, "accessed_at": access.accessed_at.isoformat()},
        )
    if not events:  # an "empty" notification: no flag of this authority for that number (no person to name)
        audit.record(
            principal=None,
            actor_name=ACTOR,
            action="national.access-received",
            at=now,
            object_type="national-message",
            object_id=inbound.message_id,
            details={"ods_code": access.ods_code, "outcome": "no-local-flag"},
        )
    message = InboundMessage.objects.create(
        message_id=inbound.message_id,
        kind=InboundKind.ACCESS,
        local_authority=authority,
        received_at=now,
        source=source[:200],
        outcome=InboundOutcome.NOTIFIED if events else InboundOutcome.NO_LOCAL_FLAG,
        access_events=[str(e.public_id) for e in events],
    )
    _touch(authority, now)
    return message


def _acknowledgement(
    inbound: messages.Inbound, authority: Organisation, *, source: str, now: dt.datetime
) -> InboundMessage:
    batch = (
        OutboundBatch.objects.select_for_update()
        .filter(public_id=inbound.acknowledges, local_authority=authority)
        .first()
    )
    if batch is None:
        raise messages.BadMessage("acknowledges: no message with that id was sent by this local authority")
    if batch.acknowledged_at is not None:
        raise messages.BadMessage("acknowledges: that message has already been acknowledged")
    changes = {str(c.public_id): c for c in batch.changes.select_related("person")}
    results = {r.change_id: r for r in inbound.results}
    if set(results) != set(changes):
        raise messages.BadMessage(
            "results must answer each change in the message once "
            f"({len(changes)} changes, {len(inbound.results)} results)"
        )
    if batch.sent_at is None:  # it reached the national service although our commit did not record it
        batch.sent_at = now
    batch.acknowledged_at = now
    batch.save(update_fields=["sent_at", "acknowledged_at"])
    rejected = 0
    for change_id, change in changes.items():
        outcome = results[change_id]
        change.accepted, change.rejection_reason, change.acknowledged_at = outcome.accepted, outcome.reason, now
        change.save(update_fields=["accepted", "rejection_reason", "acknowledged_at"])
        if not outcome.accepted:
            rejected += 1
            audit.record(
                principal=None,
                actor_name=ACTOR,
                action="national.flag-rejected",
                at=now,
                outcome=Outcome.FAILED,
                person=change.person,
                object_type="flag",
                object_id=str(change.flag_public_id),
                reason=outcome.reason,
                details={"kind": change.kind, "message": str(batch.public_id)},
            )
    audit.record(
        principal=None,
        actor_name=ACTOR,
        action="national.acknowledged",
        at=now,
        object_type="national-message",
        object_id=str(batch.public_id),
        details={"acknowledgement": inbound.message_id, "accepted": len(changes) - rejected, "rejected": rejected},
    )
    message = InboundMessage.objects.create(
        message_id=inbound.message_id,
        kind=InboundKind.ACKNOWLEDGEMENT,
        local_authority=authority,
        received_at=now,
        source=source[:200],
        outcome=InboundOutcome.APPLIED,
    )
    _touch(authority, now)
    return message
