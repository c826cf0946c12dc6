"""Writes for signing in and out: audit rows for every authentication event, MFA devices, role choice.

Each function writes its audit row in the same transaction as any change it makes.
Two functions (verify_mfa_code, choose_membership) record a failure and then raise: the
failure row (and django-otp's throttling counter) must commit even though the attempt
failed, so they commit their own transaction first and must not be called inside an
outer atomic block.

Passwords never reach this module.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from typing import TYPE_CHECKING

from axes.utils import reset as axes_reset
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguarding.audit import services as audit
from safeguarding.audit.models import Channel, Outcome

from .models import Membership, User

if TYPE_CHECKING:
    from .principal import Principal

DEVICE_NAME = "Authenticator app"


class MfaCodeRefused(Exception):
    """The code was wrong, or too many wrong codes were tried; the message is safe to show."""


class RoleChoiceRefused(Exception):
    """The membership chosen is not one of the user's current memberships; the message is safe to show."""


@dataclasses.dataclass(frozen=True)
class Attempt:
    """Where an anonymous attempt came from, for the audit row."""

    username: str
    request_id: str = ""
    ip_address: str | None = None


@transaction.atomic
def record_sign_in(*, principal: Principal, now: dt.datetime) -> None:
    audit.record(
        principal=principal, action="auth.sign-in", at=now, object_type="user", object_id=str(principal.user.public_id)
    )


@transaction.atomic
def record_failed_sign_in(*, attempt: Attempt, now: dt.datetime) -> None:
    """Wrong password and unknown username are recorded alike: the username tried, no user link."""
    audit.record(
        principal=None,
        action="auth.sign-in",
        at=now,
        outcome=Outcome.FAILED,
        actor_name=attempt.username,
        channel=Channel.WEB,
        request_id=attempt.request_id,
        ip_address=attempt.ip_address,
    )


@transaction.atomic
def record_lockout(*, attempt: Attempt, now: dt.datetime) -> None:
    audit.record(
        principal=None,
        action="auth.locked-out",
        at=now,
        outcome=Outcome.DENIED,
        actor_name=attempt.username,
        channel=Channel.WEB,
        request_id=attempt.request_id,
        ip_address=attempt.ip_address,
        details={"failure_limit": settings.AXES_FAILURE_LIMIT},
    )


@transaction.atomic
def record_sign_out(*, principal: Principal, now: dt.datetime) -> None:
    audit.record(
        principal=principal, action="auth.sign-out", at=now, object_type="user", object_id=str(principal.user.public_id)
    )


@transaction.atomic
def unlock_account(*, username: str, operator: str, now: dt.datetime) -> int:
    """Clear the failed sign-ins that lock USERNAME; returns how many attempt records were removed."""
    cleared = axes_reset(username=username)
    user = User.objects.filter(username=username).first()
    audit.record(
        principal=None,
        action="auth.unlocked",
        at=now,
        channel=Channel.COMMAND,
        actor_name=operator,
        object_type="user",
        object_id=str(user.public_id) if user else "",
        details={"username": username, "attempts_cleared": cleared},
    )
    return cleared


@transaction.atomic
def start_totp_enrolment(*, principal: Principal, now: dt.datetime) -> TOTPDevice:
    """The user's unconfirmed authenticator device, created (and audited) the first time."""
    device = TOTPDevice.objects.filter(user=principal.user, confirmed=False).order_by("-id").first()
    if device is None:
        device = TOTPDevice(user=principal.user, name=DEVICE_NAME, confirmed=False)
        device.full_clean()
        device.save()
        audit.record(
            principal=principal,
            action="auth.mfa-enrolment-started",
            at=now,
            object_type="user",
            object_id=str(principal.user.public_id),
        )
    return device


def verify_mfa_code(*, principal: Principal, device: TOTPDevice, code: str, now: dt.datetime) -> TOTPDevice:
    """Check a code against the user's device; confirms an enrolling device. Raises MfaCodeRefused."""
    refusal = _check_code(principal=principal, device_id=device.pk, code=code, now=now)
    if refusal:
        raise MfaCodeRefused(refusal)
    device.refresh_from_db()
    return device


@transaction.atomic
def _check_code(*, principal: Principal, device_id: int, code: str, now: dt.datetime) -> str:
    device = TOTPDevice.objects.select_for_update().get(pk=device_id, user=principal.user)
    enrolling = not device.confirmed
    allowed, throttle = device.verify_is_allowed()
    if not allowed:
        wait = math.ceil(((throttle or {}).get("locked_until", now) - timezone.now()).total_seconds())
        refusal = f"You have entered too many incorrect codes. Wait {max(wait, 1)} seconds, then try again"
        reason = "throttled"
    elif device.verify_token(code):
        refusal, reason = "", ""
        if enrolling:
            device.confirmed = True
            device.full_clean()
            device.save(update_fields=["confirmed"])
    else:
        refusal = "The code is not correct. Enter the newest code shown in your authenticator app"
        reason = "wrong-code"
    audit.record(
        principal=principal,
        action="auth.mfa",
        at=now,
        outcome=Outcome.FAILED if refusal else Outcome.ALLOWED,
        object_type="user",
        object_id=str(principal.user.public_id),
        details={"enrolment": enrolling, **({"reason": reason} if reason else {})},
    )
    return refusal


def current_memberships(user: User, *, today: dt.date) -> list[Membership]:
    queryset = Membership.objects.filter(user=user, is_active=True).select_related("organisation", "team")
    return [m for m in queryset if m.is_current(today)]


def choose_membership(*, principal: Principal, membership_public_id: object, now: dt.datetime) -> Membership:
    """The membership the user will act through. Raises RoleChoiceRefused (audited) if it is not theirs."""
    membership = _choose(principal=principal, membership_public_id=str(membership_public_id), now=now)
    if membership is None:
        raise RoleChoiceRefused("Select one of your roles")
    return membership


@transaction.atomic
def _choose(*, principal: Principal, membership_public_id: str, now: dt.datetime) -> Membership | None:
    today = timezone.localdate(now)
    chosen = next(
        (m for m in current_memberships(principal.user, today=today) if str(m.public_id) == membership_public_id), None
    )
    acting = principal if chosen is None else dataclasses.replace(principal, membership=chosen)
    audit.record(
        principal=acting,
        action="auth.role-chosen",
        at=now,
        object_type="membership",
        object_id=membership_public_id[:80],
        outcome=Outcome.DENIED if chosen is None else Outcome.ALLOWED,
        basis="" if chosen else "not-a-current-membership",
    )
    return chosen
