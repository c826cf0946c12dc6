from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from safeguarding.accounts.tokens import TokenRefused, revoke_token


class Command(BaseCommand):
    help = "Revoke an API token by its prefix (the part after osg_)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("prefix")

    def handle(self, *args: Any, **options: Any) -> None:
        prefix = options["prefix"].removeprefix("osg_").split("_")[0]
        try:
            revoke_token(prefix=prefix, now=timezone.now())
        except TokenRefused as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Revoked osg_{prefix}")
