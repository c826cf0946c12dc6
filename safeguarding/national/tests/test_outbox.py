"""The outbox of flag changes: written with the flag, sent in order, exactly once, retried, never lost."""

from __future__ import annotations

import io
import json
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction
from django.utils import timezone

from safeguarding.audit.models import AuditEvent
from safeguarding.flags.models import Flag, LocalAuthorityContact
from safeguarding.flags.tests.factories import days_ago, make_plan
from safeguarding.national import services
from safeguarding.national.adapters import DisabledAdapter, SendFailed, message_files
from safeguarding.national.models import ChangeKind, OutboundBatch, OutboundChange
from safeguarding.people.identifiers import synthetic_nhs_number
from tests import factories as f

from .factories import FailingAdapter, HandsOverThenCrashes


def _send(adapter=None, **kwargs):
    return services.send_pending(now=timezone.now(), adapter=adapter, **kwargs)


def test_a_plan_queues_its_flag_change_carrying_only_the_cp_is_minimum(exchange):
    w = exchange.world
    make_plan(w, w.child, start=days_ago(10))
    change = OutboundChange.objects.get()
    flag = Flag.objects.get()
    assert (change.kind, change.person, change.local_authority) == (ChangeKind.CREATED, w.child, w.la)
    assert change.payload == {
        "local_reference": str(flag.public_id),
        "nhs_number": w.child.nhs_number,
        "plan_type": "CPP",
        "start_date": days_ago(10).isoformat(),
        "end_date": None,
    }
    _send()
    [path] = message_files(exchange.adapter.outbox)
    body = json.loads(path.read_text())
    [sent] = body["changes"]
    assert sent["responsible_la"] == {
        "code": "991",
        "office_hours_phone": "01632 960 001",
        "out_of_hours_phone": "01632 960 999",
    }
    assert "Testchild" not in path.read_text() and "given_name" not in path.read_text()


def test_a_flag_change_that_rolls_back_leaves_nothing_to_send(exchange):
    w = exchange.world
    with pytest.raises(RuntimeError), transaction.atomic():
        make_plan(w, w.child, start=days_ago(10))
        raise RuntimeError("the plan's page failed")
    assert not Flag.objects.exists() and not OutboundChange.objects.exists()


def test_created_ended_changed_and_withdrawn_are_each_queued(exchange):
    w = exchange.world
    plan = make_plan(w, w.child, start=days_ago(40))
    plan.end_date = days_ago(5)
    plan.save()
    w.child.nhs_number = synthetic_nhs_number(900)
    w.child.save()
    plan.start_date = days_ago(30)  # corrected start: the old flag is withdrawn, a new one created
    plan.save()
    kinds = list(OutboundChange.objects.order_by("id").values_list("kind", flat=True))
    assert kinds == ["CREATED", "ENDED", "CHANGED", "WITHDRAWN", "CREATED"]
    withdrawn = OutboundChange.objects.get(kind="WITHDRAWN")
    assert withdrawn.payload["start_date"] == days_ago(40).isoformat()


def test_changes_are_sent_in_order_in_consecutive_batches_and_held_once(exchange):
    w = exchange.world
    make_plan(w, w.child, start=days_ago(40))
    make_plan(w, w.sibling, start=days_ago(30))
    third = f.make_person(w.la, given_name="Testthird")
    make_plan(w, third, start=days_ago(20))
    result = _send(limit=2)
    assert (result.batches, result.changes, result.failures) == (2, 3, [])
    files = message_files(exchange.adapter.outbox)
    bodies = [json.loads(p.read_text()) for p in files]
    assert [b["sequence"] for b in bodies] == [1, 2]
    sent_order = [c["change_id"] for b in bodies for c in b["changes"]]
    assert sent_order == [str(c.public_id) for c in OutboundChange.objects.order_by("id")]
    exchange.national.consume()
    assert exchange.national.sequences == {"991": [1, 2]}
    assert {x["nhs_number"] for x in exchange.national.flags.values()} == {
        w.child.nhs_number,
        w.sibling.nhs_number,
        third.nhs_number,
    }


def test_each_change_is_sent_once_and_audited_as_a_disclosure(exchange):
    w = exchange.world
    make_plan(w, w.child, start=days_ago(10))
    assert _send().changes == 1
    assert _send().changes == 0  # nothing left: a second run sends nothing
    assert len(message_files(exchange.adapter.outbox)) == 1
    sent = AuditEvent.objects.filter(action="national.flag-sent")
    assert [(e.person, e.outcome) for e in sent] == [(w.child, "ALLOWED")]


def test_a_failing_adapter_keeps_the_batch_and_a_later_run_sends_the_same_message(exchange):
    w = exchange.world
    make_plan(w, w.child, start=days_ago(10))
    down = FailingAdapter()
    result = _send(down)
    assert result.changes == 0 and result.failures == ["Northbridge Council: The mailbox did not answer"]
    batch = OutboundBatch.objects.get()
    assert (batch.sent_at, batch.attempts, batch.last_error) == (None, 1, "The mailbox did not answer")
    assert AuditEvent.objects.filter(action="national.send-failed", outcome="FAILED").count() == 1
    _send(down)
    make_plan(w, w.sibling, start=days_ago(5))  # a change made while the service is down waits its turn
    result = _send()
    assert (result.batches, result.changes) == (2, 2)
    batch.refresh_from_db()
    assert batch.attempts == 3 and batch.sent_at is not None and batch.last_error == ""
    bodies = [json.loads(p.read_text()) for p in message_files(exchange.adapter.outbox)]
    assert [b["message_id"] for b in bodies][0] == str(batch.public_id)
    assert [b["sequence"] for b in bodies] == [1, 2]


