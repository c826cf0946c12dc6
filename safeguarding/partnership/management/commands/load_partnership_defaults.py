"""Install or update the default accountable roles and training requirements (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from safeguarding.partnership import services


class Command(BaseCommand):
    help = "Install or update the default catalogue of accountable roles and training requirements."

    def handle(self, *args: Any, **options: Any) -> None:
        written = services.load_defaults(principal=None, now=timezone.now())
        self.stdout.write(f"{written} roles and requirements installed or updated")
