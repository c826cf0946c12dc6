"""Send waiting flag changes to the national service through the configured adapter. The scheduler runs it
every minute: it catches up whatever the task runner has not sent, and retries failures, in order."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ...services import send_pending


class Command(BaseCommand):
    help = "Send waiting child protection flag changes to the national service (through OSG_NATIONAL_ADAPTER)."

    def handle(self, *args: Any, **options: Any) -> None:
        result = send_pending(now=timezone.now())
        if result.disabled:
            self.stdout.write("The national connector is disabled: nothing sent; changes wait in the outbox.")
            return
        self.stdout.write(f"{result.changes} change(s) sent in {result.batches} message(s)")
        if result.failures:
            raise CommandError("Sending failed, to be retried on the next run: " + "; ".join(result.failures))
