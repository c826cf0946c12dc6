"""API bearer tokens: each belongs to one membership, so the API acts in one role, as the web does.

A token reads `osg_<prefix>_<secret>`. The prefix (8 hex characters) names the token in the audit
log and in `revoke_api_token`; the secret is 32 random bytes (secrets.token_urlsafe). Only a SHA-256
of the whole token is stored, so a copy of the database does not hold working tokens. A token is
found by its hash (an indexed, exact lookup, so timing says nothing about how close a guess was) and
the stored hash is compared again with hmac.compare_digest.

A token stops working at once when it is revoked, when its membership ends or is made inactive, or
when its user is deactivated: they are checked on every call, as the web checks memberships on
every request.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from safeguarding.audit import services as audit
from safeguarding.audit.models import Channel
from safeguarding.core import rows
from safeguarding.organisations.models import Organisation

from .models import ApiToken, Membership, User
from .principal import Principal

TOKEN_FORMAT = re.compile(r"^osg_(?P<prefix>[0-9a-f]{8})_(?P<secret>[A-Za-z0-9_-]{43})$")
PREFIX_FORMAT = re.compile(r"^[0-9a-f]{8}$")
# last_used_at is written at most once a minute: an EPR's one token can make hundreds of calls a second,
# and an UPDATE of the same row on each would queue them behind its row lock (benchmarks/flags_load.py).
LAST_USED_PRECISION = dt.timedelta(minutes=1)


class TokenRefused(Exception):
    """The token cannot be created or revoked; the message is safe to show."""


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def prefix_of(text: str) -> str:
    """The prefix of a token, given the whole token, `osg_<prefix>` or the bare prefix."""
    return text.strip().removeprefix("osg_").split("_")[0]


def _is_usable(membership: Membership, *, now: dt.datetime) -> bool:
    return membership.is_current(timezone.localdate(now)) and membership.user.is_active


def _new_prefix() -> str:
    while True:
        prefix = secrets.token_hex(4)
        if not ApiToken.objects.filter(prefix=prefix).exists():
            return prefix


@transaction.atomic
def create_token(*, membership: Membership, name: str, operator: str, now: dt.datetime) -> str:
    """Create a token for `membership` and return it. It is shown once: only its hash is kept.

    `operator` says who ran the command (recorded in the audit row's details)."""
    if not _is_usable(membership, now=now):
        raise TokenRefused("That membership is not current, or its user is deactivated, so it cannot have a token")
    prefix = _new_prefix()
    token = f"osg_{prefix}_{secrets.token_urlsafe(32)}"
    api_token = ApiToken(
        membership=membership, name=name.strip(), prefix=prefix, token_hash=digest(token), created_at=now
    )
    try:
        api_token.full_clean()
    except ValidationError as exc:
        raise TokenRefused(" ".join(exc.messages)) from None
    api_token.save()
    audit.record(
        principal=Principal(user=membership.user, membership=membership, channel=Channel.COMMAND),
        action="auth.api-token-created",
        at=now,
        object_type="api-token",
        object_id=prefix,
        details={"name": api_token.name, "membership": str(membership.public_id), "operator": operator},
    )
    return token


@transaction.atomic
def revoke_token(*, prefix: str, operator: str, now: dt.datetime) -> ApiToken:
    """Revoke the active token with this prefix (it stops working on its next call)."""
    if not PREFIX_FORMAT.match(prefix):
        raise TokenRefused("A token prefix is the 8 characters after osg_, for example osg_1a2b3c4d")
    api_token = (
        ApiToken.objects.select_for_update()
        .select_related("membership__user", "membership__organisation")
        .filter(prefix=prefix, revoked_at__isnull=True)
        .first()
    )
    if api_token is None:
        raise TokenRefused(f"No active token starts osg_{prefix}")
    api_token.revoked_at = now
    api_token.save(update_fields=["revoked_at"])
    membership = api_token.membership
    audit.record(
        principal=Principal(user=membership.user, membership=membership, channel=Channel.COMMAND),
        action="auth.api-token-revoked",
        at=now,
        object_type="api-token",
        object_id=prefix,
        details={"name": api_token.name, "membership": str(membership.public_id), "operator": operator},
    )
    return api_token


@lru_cache(maxsize=4)
def _token_sql(vendor: str) -> str:
    """The token, its membership, user and organisation in one prepared statement (core.rows): a look-up's
    first statement on every call, so not compiled by the ORM each time (ADR 0029). The team is loaded
    only if something reads it."""
    q = connection.ops.quote_name
    parts = [("t", ApiToken), ("m", Membership), ("u", User), ("o", Organisation)]
    columns = ", ".join(rows.select_columns(alias, model) for alias, model in parts)
    token, membership, user, organisation = (q(model._meta.db_table) for _, model in parts)
    return (
        f"SELECT {columns} FROM {token} t"  # noqa: S608 - identifiers from the models, quoted; the hash a parameter
        f" INNER JOIN {membership} m ON m.id = t.membership_id INNER JOIN {user} u ON u.id = m.user_id"
        f" INNER JOIN {organisation} o ON o.id = m.organisation_id"
        " WHERE t.token_hash = %s AND t.revoked_at IS NULL"
    )


def _find(token_hash: str) -> ApiToken | None:
    row = rows.fetch_one_first(_token_sql(connection.vendor), [token_hash])  # the request's first statement
    if row is None:
        return None
    found, at = rows.from_row(ApiToken, row)
    membership, at = rows.from_row(Membership, row, at)
    membership.user, at = rows.from_row(User, row, at)
    membership.organisation, _ = rows.from_row(Organisation, row, at)
    found.membership = membership
    return found


def principal_for_token(
    token: str, *, now: dt.datetime, request_id: str = "", ip: str | None = None
) -> Principal | None:
    """The principal a bearer token acts as, or None if it is malformed, unknown, revoked or no longer current."""
    if not TOKEN_FORMAT.match(token):
        return None
    token_hash = digest(token)
    found = _find(token_hash)
    if found is None or not hmac.compare_digest(found.token_hash, token_hash):
        return None
    membership = found.membership
    if not _is_usable(membership, now=now):
        return None
    if found.last_used_at is None or now - found.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
    return Principal(
        user=membership.user, membership=membership, channel=Channel.API, request_id=request_id, ip_address=ip
    )
