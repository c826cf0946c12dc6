from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from safeguarding.core.middleware import client_ip

from .models import Membership
from .principal import Principal

SESSION_SIGNED_IN_AT = "osg_signed_in_at"
SESSION_MEMBERSHIP = "osg_membership"

# Paths a signed-in user may reach before MFA and membership choice are complete.
_OPEN_PREFIXES = ("/static/", "/healthz", "/api/", "/fhir/")


def _is_open(path: str) -> bool:
    return path.startswith(_OPEN_PREFIXES) or path.startswith("/sign-")


class SessionPolicyMiddleware:
    """Absolute session timeout and MFA enforcement (idle timeout is SESSION_COOKIE_AGE)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            signed_in_at = request.session.get(SESSION_SIGNED_IN_AT, 0)
            if time.time() - signed_in_at > settings.SESSION_ABSOLUTE_TIMEOUT_SECONDS:
                logout(request)
                return redirect(f"{reverse('accounts:sign-in')}?timeout=1")
            if settings.MFA_REQUIRED and not user.is_verified() and not _is_open(request.path):  # type: ignore[attr-defined]
                return redirect(f"{reverse('accounts:mfa')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


class PrincipalMiddleware:
    """Attach request.principal: the user acting through their chosen, current membership.

    The membership is re-read on every request, so ending a membership or deactivating
    a user takes effect on the next request, not at session expiry.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.principal = None  # type: ignore[attr-defined]
        user = request.user
        if user.is_authenticated and not _is_open(request.path):
            today = timezone.localdate()
            current = [
                m
                for m in Membership.objects.filter(user=user, is_active=True).select_related("organisation", "team")
                if m.is_current(today)
            ]
            chosen_id = request.session.get(SESSION_MEMBERSHIP)
            chosen = next((m for m in current if m.id == chosen_id), None)
            if chosen is None and len(current) == 1:
                chosen = current[0]
                request.session[SESSION_MEMBERSHIP] = chosen.id
            if chosen is None and current and request.path != reverse("accounts:choose-role"):
                return redirect("accounts:choose-role")
            request.principal = Principal(  # type: ignore[attr-defined]
                user=user,  # type: ignore[arg-type]
                membership=chosen,
                channel="WEB",
                request_id=getattr(request, "request_id", ""),
                ip_address=client_ip(request),
            )
        return self.get_response(request)
