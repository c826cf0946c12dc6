"""Messages from the national service: access notifications become the authority's notifications, once;
acknowledgements record what was refused; bad messages are refused with a reason and change nothing."""

from __future__ import annotations

import datetime as dt
import importlib
import json

import pytest
from django.apps import apps
from django.utils import timezone

from safeguarding.accounts.models import User
from safeguarding.audit.models import AuditEvent
from safeguarding.flags.models import AccessEvent, AccessSource, Flag, Notification
from safeguarding.flags.tests.factories import days_ago, make_plan
from safeguarding.national import services
from safeguarding.national.adapters import message_files
from safeguarding.national.models import InboundMessage, InboundOutcome, OutboundChange
from safeguarding.organisations.models import Organisation, OrganisationType
from tests import factories as f

from .factories import access_body, as_bytes, new_id

CONVERSION = importlib.import_module("safeguarding.flags.migrations.0002_national_access_events")


def _receive():
    return services.receive_pending(now=timezone.now())


def _flag_and_send(exchange, person=None):
    w = exchange.world
    make_plan(w, person or w.child, start=days_ago(20))
    services.send_pending(now=timezone.now())
    exchange.national.consume()
    _receive()  # the acknowledgement


def test_an_access_to_a_flagged_child_notifies_the_authority_once(exchange, django_capture_on_commit_callbacks):
    w = exchange.world
    _flag_and_send(exchange)
    [message_id] = exchange.national.emit_access(w.child.nhs_number, at=timezone.now() - dt.timedelta(minutes=3))
    with django_capture_on_commit_callbacks(execute=True):
        result = _receive()
    [message] = result.processed
    assert (message.message_id, message.outcome) == (message_id, InboundOutcome.NOTIFIED)
    event = AccessEvent.objects.get()
    assert (event.person, event.local_authority, event.setting) == (w.child, w.la, "UNSCHEDULED")
    assert (event.source, event.ods_code) == (AccessSource.NATIONAL, "RYY99")
    assert event.organisation_name == "Elsewhere General Hospital emergency department (RYY99)"
    assert event.user_name == "Emergency department nurse (reported by the national flag service)"
    assert event.user is None and event.organisation is None  # the clinician and the trust are elsewhere
    notification = Notification.objects.get()
    assert notification.delivered_at is not None  # through flags' own delivery, on commit
    assert (notification.worker, notification.team) == (w.allocated, w.team_a)
    received = AuditEvent.objects.get(action="national.access-received")
    assert (received.person, received.outcome) == (w.child, "ALLOWED")
    assert [p.name for p in message_files(exchange.root / "processed")][-1].endswith(f"{message_id}.json")
    assert message_files(exchange.adapter.inbox) == []


def test_a_message_read_twice_changes_nothing_the_second_time(exchange):
    w = exchange.world
    _flag_and_send(exchange)
    body = access_body(w.child.nhs_number)
    exchange.national.emit_raw(as_bytes(body), name="a.json")
    exchange.national.emit_raw(as_bytes(body), name="b.json")  # the same message delivered again
    result = _receive()
    assert len(result.processed) == 1 and result.duplicates == 1
    assert AccessEvent.objects.count() == 1 and Notification.objects.count() == 1
    assert InboundMessage.objects.filter(message_id=body["message_id"]).count() == 1
    assert sorted(p.name for p in message_files(exchange.root / "processed"))[-2:] == ["a.json", "b.json"]


def test_an_access_for_a_number_with_no_flag_here_is_recorded_without_a_notification(exchange):
    w = exchange.world
    exchange.national.emit_raw(as_bytes(access_body(w.sibling.nhs_number)))
    [message] = _receive().processed
    assert message.outcome == InboundOutcome.NO_LOCAL_FLAG
    assert not AccessEvent.objects.exists() and not Notification.objects.exists()
    audit = AuditEvent.objects.get(action="national.access-received")
    assert audit.person is None and audit.details["outcome"] == "no-local-flag"


def test_an_access_addressed_to_this_authority_does_not_notify_it_of_another_authoritys_flag(exchange):
    w = exchange.world
    theirs = f.make_person(w.other_la, given_name="Testtheirs")
    Flag.objects.create(  # Southmere's flag, held in the same system
        nhs_number=theirs.nhs_number,
        plan_type="CPP",
        start_date=days_ago(20),
        local_authority=w.other_la,
        person=theirs,
        updated_at=timezone.now(),
    )
    exchange.national.emit_raw(as_bytes(access_body(theirs.nhs_number, to="991")))
    assert _receive().processed[0].outcome == InboundOutcome.NO_LOCAL_FLAG
    assert not Notification.objects.exists()


def test_a_known_ods_code_is_recorded_against_that_organisation(exchange):
    w = exchange.world
    _flag_and_send(exchange)
    exchange.national.emit_raw(as_bytes(access_body(w.child.nhs_number, access={"organisation_ods_code": "rzz01"})))
    _receive()
    assert AccessEvent.objects.get().organisation == w.trust


