"""API tokens: created for a current membership, stored only as a hash, refused once revoked or no longer current."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.utils import timezone

from safeguarding.accounts.models import ApiToken, Membership
from safeguarding.accounts.tokens import (
    TOKEN_FORMAT,
    TokenRefused,
    create_token,
    principal_for_token,
    revoke_token,
)
from safeguarding.audit.models import AuditEvent

NOW = dt.datetime(2026, 6, 1, 10, 0, tzinfo=dt.UTC)


def new_token(user, now=NOW) -> str:
    return create_token(membership=user.memberships.get(), name="Partner system", operator="ops", now=now)


def test_it_returns_a_token_in_the_documented_shape_and_keeps_only_its_hash(world):
    token = new_token(world.allocated)
    stored = ApiToken.objects.get()
    assert TOKEN_FORMAT.match(token)
    assert token.startswith(f"osg_{stored.prefix}_")
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    secret = token.split("_", 2)[2]
    for value in (stored.prefix, stored.token_hash, stored.name):
        assert secret not in value
    assert stored.membership == world.allocated.memberships.get()


def test_it_makes_a_different_token_every_time(world):
    tokens = {new_token(world.allocated) for _ in range(5)}
    assert len(tokens) == 5
    assert ApiToken.objects.values("prefix").distinct().count() == 5


def test_it_acts_as_the_tokens_membership_over_the_api_channel_and_notes_the_use(world):
    token = new_token(world.manager)
    later = NOW + dt.timedelta(hours=3)
    principal = principal_for_token(token, now=later, request_id="req-1", ip="192.0.2.10")
    assert principal is not None
    assert principal.user == world.manager
    assert principal.membership == world.manager.memberships.get()
    assert (principal.channel, principal.request_id, principal.ip_address) == ("API", "req-1", "192.0.2.10")
    assert ApiToken.objects.get().last_used_at == later


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: "",
        lambda t: t[:-1],
        lambda t: t + "x",
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),
        lambda t: t.upper(),
        lambda t: t.replace("osg_", "sg_"),
        lambda t: f" {t}",
        lambda t: hashlib.sha256(t.encode()).hexdigest(),
        lambda t: "osg_" + "0" * 8 + "_" + "A" * 43,
    ],
    ids=[
        "empty",
        "truncated",
        "extended",
        "one-character-changed",
        "upper-case",
        "bad-scheme",
        "padded",
        "hash",
        "made-up",
    ],
)
def test_it_refuses_a_token_that_is_not_exactly_one_it_issued(world, mangle):
    token = new_token(world.allocated)
    assert principal_for_token(mangle(token), now=NOW) is None
    assert ApiToken.objects.get().last_used_at is None


def test_it_refuses_a_revoked_token_from_the_next_call(world):
    token = new_token(world.allocated)
    assert principal_for_token(token, now=NOW) is not None
    revoke_token(prefix=ApiToken.objects.get().prefix, operator="ops", now=NOW)
    assert principal_for_token(token, now=NOW + dt.timedelta(seconds=1)) is None


@pytest.mark.parametrize(
    "change",
    [
        {"ends_on": dt.date(2026, 5, 31)},
        {"is_active": False},
        {"starts_on": dt.date(2026, 6, 2)},
    ],
    ids=["membership-ended", "membership-inactive", "membership-not-started"],
)
def test_it_refuses_a_token_whose_membership_is_not_current(world, change):
    token = new_token(world.allocated, now=NOW - dt.timedelta(days=30))
    Membership.objects.filter(user=world.allocated).update(**change)
    assert principal_for_token(token, now=NOW) is None


def test_it_refuses_a_token_whose_user_is_deactivated(world):
    token = new_token(world.allocated)
    world.allocated.is_active = False
    world.allocated.save()
    assert principal_for_token(token, now=NOW) is None


def test_a_membership_ending_today_still_works_until_the_end_of_the_day(world):
    token = new_token(world.allocated)
    Membership.objects.filter(user=world.allocated).update(ends_on=timezone.localdate(NOW))
    assert principal_for_token(token, now=NOW) is not None


def test_it_will_not_create_a_token_for_a_membership_that_is_not_current(world):
    Membership.objects.filter(user=world.colleague).update(ends_on=dt.date(2026, 1, 1))
    with pytest.raises(TokenRefused, match="not current"):
        new_token(world.colleague)
    assert not ApiToken.objects.exists()
    assert not AuditEvent.objects.filter(action="auth.api-token-created").exists()


def test_it_will_not_create_a_token_with_an_over_long_name(world):
    with pytest.raises(TokenRefused, match="at most 100 characters"):
        create_token(membership=world.allocated.memberships.get(), name="x" * 101, operator="ops", now=NOW)
    assert not ApiToken.objects.exists()


def test_it_audits_creation_and_revocation_without_the_secret(world):
    token = new_token(world.health)
    prefix = ApiToken.objects.get().prefix
    revoke_token(prefix=prefix, operator="ops", now=NOW)
    events = list(AuditEvent.objects.filter(object_type="api-token").order_by("id"))
    assert [e.action for e in events] == ["auth.api-token-created", "auth.api-token-revoked"]
    membership = world.health.memberships.get()
    for event in events:
        assert event.channel == "COMMAND"
        assert event.object_id == prefix
        assert event.actor == world.health and event.membership == membership
        assert event.organisation == world.trust  # so the trust's auditors see it
        assert event.details["operator"] == "ops"
        assert event.details["membership"] == str(membership.public_id)
        assert token.split("_", 2)[2] not in str(event.details)


def test_it_will_not_revoke_an_unknown_or_already_revoked_token(world):
    new_token(world.allocated)
    prefix = ApiToken.objects.get().prefix
    revoke_token(prefix=prefix, operator="ops", now=NOW)
    with pytest.raises(TokenRefused, match=f"No active token starts osg_{prefix}"):
        revoke_token(prefix=prefix, operator="ops", now=NOW)
    with pytest.raises(TokenRefused, match="8 characters"):
        revoke_token(prefix="nonsense", operator="ops", now=NOW)
    assert AuditEvent.objects.filter(action="auth.api-token-revoked").count() == 1


def test_revoking_one_token_leaves_the_memberships_other_tokens_working(world):
    first = new_token(world.allocated)
    second = new_token(world.allocated)
    revoke_token(prefix=first.split("_")[1], operator="ops", now=NOW)
    assert principal_for_token(first, now=NOW) is None
    assert principal_for_token(second, now=NOW) is not None
