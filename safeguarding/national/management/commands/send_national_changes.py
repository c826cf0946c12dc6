"""Send waiting flag changes to the national service through the configured adapter. The scheduler runs it
every minute: it catches up whatever the task runner has not sent, and retries failures, in order."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from ...services import queue_every_flag, send_pending


class Command(BaseCommand):
    help = "Send waiting child protection flag changes to the national service (through OSG_NATIONAL_ADAPTER)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--queue-every-flag",
            action="store_true",
            help="first queue every flag held, as it is now (the first upload, or a repair after bulk writes)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["queue_every_flag"]:
            queued = queue_every_flag(operator="manage.py send_national_changes --queue-every-flag", now=timezone.now())
            self.stdout.write(f"{queued} flag(s) queued")
        result = send_pending(now=timezone.now())
        if result.disabled:
            self.stdout.write("The national connector is disabled: nothing sent; changes wait in the outbox.")
            return
        self.stdout.write(f"{result.changes} change(s) sent in {result.batches} message(s)")
        if result.failures:
            raise CommandError("Sending failed, to be retried on the next run: " + "; ".join(result.failures))
