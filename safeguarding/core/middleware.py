from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestIdMiddleware:
    """Give every request an id (or keep a well-formed one from the proxy) for the audit trail."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-Id", "")
        request.request_id = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex  # type: ignore[attr-defined]
        response = self.get_response(request)
        response["X-Request-Id"] = request.request_id  # type: ignore[attr-defined]
        response.headers.pop("Server", None)
        return response


def client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


# What a JSON API answer needs of CSP (OWASP's REST Security Cheat Sheet): load nothing, be framed nowhere.
API_CSP = "default-src 'none'; frame-ancestors 'none'"


class BearerOnlyMiddleware:
    """Serve the paths in settings.BEARER_ONLY_URLCONFS without the middleware that follows this one.

    Those paths (the FHIR flag look-up) are called by machines with a bearer token and answer JSON: they
    never read a session, a cookie, a CSRF token or a signed-in user, and render no page, so sessions,
    CSRF, authentication, OTP, messages, axes, the session policy and the page CSP have nothing to do,
    yet cost half of a look-up's framework time (benchmarks/flags_profile.py, ADR 0029). The view is
    resolved from its own small URLconf and called here. The middleware above this one (security headers,
    request id) still runs; this sets the API's own fixed CSP and X-Frame-Options; and an exception becomes
    the same response it would anywhere (Django wraps each middleware)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        from django.conf import settings

        self.get_response = get_response
        self.routes = tuple(getattr(settings, "BEARER_ONLY_URLCONFS", {}).items())

    def __call__(self, request: HttpRequest) -> HttpResponse:
        for prefix, urlconf in self.routes:
            if request.path_info.startswith(prefix):
                from django.urls import resolve

                match = resolve(request.path_info, urlconf=urlconf)
                request.resolver_match = match
                response: HttpResponse = match.func(request, *match.args, **match.kwargs)
                response["Content-Security-Policy"] = API_CSP
                response["X-Frame-Options"] = "DENY"
                return response
        return self.get_response(request)
