from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from safeguarding.accounts.models import Membership, User
from safeguarding.accounts.tokens import TokenRefused, create_token


class Command(BaseCommand):
    help = "Create an API bearer token for one of a user's memberships and print it (once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", required=True, help="username")
        parser.add_argument("--membership", help="public id of the membership, when the user has several")
        parser.add_argument("--name", default="", help="what the token is for")

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"No user called {options['user']}")
        current = [m for m in user.memberships.select_related("organisation", "team") if m.is_current(now.date())]
        if options["membership"]:
            current = [m for m in current if str(m.public_id) == options["membership"]]
        if not current:
            raise CommandError(f"{user.username} has no current membership, so cannot have an API token")
        if len(current) > 1:
            listing = "\n".join(f"  {m.public_id}  {m}" for m in current)
            raise CommandError(f"{user.username} has several memberships; choose one with --membership:\n{listing}")
        membership: Membership = current[0]
        try:
            token = create_token(membership=membership, name=options["name"], now=now)
        except TokenRefused as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(token)
