"""Deliver every pending access notification: run it from the scheduler every minute, so nothing is lost
when the task runner is down. Safe to run beside the task runner: each row is delivered once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from ...services import deliver


class Command(BaseCommand):
    help = "Deliver access notifications that have not been delivered yet."

    def handle(self, *args: Any, **options: Any) -> None:
        total = 0
        while batch := deliver(now=timezone.now()):
            total += batch
        self.stdout.write(f"{total} notification(s) delivered")
