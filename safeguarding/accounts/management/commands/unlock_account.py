"""Unlock an account that django-axes locked after repeated failed sign-ins. Audited."""

from __future__ import annotations

import getpass
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from safeguarding.accounts import services


class Command(BaseCommand):
    help = "Unlock USERNAME after repeated failed sign-ins. The unlock is written to the audit log."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="The username that is locked out")

    def handle(self, *args: Any, username: str, **options: Any) -> None:
        operator = f"{_operator()} (unlock_account command)"
        cleared = services.unlock_account(username=username, operator=operator, now=timezone.now())
        if cleared:
            self.stdout.write(self.style.SUCCESS(f"Unlocked {username}: cleared {cleared} failed sign-in record(s)."))
        else:
            self.stdout.write(f"{username} had no failed sign-ins recorded; nothing to unlock. The check is audited.")


def _operator() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown operator"
