"""Helpers for the sign-in tests: drive the real pages, as a browser would."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguarding.accounts.models import User
from safeguarding.audit.models import AuditEvent

PASSWORD = "correct horse battery staple"  # tests/factories.make_user sets this for every user
SIGN_IN = reverse("accounts:sign-in")
MFA = reverse("accounts:mfa")
CHOOSE_ROLE = reverse("accounts:choose-role")
SIGN_OUT = reverse("accounts:sign-out")


def post_sign_in(client: Any, username: str, password: str = PASSWORD, **extra: Any) -> Any:
    return client.post(SIGN_IN, {"username": username, "password": password, **extra})


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def confirmed_device(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def events(action: str, **filters: Any) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action, **filters).order_by("id"))
