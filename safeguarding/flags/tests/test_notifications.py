"""Access notifications: unscheduled care notifies, scheduled care is silent; delivered exactly once, even when
the task runner is down or several deliverers race; the authority records what it did."""

from __future__ import annotations

import io
import threading

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone

from safeguarding.audit.models import AuditEvent
from safeguarding.chronology.models import ChronologyEntry
from safeguarding.flags import queries, services
from safeguarding.flags.models import AccessEvent, Notification
from tests import factories as f


def _look_up(user, nhs_number):
    return services.look_up(principal=f.principal_for(user), nhs_number=nhs_number, now=timezone.now())


def test_unscheduled_care_creates_an_access_event_and_delivers_on_commit(flagged, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        result = _look_up(flagged.unscheduled, flagged.world.child.nhs_number)
    assert result.notified
    event = AccessEvent.objects.get()
    assert (event.user, event.role, event.organisation, event.setting) == (
        flagged.unscheduled,
        "HEALTH_UNSCHEDULED",
        flagged.world.trust,
        "UNSCHEDULED",
    )
    notification = Notification.objects.get()
    assert notification.delivered_at is not None
    assert notification.worker == flagged.world.allocated and notification.team == flagged.world.team_a
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["cp-notifications@northbridge.invalid"]
    assert (
        b"Testchild" not in mail.outbox[0].body.encode() and flagged.world.child.nhs_number not in mail.outbox[0].body
    )


def test_scheduled_care_is_a_silent_read(flagged, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        result = _look_up(flagged.scheduled, flagged.world.child.nhs_number)
    assert not result.notified and len(result.flags) == 1
    assert not AccessEvent.objects.exists() and not Notification.objects.exists() and not mail.outbox
    assert AuditEvent.objects.filter(actor=flagged.scheduled, action="flag.lookup", person=flagged.world.child).exists()


def test_no_flag_no_notification(flagged, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _look_up(flagged.unscheduled, flagged.world.sibling.nhs_number)
    assert not Notification.objects.exists()
    assert AuditEvent.objects.filter(actor=flagged.unscheduled, action="flag.lookup", person=None).count() == 1


def test_a_lookup_that_rolls_back_leaves_no_notification(flagged, django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                _look_up(flagged.unscheduled, flagged.world.child.nhs_number)
                raise RuntimeError("the page failed to render")
        except RuntimeError:
            pass
    assert callbacks == [] and not Notification.objects.exists() and not AccessEvent.objects.exists()


def test_when_the_task_runner_is_down_the_catch_up_command_delivers_once(flagged):
    _look_up(flagged.unscheduled, flagged.world.child.nhs_number)  # on_commit never ran: the runner is down
    assert Notification.objects.get().delivered_at is None
    assert queries.notifications_for(f.principal_for(flagged.world.allocated)) == []
    out = io.StringIO()
    call_command("deliver_notifications", stdout=out)
    assert out.getvalue().startswith("1 notification")
    call_command("deliver_notifications", stdout=out)
    services.deliver(now=timezone.now(), notification_id=Notification.objects.get().pk)  # a late task run
    assert len(mail.outbox) == 1
    assert AuditEvent.objects.filter(action="notification.delivered").count() == 1
    assert [n.person for n in queries.notifications_for(f.principal_for(flagged.world.allocated))] == [
        flagged.world.child
    ]
    assert queries.notifications_for(f.principal_for(flagged.world.colleague)) == []


def test_a_failed_e_mail_leaves_the_notification_pending(flagged, monkeypatch):
    from safeguarding.flags import services as flag_services

    _look_up(flagged.unscheduled, flagged.world.child.nhs_number)

    def down(*args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(flag_services, "send_mail", down)
    with pytest.raises(ConnectionRefusedError):
        services.deliver(now=timezone.now())
    assert Notification.objects.get().delivered_at is None


def test_the_last_25_accesses_are_shown(flagged):
    for _ in range(27):
        result = _look_up(flagged.unscheduled, flagged.world.child.nhs_number)
    assert len(result.accesses) == 25


def test_marking_acted_on_puts_the_note_in_the_chronology(client, flagged):
    from .factories import notification_for

    notification = notification_for(flagged.world, flagged.world.child)
    f.sign_in(client, flagged.world.allocated)
    url = reverse("flags:notification", args=[flagged.world.child.public_id, notification.public_id])
    assert client.post(url, {"note": ""}).status_code == 400
    response = client.post(url, {"note": "Rang the ward <script>alert(1)</script>; mother with child"})
    assert response.status_code == 302
    notification.refresh_from_db()
    assert notification.acted_on_by == flagged.world.allocated
    entry = ChronologyEntry.objects.get(person=flagged.world.child, category="Health access")
    assert "Rang the ward" in entry.summary and "Northbridge Hospitals NHS Trust" in entry.summary
    page = client.get(url)
    assert b"<script>alert(1)" not in page.content and b"&lt;script&gt;" in page.content
    inbox = client.get(reverse("flags:inbox")).content
    assert b"Testchild" not in inbox  # acted on: no longer waiting
    assert b"Testchild" in client.get(reverse("flags:inbox"), {"show": "acted-on"}).content


def test_another_authority_cannot_mark_acted_on(flagged):
    from .factories import notification_for

    notification = notification_for(flagged.world, flagged.world.child)
    with pytest.raises(services.NotificationRefused):
        services.mark_acted_on(
            notification=notification,
            principal=f.principal_for(flagged.world.other_la_worker),
            now=timezone.now(),
            note="Not ours",
        )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_concurrent_deliverers_deliver_each_notification_once(
    restores_reference_data, transactional_db, world, monkeypatch
):
    from safeguarding.flags import tasks

    from .factories import contact, days_ago, make_plan

    class Down:  # the task runner is down: nothing is delivered on commit
        def enqueue(self, *args: object) -> None:
            return None

    monkeypatch.setattr(tasks, "deliver_notification", Down())

    contact(world)
    make_plan(world, world.child, start=days_ago(10))
    for _ in range(20):  # 20 look-ups from the emergency department, each committed with its outbox row
        _look_up(world.health_other, world.child.nhs_number)
    assert Notification.objects.filter(delivered_at__isnull=True).count() == 20
    barrier = threading.Barrier(4)
    counts: list[int] = []

    def deliverer() -> None:
        try:
            barrier.wait()
            counts.append(services.deliver(now=timezone.now()))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=deliverer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(counts) == 20
    assert Notification.objects.filter(delivered_at__isnull=True).count() == 0
    assert AuditEvent.objects.filter(action="notification.delivered").count() == 20
    assert len(mail.outbox) == 20