def test_an_unknown_ods_code_invents_no_organisation_and_no_account(exchange):
    w = exchange.world
    _flag_and_send(exchange)
    before = (Organisation.objects.count(), User.objects.count())
    for code in ("RYY98", "RYY97"):
        exchange.national.emit_raw(as_bytes(access_body(w.child.nhs_number, access={"organisation_ods_code": code})))
    _receive()
    events = AccessEvent.objects.order_by("ods_code")
    assert [(e.ods_code, e.organisation, e.user) for e in events] == [("RYY97", None, None), ("RYY98", None, None)]
    assert (Organisation.objects.count(), User.objects.count()) == before


def test_an_access_without_an_organisation_name_is_shown_by_its_code(exchange):
    w = exchange.world
    _flag_and_send(exchange)
    for code in ("RYY98", "RZZ01"):  # one this system does not hold, one it does
        body = access_body(w.child.nhs_number, access={"organisation_ods_code": code, "organisation_name": ""})
        exchange.national.emit_raw(as_bytes(body))
    _receive()
    assert sorted(AccessEvent.objects.values_list("organisation_name", flat=True)) == [
        "Health organisation not named in the message (RYY98)",
        "Northbridge Hospitals NHS Trust (RZZ01)",
    ]


def test_the_old_service_account_events_become_national_without_the_invented_account_or_organisation(world):
    """The migration's conversion (flags 0002), for events recorded before it against the service account."""
    service = f.make_user("national-flag-service", first_name="National", last_name="flag service")
    placeholder = f.make_org("Health service reported by the national flag service", OrganisationType.NHS_TRUST)
    make_plan(world, world.child, start=days_ago(20))
    flag = Flag.objects.get()

    def old_event(organisation, name):
        return AccessEvent.objects.create(
            flag=flag,
            nhs_number=flag.nhs_number,
            person=world.child,
            local_authority=world.la,
            at=timezone.now(),
            user=service,
            user_name="Emergency department nurse (reported by the national flag service)",
            role="Emergency department nurse",
            organisation=organisation,
            organisation_name=name,
            setting="UNSCHEDULED",
        )

    elsewhere = old_event(placeholder, "Elsewhere General Hospital emergency department (RYY99)")
    held = old_event(world.trust, "Northbridge Hospitals NHS Trust (RZZ01)")
    local = old_event(world.trust, "Northbridge Hospitals NHS Trust")
    local.user = world.health_other
    local.save()

    assert CONVERSION.convert(apps) == 2
    assert CONVERSION.convert(apps) == 0  # a second run changes nothing
    for event in (elsewhere, held, local):
        event.refresh_from_db()
    assert (elsewhere.source, elsewhere.user, elsewhere.organisation, elsewhere.ods_code) == (
        "national",
        None,
        None,
        "RYY99",
    )
    assert (held.source, held.user, held.organisation, held.ods_code) == ("national", None, world.trust, "RZZ01")
    assert elsewhere.organisation_name == "Elsewhere General Hospital emergency department (RYY99)"  # as shown
    assert (local.source, local.user, local.organisation) == ("local", world.health_other, world.trust)


