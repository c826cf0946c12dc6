"""Generated data sets shared by the tests of one module (generated once, rolled back afterwards)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import transaction

from safeguarding.synthetic.generator import Summary, generate

AS_OF = dt.date(2026, 3, 31)
NOW = dt.datetime(2026, 3, 31, 18, 0, tzinfo=dt.UTC)


class _Rollback(Exception):
    pass


@contextmanager
def rolled_back() -> Iterator[None]:
    """Run a block in a transaction that is always rolled back."""
    try:
        with transaction.atomic():
            yield
            raise _Rollback
    except _Rollback:
        pass


def seed(children: int, *, seed: int = 11, local_authorities: int = 1) -> Summary:
    return generate(seed=seed, local_authorities=local_authorities, children=children, as_of=AS_OF, now=NOW)


@pytest.fixture(scope="module")
def two_thousand(django_db_setup, django_db_blocker) -> Iterator[Summary]:
    """One local area of 2,000 children, for the tests that look at proportions."""
    with django_db_blocker.unblock(), rolled_back():
        yield seed(2000)
