"""Sign-in, MFA, role choice, sign-out and the lockout page.

The steps, each a page: sign in (password) -> MFA (TOTP; enrolment the first time) -> choose
role (only when the user has several current memberships) -> the page they asked for.
These pages live under /sign-*, which the session and principal middleware leave open, so
each view checks for itself that the earlier steps are done.
"""

from __future__ import annotations

import base64
import io
import time
from base64 import b32encode
from typing import Any, cast
from urllib.parse import urlencode

import django_otp
import segno
from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguarding.audit.models import Channel
from safeguarding.core.middleware import client_ip

from . import services
from .forms import SIGN_IN_FAILED, ChooseRoleForm, CodeForm, SignInForm
from .middleware import SESSION_MEMBERSHIP, SESSION_SIGNED_IN_AT
from .models import Membership, User
from .principal import Principal


def _principal(request: HttpRequest, membership: Membership | None = None) -> Principal:
    return Principal(
        user=cast(User, request.user),
        membership=membership,
        channel=Channel.WEB,
        request_id=getattr(request, "request_id", ""),
        ip_address=client_ip(request),
    )


def _attempt(request: HttpRequest, username: str) -> services.Attempt:
    return services.Attempt(
        username=username[:150], request_id=getattr(request, "request_id", ""), ip_address=client_ip(request)
    )


def _safe_next(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return candidate if allowed else ""


def _with_next(url_name: str, next_url: str) -> str:
    url = reverse(url_name)
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def _needs_mfa(user: Any) -> bool:
    return settings.MFA_REQUIRED or TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def _is_verified(user: Any) -> bool:
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


@never_cache
@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    form = SignInForm(request.POST if request.method == "POST" else None)
    next_url = _safe_next(request)
    if form.is_valid():
        username = form.cleaned_data["username"]
        user = authenticate(request, username=username, password=form.cleaned_data["password"])
        now = timezone.now()
        if user is None:  # wrong password, unknown user and locked account look the same here
            services.record_failed_sign_in(attempt=_attempt(request, username), now=now)
            form.add_error(None, SIGN_IN_FAILED)
        else:
            request.session.flush()  # a new session even if someone was signed in on this browser
            login(request, user)  # rotates the session key
            request.session[SESSION_SIGNED_IN_AT] = time.time()
            services.record_sign_in(principal=_principal(request), now=now)
            return redirect(_with_next("accounts:mfa" if _needs_mfa(user) else "accounts:choose-role", next_url))
    context = {
        "form": form,
        "next": next_url,
        "timed_out": request.GET.get("timeout") == "1",
        "mfa_required": settings.MFA_REQUIRED,
    }
    return render(request, "accounts/sign_in.html", context, status=422 if form.errors else 200)


def _enrolment(device: TOTPDevice) -> dict[str, str]:
    """The QR code (an SVG image as base64) and the secret in groups of four, for an unconfirmed device."""
    if device.confirmed:
        return {}
    buffer = io.BytesIO()
    segno.make(device.config_url, error="m").save(buffer, kind="svg", scale=5, border=4, xmldecl=False, dark="#0b0c0c")
    secret = b32encode(device.bin_key).decode("ascii")
    return {
        "qr_base64": base64.b64encode(buffer.getvalue()).decode("ascii"),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
    }


@never_cache
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def mfa(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    next_url = _safe_next(request)
    if _is_verified(request.user) or not _needs_mfa(request.user):
        return redirect(_with_next("accounts:choose-role", next_url))
    now = timezone.now()
    principal = _principal(request)
    device = TOTPDevice.objects.filter(user=principal.user, confirmed=True).order_by("id").first()
    device = device or services.start_totp_enrolment(principal=principal, now=now)
    form = CodeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            services.verify_mfa_code(principal=principal, device=device, code=form.cleaned_data["code"], now=now)
        except services.MfaCodeRefused as refusal:
            form.add_error("code", str(refusal))
        else:
            request.session.cycle_key()  # a new session key at the step up, as at sign-in
            django_otp.login(request, device)
            return redirect(_with_next("accounts:choose-role", next_url))
    context = {"form": form, "next": next_url, "enrolling": not device.confirmed, **_enrolment(device)}
    return render(request, "accounts/mfa.html", context, status=422 if form.errors else 200)


@never_cache
@require_http_methods(["GET", "POST"])
def choose_role(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    next_url = _safe_next(request)
    if _needs_mfa(request.user) and not _is_verified(request.user):
        return redirect(_with_next("accounts:mfa", next_url))
    now = timezone.now()
    memberships = services.current_memberships(cast(User, request.user), today=timezone.localdate(now))
    if not memberships:
        return render(request, "accounts/no_role.html")
    only = {"membership": str(memberships[0].public_id)} if len(memberships) == 1 else None
    form = ChooseRoleForm(request.POST if request.method == "POST" else only, memberships=memberships)
    if form.is_valid():
        try:
            membership = services.choose_membership(
                principal=_principal(request), membership_public_id=form.cleaned_data["membership"], now=now
            )
        except services.RoleChoiceRefused as refusal:
            form.add_error("membership", str(refusal))
        else:
            request.session[SESSION_MEMBERSHIP] = membership.id
            return redirect(next_url or settings.LOGIN_REDIRECT_URL)
    chosen = next((m for m in memberships if m.id == request.session.get(SESSION_MEMBERSHIP)), None)
    if chosen and not form.is_bound:
        form.initial = {"membership": str(chosen.public_id)}
    context = {"form": form, "next": next_url}
    return render(request, "accounts/choose_role.html", context, status=422 if form.errors else 200)


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        chosen_id = request.session.get(SESSION_MEMBERSHIP, 0)
        membership = Membership.objects.filter(user=request.user, id=int(chosen_id)).first()
        services.record_sign_out(principal=_principal(request, membership), now=timezone.now())
    logout(request)  # flushes the session server-side
    messages.success(request, "You have signed out")
    return redirect("accounts:sign-in")


def locked_out(
    request: HttpRequest, response: HttpResponse | None = None, credentials: dict[str, Any] | None = None
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the page shown instead of the sign-in page once an account is locked."""
    username = str((credentials or {}).get("username") or request.POST.get("username", ""))
    services.record_lockout(attempt=_attempt(request, username), now=timezone.now())
    cool_off = get_cool_off(request)
    minutes = round(cool_off.total_seconds() / 60) if cool_off else 0
    page = render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)
    if minutes:
        page["Retry-After"] = str(minutes * 60)
    return page
