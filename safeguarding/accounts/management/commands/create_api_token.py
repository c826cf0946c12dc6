"""Create an API bearer token for one of a user's memberships and print it, once. Audited."""

from __future__ import annotations

import datetime as dt
import getpass
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from safeguarding.accounts.models import Membership, User
from safeguarding.accounts.tokens import TokenRefused, create_token


class Command(BaseCommand):
    help = (
        "Create an API bearer token that acts as USER through one of their memberships, and print it once. "
        "Only a hash is kept: store the token now. Creation is written to the audit log."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", required=True, help="the username the token acts as")
        parser.add_argument("--membership", default="", help="the membership's public id, when the user has several")
        parser.add_argument("--name", default="", help="what the token is for, e.g. the partner system's name")

    def handle(self, *args: Any, user: str, membership: str, name: str, **options: Any) -> None:
        now = timezone.now()
        chosen = _choose_membership(_user(user), membership, now=now)
        try:
            token = create_token(membership=chosen, name=name, operator=f"{operator()} (create_api_token)", now=now)
        except TokenRefused as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(token)
        self.stderr.write(f"Token for {chosen.user.username} as {chosen}. It will not be shown again.")


def _user(username: str) -> User:
    found = User.objects.filter(username=username).first()
    if found is None:
        raise CommandError(f"There is no user called {username}")
    if not found.is_active:
        raise CommandError(f"{username} is deactivated, so cannot have an API token")
    return found


def _choose_membership(user: User, public_id: str, *, now: dt.datetime) -> Membership:
    today = timezone.localdate(now)
    current = [m for m in user.memberships.select_related("organisation", "team") if m.is_current(today)]
    if public_id:
        chosen = next((m for m in current if str(m.public_id) == public_id.strip()), None)
        if chosen is None:
            raise CommandError(f"{user.username} has no current membership {public_id}\n{_listing(current)}")
        return chosen
    if not current:
        raise CommandError(f"{user.username} has no current membership, so cannot have an API token")
    if len(current) > 1:
        raise CommandError(
            f"{user.username} has several memberships; choose one with --membership:\n{_listing(current)}"
        )
    return current[0]


def _listing(memberships: list[Membership]) -> str:
    if not memberships:
        return "They have no current memberships."
    return "\n".join(f"  {m.public_id}  {m} ({m.organisation.name})" for m in memberships)


def operator() -> str:
    """Who ran the command, as the operating system knows them."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown operator"
