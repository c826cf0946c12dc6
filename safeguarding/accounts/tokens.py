"""API bearer tokens: one per membership, only a SHA-256 of the secret is stored."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.db import transaction

from safeguarding.audit import services as audit
from safeguarding.audit.models import Channel

from .models import ApiToken, Membership
from .principal import Principal


class TokenRefused(Exception):
    """The token cannot be created or used; the message is safe to show."""


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def create_token(*, membership: Membership, name: str, now: dt.datetime) -> str:
    """Create a token and return it. It is shown once; only its hash is kept."""
    if not membership.is_current(now.date()) or not membership.user.is_active:
        raise TokenRefused("That membership is not current")
    prefix = secrets.token_hex(4)
    token = f"osg_{prefix}_{secrets.token_urlsafe(32)}"
    ApiToken.objects.create(membership=membership, name=name, prefix=prefix, token_hash=_digest(token), created_at=now)
    audit.record(
        principal=Principal(user=membership.user, membership=membership, channel=Channel.COMMAND),
        action="auth.token-created",
        at=now,
        object_type="api-token",
        object_id=prefix,
        details={"name": name},
    )
    return token


@transaction.atomic
def revoke_token(*, prefix: str, now: dt.datetime) -> ApiToken:
    token = ApiToken.objects.select_related("membership__user").filter(prefix=prefix, revoked_at__isnull=True).first()
    if token is None:
        raise TokenRefused(f"No active token starts osg_{prefix}")
    token.revoked_at = now
    token.save(update_fields=["revoked_at"])
    audit.record(
        principal=Principal(user=token.membership.user, membership=token.membership, channel=Channel.COMMAND),
        action="auth.token-revoked",
        at=now,
        object_type="api-token",
        object_id=prefix,
    )
    return token


def principal_for_token(
    token: str, *, now: dt.datetime, request_id: str = "", ip: str | None = None
) -> Principal | None:
    """The principal a bearer token acts as, or None if it is unknown, revoked or no longer current."""
    if not token.startswith("osg_") or len(token) > 200:
        return None
    found = (
        ApiToken.objects.select_related("membership__user", "membership__organisation", "membership__team")
        .filter(token_hash=_digest(token), revoked_at__isnull=True)
        .first()
    )
    if found is None:
        return None
    membership = found.membership
    if not membership.is_current(now.date()) or not membership.user.is_active:
        return None
    ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
    return Principal(
        user=membership.user, membership=membership, channel=Channel.API, request_id=request_id, ip_address=ip
    )
