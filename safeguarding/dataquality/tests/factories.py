"""Children in scope for NHS-number matching: plans and looked-after periods written with the ORM."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from safeguarding.care.models import LookedAfterPeriod
from safeguarding.casework.models import ChildProtectionPlan, Episode
from safeguarding.casework.tests.factories import referral
from safeguarding.people.models import Person


def days_ago(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)


def on_plan(world: Any, person: Person, *, end: dt.date | None = None) -> ChildProtectionPlan:
    episode = Episode.objects.filter(person=person, closure_date__isnull=True).first()
    episode = episode or referral(world, person=person, ago=200)
    return ChildProtectionPlan.objects.create(
        episode=episode,
        start_date=days_ago(100),
        end_date=end,
        initial_category="NEG",
        latest_category="NEG",
        recorded_at=timezone.now(),
        recorded_by=world.manager,
    )


def looked_after(world: Any, person: Person, *, end: dt.date | None = None) -> LookedAfterPeriod:
    return LookedAfterPeriod.objects.create(
        person=person,
        local_authority=person.local_authority,
        legal_status="S20",
        start_date=days_ago(50),
        end_date=end,
        recorded_at=timezone.now(),
        recorded_by=world.manager,
    )


def without_nhs_number(person: Person, number: str = "") -> Person:
    Person.objects.filter(pk=person.pk).update(nhs_number=number)
    person.nhs_number = number
    return person
