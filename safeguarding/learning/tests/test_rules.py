"""Due dates of the statutory steps: working days, England bank holidays, local variations."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from safeguarding.learning import rules
from safeguarding.learning.models import SeriousIncident
from safeguarding.standards.models import LocalStandard, Unit


def _incident(aware_on: dt.date) -> SeriousIncident:
    return SeriousIncident(aware_on=aware_on)


@pytest.mark.django_db
def test_notification_is_due_five_working_days_after_awareness_skipping_christmas(world):
    standards = rules.standards_for(world.la.id)
    # Thursday 21 December 2023: Fri 22, (Christmas, Boxing Day), Wed 27, Thu 28, Fri 29, (New Year's Day) Tue 2 Jan.
    assert rules.notification_due(_incident(dt.date(2023, 12, 21)), standards) == dt.date(2024, 1, 2)


@pytest.mark.django_db
def test_rapid_review_is_due_fifteen_working_days_after_awareness_skipping_easter(world):
    standards = rules.standards_for(world.la.id)
    # Monday 25 March 2024; Good Friday 29 March and Easter Monday 1 April are not working days.
    assert rules.rapid_review_due(_incident(dt.date(2024, 3, 25)), standards) == dt.date(2024, 4, 17)


@pytest.mark.django_db
def test_a_weekend_awareness_starts_the_clock_on_the_next_working_day(world):
    standards = rules.standards_for(world.la.id)
    assert rules.notification_due(_incident(dt.date(2024, 6, 8)), standards) == dt.date(2024, 6, 14)


@pytest.mark.django_db
def test_a_local_variation_changes_the_due_date(world):
    LocalStandard.objects.create(
        local_authority=world.la, code="RAPID_REVIEW", amount=10, unit=Unit.WORKING_DAYS, updated_at=timezone.now()
    )
    standards = rules.standards_for(world.la.id)
    assert standards.rapid_review.is_local_variation
    assert rules.rapid_review_due(_incident(dt.date(2024, 3, 25)), standards) == dt.date(2024, 4, 10)
    # The other authority keeps the national default.
    assert rules.rapid_review_due(_incident(dt.date(2024, 3, 25)), rules.standards_for(world.other_la.id)) == (
        dt.date(2024, 4, 17)
    )


@pytest.mark.django_db
def test_the_next_step_is_overdue_after_its_due_date(world):
    standards = rules.standards_for(world.la.id)
    incident = _incident(dt.date(2024, 6, 3))  # Monday: notification due Monday 10 June
    assert rules.next_step(incident, standards, dt.date(2024, 6, 10)).overdue is False
    step = rules.next_step(incident, standards, dt.date(2024, 6, 11))
    assert (step.label, step.due_on, step.overdue) == ("Notify the national panel", dt.date(2024, 6, 10), True)
