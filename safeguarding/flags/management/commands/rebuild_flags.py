"""Derive every flag from the record (idempotent): after a data load, or to check the receivers missed nothing."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from safeguarding.people.models import Person

from ...derive import sync_person
from ...models import Flag


class Command(BaseCommand):
    help = "Derive all child protection flags from plans and looked-after periods (safe to run again)."

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        flagged = Flag.objects.values("person_id")
        people = (
            Person.objects.select_related("pregnant_person")
            .filter(Q(episodes__cp_plans__isnull=False) | Q(looked_after_periods__isnull=False) | Q(pk__in=flagged))
            .distinct()
            .order_by("pk")
        )
        changed = 0
        for person in people.iterator(chunk_size=500):
            with transaction.atomic():
                changed += sync_person(person, now=now)
        self.stdout.write(f"{changed} flag(s) created, changed or withdrawn; {Flag.objects.count()} flag(s) held")