def test_an_adapter_that_breaks_does_not_lose_the_batch(exchange):
    w = exchange.world
    make_plan(w, w.child, start=days_ago(10))
    result = _send(FailingAdapter(ValueError("bug")))
    assert result.failures == ["Northbridge Council: The adapter failed: ValueError"]
    assert _send().changes == 1


def test_the_command_reports_a_failure_for_the_scheduler(exchange, settings):
    w = exchange.world
    make_plan(w, w.child, start=days_ago(10))
    LocalAuthorityContact.objects.all().delete()
    with pytest.raises(CommandError, match="has no flag telephone numbers set"):
        call_command("send_national_changes", stdout=io.StringIO())
    assert OutboundBatch.objects.get().sent_at is None
    out = io.StringIO()
    from safeguarding.flags.tests.factories import contact

    contact(w)
    call_command("send_national_changes", stdout=out)
    assert out.getvalue().startswith("1 change(s) sent in 1 message(s)")


def test_the_disabled_adapter_sends_nothing_and_the_changes_wait(world, settings, tmp_path):
    settings.OSG_NATIONAL_DIR = str(tmp_path)
    make_plan(world, world.child, start=days_ago(10))
    out = io.StringIO()
    call_command("send_national_changes", stdout=out)
    assert "disabled" in out.getvalue()
    assert _send(DisabledAdapter()).disabled
    assert OutboundChange.objects.filter(batch__isnull=True).count() == 1
    assert not list(tmp_path.rglob("*.json"))
    with pytest.raises(SendFailed):
        DisabledAdapter().send({}, name="x")


def test_with_the_file_adapter_the_change_is_sent_on_commit(exchange, django_capture_on_commit_callbacks):
    w = exchange.world
    with django_capture_on_commit_callbacks(execute=True):
        make_plan(w, w.child, start=days_ago(10))
    assert len(message_files(exchange.adapter.outbox)) == 1
    assert OutboundBatch.objects.get().sent_at is not None


def test_one_send_is_enqueued_per_transaction_however_many_flags_it_changes(
    exchange, django_capture_on_commit_callbacks
):
    w = exchange.world
    with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
        make_plan(w, w.child, start=days_ago(10))
        make_plan(w, w.sibling, start=days_ago(9))
    from safeguarding.national import receivers

    assert [c for c in callbacks if c is receivers._enqueue] == [receivers._enqueue]


def test_a_message_handed_over_before_a_crash_is_resent_with_its_id_and_applied_once(exchange):
    w = exchange.world
    make_plan(w, w.child, start=days_ago(10))
    crashing = HandsOverThenCrashes(exchange.root)
    assert _send(crashing).failures  # the file was written, but the send was not recorded
    batch = OutboundBatch.objects.get()
    assert batch.sent_at is None
    assert exchange.national.consume() == [str(batch.public_id)]
    assert _send().changes == 1  # retried: same message id, same file name
    assert exchange.national.consume() == []  # recognised: applied once, acknowledged once
    assert len(exchange.national.flags) == 1


def test_an_acknowledgement_of_a_message_we_did_not_record_as_sent_marks_it_sent(exchange):
    w = exchange.world
    make_plan(w, w.child, start=days_ago(10))
    _send(HandsOverThenCrashes(exchange.root))
    exchange.national.consume()
    services.receive_pending(now=timezone.now())
    batch = OutboundBatch.objects.get()
    assert batch.sent_at is not None and batch.acknowledged_at is not None
    assert _send().changes == 0  # not sent a second time


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_concurrent_senders_send_each_change_once_in_order(
    restores_reference_data, transactional_db, world, tmp_path, settings
):
    from safeguarding.flags.tests.factories import contact

    contact(world)
    for n in range(12):  # committed while the adapter is off, so nothing is sent on commit
        make_plan(world, f.make_person(world.la, given_name=f"Testrace{n}"), start=days_ago(30 - n))
    settings.OSG_NATIONAL_ADAPTER = "file"
    settings.OSG_NATIONAL_DIR = str(tmp_path)
    assert OutboundChange.objects.filter(batch__isnull=True).count() == 12
    barrier = threading.Barrier(4)
    counts: list[int] = []

    def sender() -> None:
        try:
            barrier.wait()
            counts.append(services.send_pending(now=timezone.now(), limit=3).changes)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sender) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(counts) == 12
    bodies = [json.loads(p.read_text()) for p in message_files(tmp_path / "outbox")]
    assert [b["sequence"] for b in bodies] == [1, 2, 3, 4]
    sent = [c["change_id"] for b in bodies for c in b["changes"]]
    assert sent == [str(c.public_id) for c in OutboundChange.objects.order_by("id")]
    assert AuditEvent.objects.filter(action="national.flag-sent").count() == 12


def test_every_flag_can_be_queued_for_the_first_upload(exchange):
    w = exchange.world
    make_plan(w, w.child, start=days_ago(10))
    flag = Flag.objects.get()
    OutboundChange.objects.all().delete()  # as if the flag had existed before the connector
    Flag.objects.create(  # and one written in bulk, bypassing the receivers' queue
        nhs_number=w.sibling.nhs_number,
        plan_type="LAC",
        start_date=days_ago(3),
        local_authority=w.la,
        person=w.sibling,
        updated_at=timezone.now(),
    )
    OutboundChange.objects.filter(person=w.sibling).delete()
    out = io.StringIO()
    call_command("send_national_changes", "--queue-every-flag", stdout=out)
    assert out.getvalue().splitlines() == ["2 flag(s) queued", "2 change(s) sent in 1 message(s)"]
    exchange.national.consume()
    assert set(exchange.national.flags) == {str(flag.public_id), str(Flag.objects.get(person=w.sibling).public_id)}
    assert AuditEvent.objects.filter(action="national.queued-every-flag", details__queued=2).exists()