FUTURE = (timezone.now() + dt.timedelta(days=1)).isoformat()
BAD = {
    "not JSON": (b"{not json", "not valid JSON"),
    "not an object": (b"[1, 2]", "must be a JSON object"),
    "wrong schema": ({"schema": "other/1"}, "schema must be"),
    "no message id": ({"message_id": "42"}, "message_id is missing or is not a UUID"),
    "unknown type": ({"type": "gossip"}, "type must be"),
    "unknown authority": ({"to": "123"}, "addressed to a local authority this system does not hold"),
    "invalid NHS number": ({"access": {"nhs_number": "9990123455"}}, "nhs_number: This NHS number is not valid"),
    "scheduled care": ({"access": {"setting": "SCHEDULED"}}, "only unscheduled care notifies"),
    "in the future": ({"access": {"accessed_at": FUTURE}}, "accessed_at is in the future"),
    "no time zone": ({"access": {"accessed_at": "2026-11-30T10:00:00"}}, "must include a time zone"),
    "not a date": ({"access": {"accessed_at": "yesterday"}}, "must be an ISO 8601 date and time"),
    "bad ODS code": ({"access": {"organisation_ods_code": "R-1"}}, "3 to 10 letters or digits"),
    "role too long": ({"access": {"role": "x" * 41}}, "role must be 40 characters or fewer"),
    "no role": ({"access": {"role": ""}}, "role is missing"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_bad_message_is_refused_with_its_reason_and_changes_nothing(exchange, case):
    w = exchange.world
    _flag_and_send(exchange)
    before = (AccessEvent.objects.count(), Notification.objects.count())
    change, expected = BAD[case]
    raw = change if isinstance(change, bytes) else as_bytes(access_body(w.child.nhs_number, **change))
    name = exchange.national.emit_raw(raw)
    [message] = _receive().processed
    assert message.outcome == InboundOutcome.REJECTED and expected in message.reason
    assert (AccessEvent.objects.count(), Notification.objects.count()) == before
    assert (exchange.root / "rejected" / name).exists()
    assert expected in (exchange.root / "rejected" / f"{name}.reason.txt").read_text()
    refused = AuditEvent.objects.get(action="national.message-refused")
    assert refused.outcome == "DENIED" and expected in refused.reason
    assert w.child.nhs_number not in message.reason  # a reason never repeats the number
    assert _receive().processed == []  # set aside: not read again


def test_a_half_written_file_in_the_inbox_is_ignored(exchange):
    w = exchange.world
    _flag_and_send(exchange)
    partial = as_bytes(access_body(w.child.nhs_number))[:30]
    (exchange.adapter.inbox / ".000000099-access.json.4f2a.tmp").write_bytes(partial)  # a writer that crashed
    assert _receive().processed == []
    assert not AccessEvent.objects.exists()


def test_an_acknowledgement_records_each_change_accepted_or_refused(exchange):
    w = exchange.world
    exchange.national.unknown_nhs_numbers = {w.sibling.nhs_number}
    make_plan(w, w.child, start=days_ago(20))
    make_plan(w, w.sibling, start=days_ago(10))
    services.send_pending(now=timezone.now())
    exchange.national.consume()
    [message] = _receive().processed
    assert message.outcome == InboundOutcome.APPLIED
    accepted = OutboundChange.objects.get(person=w.child)
    refused = OutboundChange.objects.get(person=w.sibling)
    assert accepted.accepted is True and refused.accepted is False
    assert refused.rejection_reason == "NHS number not known to the national service"
    audit = AuditEvent.objects.get(action="national.flag-rejected")
    assert (audit.person, audit.outcome) == (w.sibling, "FAILED")
    assert {x["nhs_number"] for x in exchange.national.flags.values()} == {w.child.nhs_number}


def _ack(batch_id: str, results: list[dict], **extra):
    body = {
        "schema": "open-safeguarding/national-flags/1",
        "type": "acknowledgement",
        "message_id": new_id(),
        "to": "991",
        "acknowledges": batch_id,
        "results": results,
    }
    return as_bytes(body | extra)


def test_bad_acknowledgements_are_refused_and_change_nothing(exchange):
    w = exchange.world
    make_plan(w, w.child, start=days_ago(20))
    services.send_pending(now=timezone.now())
    change = OutboundChange.objects.get()
    batch_id = str(change.batch.public_id)
    ok = [{"change_id": str(change.public_id), "accepted": True, "reason": ""}]
    exchange.national.emit_raw(_ack(new_id(), ok))
    exchange.national.emit_raw(_ack(batch_id, [{"change_id": new_id(), "accepted": True}]))
    exchange.national.emit_raw(_ack(batch_id, [{"change_id": str(change.public_id), "accepted": False}]))
    exchange.national.emit_raw(_ack(batch_id, ok, to="992"))  # another authority's message is not its to answer
    reasons = [m.reason for m in _receive().processed]
    assert reasons == [
        "acknowledges: no message with that id was sent by this local authority",
        "results must answer each change in the message once (1 changes, 1 results)",
        "reason is missing",
        "acknowledges: no message with that id was sent by this local authority",
    ]
    change.refresh_from_db()
    assert change.accepted is None and change.batch.acknowledged_at is None
    exchange.national.emit_raw(_ack(batch_id, ok))
    exchange.national.emit_raw(_ack(batch_id, ok))  # a second acknowledgement of the same message
    outcomes = [(m.outcome, m.reason) for m in _receive().processed]
    assert outcomes == [
        (InboundOutcome.APPLIED, ""),
        (InboundOutcome.REJECTED, "acknowledges: that message has already been acknowledged"),
    ]


def test_a_message_id_reused_for_different_content_is_refused(exchange):
    w = exchange.world
    _flag_and_send(exchange)
    body = access_body(w.child.nhs_number)
    exchange.national.emit_raw(as_bytes(body))
    _receive()
    body["access"]["nhs_number"] = "not a number"
    exchange.national.emit_raw(as_bytes(body))
    [message] = _receive().processed
    assert message.outcome == InboundOutcome.REJECTED and message.reason.startswith("A different message with an id")
    assert AccessEvent.objects.count() == 1


def test_the_receive_command_reports_what_it_did(exchange):
    import io

    from django.core.management import call_command

    w = exchange.world
    _flag_and_send(exchange)
    exchange.national.emit_access(w.child.nhs_number, at=timezone.now())
    exchange.national.emit_raw(b"garbage", name="000000999-garbage.json")
    out = io.StringIO()
    call_command("receive_national_messages", stdout=out)
    assert out.getvalue().splitlines() == [
        "1 message(s) processed, 1 refused, 0 already processed",
        "refused 000000999-garbage.json: The message is not valid JSON in UTF-8",
    ]
    assert json.loads((exchange.root / "processed").iterdir().__next__().read_text())["schema"]
