"""Due dates at the front door: working days without weekends and England bank holidays; local variations."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from safeguarding.frontdoor import rules
from safeguarding.standards.models import LocalStandard, Unit

LONDON = ZoneInfo("Europe/London")


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (at(2026, 12, 1, 9, 0), dt.date(2026, 12, 2)),  # Tuesday -> Wednesday
        (at(2026, 12, 4, 16, 30), dt.date(2026, 12, 7)),  # Friday -> Monday
        (at(2026, 12, 5, 11, 0), dt.date(2026, 12, 7)),  # Saturday -> Monday
        (at(2026, 12, 24, 15, 0), dt.date(2026, 12, 29)),  # Christmas Eve -> past Christmas and Boxing Day (observed)
        (at(2027, 3, 26, 10, 0), dt.date(2027, 3, 30)),  # Good Friday 2027 is 26 March, Easter Monday 29 March
    ],
)
def test_a_decision_is_due_one_working_day_after_receipt(world, received, due):
    assert rules.decision_due_on(world.la.pk, received) == due


def test_late_evening_receipt_counts_from_the_local_day(world):
    # 23:30 in London on Sunday 28 June 2026 is 22:30 UTC the same day; the next working day is Monday
    received = dt.datetime(2026, 6, 28, 22, 30, tzinfo=dt.UTC)
    assert rules.decision_due_on(world.la.pk, received) == dt.date(2026, 6, 29)


def test_an_authority_may_set_its_own_decision_standard(world):
    LocalStandard.objects.create(
        local_authority=world.la, code="CONTACT_DECISION", amount=2, unit=Unit.WORKING_DAYS, updated_at=at(2026, 1, 1)
    )
    assert rules.decision_due_on(world.la.pk, at(2026, 12, 24, 9)) == dt.date(2026, 12, 30)
    assert rules.decision_due_on(world.other_la.pk, at(2026, 12, 24, 9)) == dt.date(2026, 12, 29)


def test_information_is_due_four_hours_after_the_request_by_default(world):
    assert rules.information_due_at(world.la.pk, at(2026, 12, 1, 15, 0)) == at(2026, 12, 1, 19, 0)


def test_an_information_standard_in_working_days_is_due_at_the_end_of_the_day(world):
    LocalStandard.objects.create(
        local_authority=world.la,
        code="MASH_INFORMATION_REQUEST",
        amount=1,
        unit=Unit.WORKING_DAYS,
        updated_at=at(2026, 1, 1),
    )
    due = rules.information_due_at(world.la.pk, at(2026, 12, 24, 10, 0))
    assert due.astimezone(LONDON).date() == dt.date(2026, 12, 29)
    assert due.astimezone(LONDON).time() == dt.time(23, 59, 59)
