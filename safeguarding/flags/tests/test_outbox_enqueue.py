"""With the database task backend (production), the delivery task is a row written in the look-up's own
transaction (ADR 0009): it commits with the audit row and the outbox row, or not at all."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from safeguarding.audit.models import AuditEvent
from safeguarding.flags import services
from safeguarding.flags.models import AccessEvent, Notification
from tests import factories as f

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


class Rollback(Exception):
    pass


def _look_up(flagged):
    return services.look_up(
        principal=f.principal_for(flagged.unscheduled), nhs_number=flagged.world.child.nhs_number, now=timezone.now()
    )


def test_the_task_commits_with_the_look_up(flagged, settings, django_capture_on_commit_callbacks):
    settings.TASKS = DATABASE_TASKS
    with django_capture_on_commit_callbacks() as callbacks:
        assert _look_up(flagged).notified
    assert callbacks == []  # nothing left to do after the commit
    task = DBTaskResult.objects.get()
    assert task.args_kwargs["args"] == [Notification.objects.get().pk]
    assert task.task_path.endswith("flags.tasks.deliver_notification")


def test_a_rolled_back_look_up_leaves_no_task_and_no_outbox_row(flagged, settings):
    settings.TASKS = DATABASE_TASKS
    with pytest.raises(Rollback), transaction.atomic():
        _look_up(flagged)
        assert DBTaskResult.objects.count() == 1
        raise Rollback
    assert DBTaskResult.objects.count() == 0 and Notification.objects.count() == 0


def test_the_queued_task_delivers_the_notification_when_the_worker_runs_it(flagged, settings, mailoutbox):
    settings.TASKS = DATABASE_TASKS
    _look_up(flagged)
    row = DBTaskResult.objects.get()

    row.task.call(*row.args_kwargs["args"], **row.args_kwargs["kwargs"])  # what the db_worker does with it

    notification = Notification.objects.get()
    assert notification.delivered_at is not None and notification.access_event.user == flagged.unscheduled
    assert AuditEvent.objects.get(action="flag.lookup").person == flagged.world.child


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the one-statement write is PostgreSQL's")
def test_on_postgresql_a_look_up_writes_all_its_rows_in_one_statement_without_a_transaction(flagged, settings):
    settings.TASKS = DATABASE_TASKS
    with CaptureQueriesContext(connection) as queries:
        _look_up(flagged)

    writes = [q["sql"] for q in queries.captured_queries if "INSERT" in q["sql"]]
    assert len(writes) == 1 and writes[0].startswith("WITH")
    assert not any(q["sql"].upper() in ("BEGIN", "COMMIT") or "SAVEPOINT" in q["sql"] for q in queries.captured_queries)
    event = AccessEvent.objects.get()
    assert Notification.objects.get().access_event == event
    assert DBTaskResult.objects.get().args_kwargs == {"args": [Notification.objects.get().pk], "kwargs": {}}


def test_the_one_statement_stays_within_what_psycopg_caches_the_conversion_of():
    """Over psycopg's limit the look-up still works, but psycopg parses the statement afresh every time."""
    from psycopg._queries import MAX_CACHED_STATEMENT_PARAMS

    from safeguarding.flags import recording

    assert recording._statement("postgresql").count("%s") <= MAX_CACHED_STATEMENT_PARAMS
