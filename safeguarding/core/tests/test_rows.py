"""core.rows: the hot paths' INSERT writes what Model.save would, and their statements are prepared."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, connections, transaction
from django.db.models import signals
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from safeguarding.accounts import tokens
from safeguarding.audit.models import AuditEvent, Channel
from safeguarding.core import rows
from safeguarding.flags.models import Flag
from safeguarding.people.models import Person


def test_insert_writes_the_row_save_would_with_its_defaults_and_pk(world):
    at = timezone.now().replace(microsecond=0)

    row = rows.insert(AuditEvent(at=at, action="test.insert", person=world.child, details={"n": 1}))

    saved = AuditEvent.objects.get(pk=row.pk)
    assert saved.at == at and saved.person == world.child and saved.details == {"n": 1}
    assert saved.channel == Channel.WEB and saved.outcome == "ALLOWED"  # the model's defaults
    assert row._state.adding is False


def test_insert_sends_the_signals_save_sends_when_something_listens(world):
    heard = []

    def listener(sender, instance, **kwargs):
        heard.append((kwargs.get("created"), instance.pk is not None))

    signals.post_save.connect(listener, sender=AuditEvent)
    try:
        rows.insert(AuditEvent(at=timezone.now(), action="test.signal"))
    finally:
        signals.post_save.disconnect(listener, sender=AuditEvent)

    assert heard == [(True, True)]


def test_insert_runs_a_libraries_pre_save_receiver_too(db):
    """django-tasks-db sets run_after in a pre_save receiver; without it the row would break NOT NULL."""
    task = rows.insert(
        DBTaskResult(args_kwargs={"args": [], "kwargs": {}}, task_path="x.y", backend_name="default", run_after=None)
    )

    assert DBTaskResult.objects.get(pk=task.pk).run_after == get_date_max()


def test_from_row_reads_the_instances_back_as_the_orm_would(world):
    columns = rows.select_columns("p", Person)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM people_person p WHERE p.id = %s", [world.child.pk])  # noqa: S608
        person, end = rows.from_row(Person, cursor.fetchone())

    assert person == world.child and end == len(Person._meta.concrete_fields)
    assert person.public_id == world.child.public_id and person.date_of_birth == world.child.date_of_birth


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")
def test_the_token_statement_is_prepared_after_a_few_calls_and_other_queries_are_not(world):
    token = tokens.create_token(
        membership=world.health_other.memberships.get(), name="t", operator="test", now=timezone.now()
    )
    with transaction.atomic():
        for _ in range(6):
            assert tokens.principal_for_token(token, now=timezone.now() + dt.timedelta(seconds=1)) is not None
        Flag.objects.filter(nhs_number="9990000018").count()  # an ORM query, bound client-side
        Flag.objects.filter(nhs_number="9990000018").count()
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            prepared = [r[0] for r in cursor.fetchall()]

    assert any("token_hash" in s for s in prepared)
    assert not any("COUNT(" in s.upper() for s in prepared)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="connection health checks are configured for PostgreSQL")
def test_a_token_read_on_a_connection_the_database_dropped_reconnects_instead_of_failing(
    restores_reference_data, transactional_db, world
):
    token = tokens.create_token(
        membership=world.health_other.memberships.get(), name="t", operator="test", now=timezone.now()
    )
    assert connection.health_check_enabled  # as in production: DATABASE_URL sets CONN_HEALTH_CHECKS
    connection.ensure_connection()
    connection.health_check_done = False  # a new request, with a connection kept from the last one
    import psycopg

    with pytest.raises(psycopg.errors.AdminShutdown):  # the database restarts: this session is ended
        connections["default"].connection.execute("SELECT pg_terminate_backend(pg_backend_pid())")

    principal = tokens.principal_for_token(token, now=timezone.now() + dt.timedelta(minutes=2))

    assert principal is not None and principal.user == world.health_other
