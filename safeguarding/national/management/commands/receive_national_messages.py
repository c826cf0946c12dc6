"""Read access notifications and acknowledgements from the national service through the configured adapter.
Run it from the scheduler every minute; a message read twice changes nothing the second time."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from ...services import receive_pending


class Command(BaseCommand):
    help = "Process messages from the national service (through OSG_NATIONAL_ADAPTER)."

    def handle(self, *args: Any, **options: Any) -> None:
        result = receive_pending(now=timezone.now())
        rejected = result.rejected
        self.stdout.write(
            f"{len(result.processed) - len(rejected)} message(s) processed, {len(rejected)} refused, "
            f"{result.duplicates} already processed"
        )
        for message in rejected:
            self.stdout.write(f"refused {message.source}: {message.reason}")
