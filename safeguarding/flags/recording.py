"""Writing a flag look-up's rows: its audit row, and from unscheduled care its access event, its outbox row
(Notification) and the task that delivers it. services.look_up decides what they are; this writes them.

On PostgreSQL a look-up that found at most one child (nearly all of them) writes every row in one prepared
statement: data-modifying CTEs, so the notification takes the access event's id and the task the
notification's. One statement is atomic by itself, so the look-up needs no BEGIN and COMMIT round trips,
and the FHIR answer is built only after that statement has committed: nothing is disclosed unaudited
(ARCHITECTURE invariant 2, ADR 0029). Any other case (two children under one number, SQLite, a task
backend that is not this database) inserts the rows one by one in a transaction.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, router, transaction
from django.db.models import Model
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from safeguarding.audit.models import AuditEvent
from safeguarding.core import rows

from .models import AccessEvent, Notification

# The task row's args_kwargs, as django-tasks-db writes {"args": [notification_id], "kwargs": {}}.
ARGS_KWARGS = "jsonb_build_object('args', jsonb_build_array((SELECT {id} FROM n)), 'kwargs', '{{}}'::jsonb)"
# Columns of the one statement that come from the CTEs rather than parameters.
FROM_CTES: dict[type[Model], set[str]] = {Notification: {"access_event_id"}, DBTaskResult: {"args_kwargs"}}
# Nullable columns (no database default) that a new row leaves NULL: not sent, which keeps the statement
# within the 50 parameters psycopg caches the conversion of (MAX_CACHED_STATEMENT_PARAMS); parsing it
# afresh cost a third of a millisecond a look-up. A row that sets one takes the other path.
LEFT_NULL: dict[type[Model], set[str]] = {
    Notification: {"delivered_at", "worker_id", "team_id", "acted_on_at", "acted_on_by_id"},
    DBTaskResult: {"started_at", "finished_at", "return_value"},
}


def write(audits: list[AuditEvent], accesses: list[tuple[AccessEvent, Notification]]) -> None:
    """Insert the audit rows, and for each access its event, its notification and its delivery task."""
    conn = connections[DEFAULT_DB_ALIAS]
    task = _task_in_this_database()
    if conn.vendor == "postgresql" and len(audits) == 1 and len(accesses) <= 1 and (task or not accesses):
        if not accesses:
            rows.insert(audits[0])  # one statement already
            return
        event, notification = accesses[0]
        assert task is not None
        if _leaves_null(notification) and _leaves_null(task):
            _write_in_one_statement(audits[0], event, notification, task=task)
            return
    with transaction.atomic():
        for row in audits:
            rows.insert(row)
        for event, notification in accesses:
            rows.insert(event)
            notification.access_event = event
            rows.insert(notification)
            _enqueue(notification.pk, task)


def _leaves_null(obj: Model) -> bool:
    return all(getattr(obj, name) is None for name in LEFT_NULL[type(obj)])


def _task_in_this_database() -> DBTaskResult | None:
    """An unsaved row of the delivery task as DatabaseBackend.enqueue would write it (args filled in later),
    or None when the task backend is not rows in this database (then it is enqueued on commit)."""
    from .tasks import deliver_notification

    backend = task_backends[getattr(deliver_notification, "backend", DEFAULT_TASK_BACKEND_ALIAS)]
    if not isinstance(backend, DatabaseBackend) or router.db_for_write(DBTaskResult) != DEFAULT_DB_ALIAS:
        return None
    _validate_once(backend.alias)
    # Its task_enqueued signal (a debug log line) is not sent.
    return DBTaskResult(
        args_kwargs={"args": [], "kwargs": {}},
        priority=deliver_notification.priority,
        task_path=deliver_notification.module_path,
        queue_name=deliver_notification.queue_name,
        run_after=deliver_notification.run_after,  # type: ignore[misc]  # None: pre_save sets the far future
        backend_name=backend.alias,
    )


@lru_cache(maxsize=8)
def _validate_once(alias: str) -> None:
    """What enqueue checks first (the task suits the backend): the same answer every time for one backend."""
    from .tasks import deliver_notification

    task_backends[alias].validate_task(deliver_notification)


def _enqueue(notification_id: int, task: DBTaskResult | None) -> None:
    """The delivery task: a row in this transaction (ADR 0009: it commits with its cause), or on commit."""
    from .tasks import deliver_notification

    if task is None:
        transaction.on_commit(lambda: deliver_notification.enqueue(notification_id))
        return
    task.args_kwargs = {"args": [notification_id], "kwargs": {}}
    rows.insert(task)


def _write_in_one_statement(
    audit_row: AuditEvent, event: AccessEvent, notification: Notification, *, task: DBTaskResult
) -> None:
    params: list[Any] = []
    for obj in (audit_row, event, notification, task):
        skip = FROM_CTES.get(type(obj), set()) | LEFT_NULL.get(type(obj), set())
        fields, values = rows.values_for_insert(obj)
        params += (v for f, v in zip(fields, values, strict=True) if f.attname not in skip)
    with rows.prepared_cursor() as cursor:
        cursor.execute(_statement(connections[DEFAULT_DB_ALIAS].vendor), params)
        audit_id, event_id, notification_id = cursor.fetchone()
    rows.saved(audit_row, audit_id)
    rows.saved(event, event_id)
    notification.access_event = event
    rows.saved(notification, notification_id)
    task.args_kwargs = {"args": [notification_id], "kwargs": {}}
    rows.saved(task)


@lru_cache(maxsize=2)
def _statement(vendor: str) -> str:
    """INSERT audit; INSERT access event RETURNING id; INSERT notification with it; INSERT task with that.
    The notification's access_event_id and the task's args_kwargs come from the CTEs; all else is a parameter."""
    conn = connections[DEFAULT_DB_ALIAS]
    q = conn.ops.quote_name

    def columns_and_values(model: type[Model], replace: dict[str, str]) -> tuple[str, str]:
        fields = [f for f in rows.insert_fields(model) if f.attname not in LEFT_NULL.get(model, set())]
        columns = ", ".join(q(f.column) for f in fields)
        values = ", ".join(replace.get(f.attname, "%s") for f in fields)
        return columns, values

    audit_cols, audit_vals = columns_and_values(AuditEvent, {})
    event_cols, event_vals = columns_and_values(AccessEvent, {})
    note_cols, note_vals = columns_and_values(Notification, {"access_event_id": f"(SELECT {q('id')} FROM e)"})  # noqa: S608
    task_cols, task_vals = columns_and_values(DBTaskResult, {"args_kwargs": ARGS_KWARGS.format(id=q("id"))})
    table = {m: q(m._meta.db_table) for m in (AuditEvent, AccessEvent, Notification, DBTaskResult)}
    # Identifiers come from the models and are quoted; every value is a parameter.
    return (
        f"WITH a AS (INSERT INTO {table[AuditEvent]} ({audit_cols}) VALUES ({audit_vals}) RETURNING {q('id')}),"  # noqa: S608
        f" e AS (INSERT INTO {table[AccessEvent]} ({event_cols}) VALUES ({event_vals}) RETURNING {q('id')}),"
        f" n AS (INSERT INTO {table[Notification]} ({note_cols}) VALUES ({note_vals}) RETURNING {q('id')}),"
        f" t AS (INSERT INTO {table[DBTaskResult]} ({task_cols}) VALUES ({task_vals}))"
        f" SELECT (SELECT {q('id')} FROM a), (SELECT {q('id')} FROM e), (SELECT {q('id')} FROM n)"
    )
