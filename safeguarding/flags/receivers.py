"""Keep flags in step with the record. Connected in FlagsConfig.ready(), so casework, care and people
never import flags. post_save runs inside the writer's transaction: the flag commits (or rolls back)
with the plan or period that caused it."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from safeguarding.care.models import LookedAfterPeriod
from safeguarding.casework.models import ChildProtectionPlan
from safeguarding.people.models import Person

from . import derive


def sync_person(person: Person, *, now: Any) -> None:
    with transaction.atomic():  # joins the writer's transaction; its own only if the writer had none
        derive.sync_person(person, now=now)


def plan_saved(sender: Any, instance: ChildProtectionPlan, raw: bool = False, **kwargs: Any) -> None:
    if raw:  # loading fixtures: rebuild_flags derives them afterwards
        return
    person = Person.objects.select_related("pregnant_person").get(episodes__cp_plans=instance)
    sync_person(person, now=timezone.now())


def period_saved(sender: Any, instance: LookedAfterPeriod, raw: bool = False, **kwargs: Any) -> None:
    if raw:
        return
    sync_person(instance.person, now=timezone.now())


def person_saved(sender: Any, instance: Person, raw: bool = False, **kwargs: Any) -> None:
    """A changed NHS number (the child's, or a pregnant person's for an unborn child's plan) moves the flag."""
    if raw:
        return
    subjects = (
        Person.objects.select_related("pregnant_person")
        .filter(Q(pk=instance.pk) | Q(pregnant_person=instance))
        .filter(Q(episodes__cp_plans__isnull=False) | Q(looked_after_periods__isnull=False))
        .distinct()
    )
    for person in subjects:
        sync_person(person, now=timezone.now())
