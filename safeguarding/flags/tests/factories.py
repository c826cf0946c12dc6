"""Plans, periods and look-ups for the flag tests. Plans are written with the ORM (the receivers react to
any save); test_flags.py also drives one through the casework services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from safeguarding.casework.models import ChildProtectionPlan, Episode
from safeguarding.casework.tests.factories import referral
from safeguarding.flags import services
from safeguarding.flags.models import Flag, LocalAuthorityContact, Notification
from safeguarding.people.models import Person
from tests import factories as f

OFFICE = "01632 960 001"
OUT_OF_HOURS = "01632 960 999"


def days_ago(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)


def episode_for(world: Any, person: Person) -> Episode:
    found = Episode.objects.filter(person=person, closure_date__isnull=True).first()
    return found or referral(world, person=person, ago=200)


def make_plan(world: Any, person: Person, *, start: dt.date, end: dt.date | None = None) -> ChildProtectionPlan:
    return ChildProtectionPlan.objects.create(
        episode=episode_for(world, person),
        start_date=start,
        end_date=end,
        initial_category="NEG",
        latest_category="NEG",
        recorded_at=timezone.now(),
        recorded_by=world.manager,
    )


def contact(world: Any) -> LocalAuthorityContact:
    found, _ = LocalAuthorityContact.objects.get_or_create(
        local_authority=world.la,
        defaults={
            "office_hours_phone": OFFICE,
            "out_of_hours_phone": OUT_OF_HOURS,
            "notification_email": "cp-notifications@northbridge.invalid",
        },
    )
    return found


def notification_for(world: Any, person: Person) -> Notification:
    """A delivered notification: a plan for `person`, looked up from unscheduled care (health_other)."""
    contact(world)
    if not Flag.objects.filter(person=person).exists():
        make_plan(world, person, start=days_ago(30))
    services.look_up(principal=f.principal_for(world.health_other), nhs_number=person.nhs_number, now=timezone.now())
    services.deliver(now=timezone.now())
    return Notification.objects.filter(person=person).latest("created_at")
