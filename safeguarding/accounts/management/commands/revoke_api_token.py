"""Revoke an API bearer token by its prefix. It stops working on its next call. Audited."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from safeguarding.accounts.tokens import TokenRefused, prefix_of, revoke_token

from .create_api_token import operator


class Command(BaseCommand):
    help = "Revoke an API token, given its prefix (osg_1a2b3c4d, the bare prefix, or the whole token). Audited."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("prefix", help="the token's prefix: the 8 characters after osg_")

    def handle(self, *args: Any, prefix: str, **options: Any) -> None:
        bare = prefix_of(prefix)
        try:
            revoked = revoke_token(prefix=bare, operator=f"{operator()} (revoke_api_token)", now=timezone.now())
        except TokenRefused as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Revoked osg_{bare} ({revoked.membership.user.username}, {revoked.membership})")
