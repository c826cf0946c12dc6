"""Hot-path SQL: statements written once from the models' metadata, prepared by PostgreSQL, rows as models.

The ORM compiles every query on every call, which for a short statement costs more than running it; and
Django leaves PostgreSQL to plan every statement afresh (it binds parameters client-side, so nothing can
be prepared), which for the flag look-up cost six times its execution. This module is for the few
statements that run on every request of a national-scale path (the FHIR flag look-up, its bearer token
and its audit row; ADR 0029). Everything else uses the ORM.

- `prepared_cursor()`: a Django cursor (execute wrappers, query logging and error translation all apply)
  that binds parameters server-side, so psycopg prepares a statement once it has run `prepare_threshold`
  times on a connection (DATABASES OPTIONS, set from OSG_DB_PREPARE_THRESHOLD). The ORM's cursors stay
  client-side, so no other query changes. On SQLite it is the ordinary cursor.
- `select_columns` and `from_row`: several models' columns in one SELECT, and the instances back, with
  the converters the ORM applies (SQLite's dates and UUIDs), as QuerySet would make them.
- `insert(obj)`: INSERT one new instance as Model.save(force_insert=True) would (defaults, pre_save and
  post_save signals when anything listens, Field.pre_save, get_db_prep_save), with a cached statement.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import Any, TypeVar

from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connection, connections
from django.db.backends.utils import CursorWrapper
from django.db.models import AutoField, BigAutoField, Field, Model, SmallAutoField, signals

M = TypeVar("M", bound=Model)
_AUTO = (AutoField, BigAutoField, SmallAutoField)


@contextlib.contextmanager
def prepared_cursor() -> Iterator[CursorWrapper]:
    conn = connections[DEFAULT_DB_ALIAS]
    if conn.vendor != "postgresql":
        with conn.cursor() as cursor:
            yield cursor
        return
    import psycopg

    conn.close_if_health_check_failed()  # as connection.cursor() begins
    conn.ensure_connection()
    with conn.wrap_database_errors:
        raw = psycopg.Cursor(conn.connection)  # server-side binding: preparable
    # _prepare_cursor is what connection.cursor() does with its own: thread check and the debug wrapper.
    cursor = conn._prepare_cursor(raw)  # type: ignore[attr-defined]
    with cursor:
        yield cursor


def fetch_one_first(sql: str, params: Sequence[Any]) -> tuple[Any, ...] | None:
    """fetchone() of a read-only statement that is the first of a request, prepared.

    With CONN_HEALTH_CHECKS, Django begins each request's first query with a SELECT 1 round trip to see
    that the persistent connection still works; on the flag look-up that cost as much as the token read
    (benchmarks/flags_profile.py). Here the statement itself is the check: outside a transaction, if the
    connection turns out to be dead (the database restarted), it is closed and the read tried once more on a
    new one, which is what the health check would have done. Inside a transaction nothing is retried."""
    conn = connections[DEFAULT_DB_ALIAS]
    retry = conn.health_check_enabled and not conn.in_atomic_block and conn.connection is not None  # type: ignore[attr-defined]
    if retry:
        conn.health_check_done = True  # type: ignore[attr-defined]  # this statement checks it instead

    def read() -> tuple[Any, ...] | None:
        with prepared_cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()  # type: ignore[no-any-return]

    try:
        return read()
    except (OperationalError, InterfaceError):
        if not retry:
            raise
    conn.close()
    return read()


def select_columns(alias: str, model: type[Model]) -> str:
    """`alias.column, ...` for every concrete field, quoted, in field order (what from_row reads)."""
    q = connection.ops.quote_name
    return ", ".join(f"{alias}.{q(f.column)}" for f in model._meta.concrete_fields)


@lru_cache(maxsize=64)
def _converters(model: type[Model], vendor: str) -> tuple[tuple[str, tuple[Any, ...]], ...]:
    table = model._meta.db_table
    out = []
    for f in model._meta.concrete_fields:
        col = f.get_col(table)  # the backend's converters first, then the field's, as the SQL compiler orders them
        out.append((f.attname, (*connection.ops.get_db_converters(col), *col.get_db_converters(connection))))
    return tuple(out)


def from_row(model: type[M], row: Sequence[Any], start: int = 0) -> tuple[M, int]:
    """The instance whose columns (select_columns order) start at row[start], and where the next begin.
    A LEFT JOIN that matched nothing gives an instance whose pk is None."""
    conn = connections[DEFAULT_DB_ALIAS]  # once: each `connection.x` is a thread-local look-up
    fields = _converters(model, conn.vendor)
    values = list(row[start : start + len(fields)])
    for i, (_, converters) in enumerate(fields):
        for converter in converters:
            values[i] = converter(values[i], None, conn)
    return model.from_db(conn.alias, [name for name, _ in fields], values), start + len(fields)


def reference(model: type[M], pk: Any) -> M:
    """An instance with only its pk loaded, for a foreign key or an audit row that needs no more of it: any
    other field is deferred, so reading one loads it rather than giving a wrong value."""
    return model.from_db(connections[DEFAULT_DB_ALIAS].alias, [model._meta.pk.attname], [pk])


@lru_cache(maxsize=64)
def _insert_statement(model: type[Model], vendor: str) -> tuple[str, tuple[Field[Any, Any], ...], bool]:
    q = connection.ops.quote_name
    pk = model._meta.pk
    auto = isinstance(pk, _AUTO)
    fields = tuple(f for f in model._meta.concrete_fields if not (auto and f is pk))
    columns = ", ".join(q(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    returning = f" RETURNING {q(pk.column)}" if auto else ""
    sql = f"INSERT INTO {q(model._meta.db_table)} ({columns}) VALUES ({placeholders}){returning}"  # noqa: S608
    return sql, fields, auto


def insert_fields(model: type[Model]) -> tuple[Field[Any, Any], ...]:
    """The fields insert() writes, in its order: every concrete field but an auto pk."""
    return _insert_statement(model, connections[DEFAULT_DB_ALIAS].vendor)[1]


def values_for_insert(obj: Model) -> tuple[tuple[Field[Any, Any], ...], list[Any]]:
    """The fields (all concrete ones but an auto pk) and database values Model.save would insert for a new
    instance, pre_save signal and Field.pre_save applied. For insert(), and for a statement that inserts
    several related rows at once (flags.recording)."""
    model = type(obj)
    conn = connections[DEFAULT_DB_ALIAS]
    _, fields, _ = _insert_statement(model, conn.vendor)
    if signals.pre_save.has_listeners(model):
        signals.pre_save.send(sender=model, instance=obj, raw=False, using=conn.alias, update_fields=None)
    return fields, [f.get_db_prep_save(f.pre_save(obj, True), conn) for f in fields]


def saved(obj: M, pk: Any = None) -> M:
    """Mark a freshly inserted instance as saved (its pk from the database when given), post_save sent."""
    conn = connections[DEFAULT_DB_ALIAS]
    if pk is not None:
        obj.pk = pk
    obj._state.adding = False
    obj._state.db = conn.alias
    model = type(obj)
    if signals.post_save.has_listeners(model):
        signals.post_save.send(
            sender=model, instance=obj, created=True, raw=False, using=conn.alias, update_fields=None
        )
    return obj


def insert(obj: M) -> M:
    """Insert a new instance (its pk set from the database when it is an auto field) and return it."""
    conn = connections[DEFAULT_DB_ALIAS]
    if not conn.features.can_return_columns_from_insert:  # pragma: no cover - both our databases can
        obj.save(force_insert=True)
        return obj
    sql, _, auto = _insert_statement(type(obj), conn.vendor)
    _, params = values_for_insert(obj)
    with prepared_cursor() as cursor:
        cursor.execute(sql, params)
        pk = cursor.fetchone()[0] if auto else None
    return saved(obj, pk)
