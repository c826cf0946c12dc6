"""The JSON API root (django-ninja) under /api/v1/: bearer-token auth and one JSON shape for every error.

Every operation needs a bearer token (see safeguarding.accounts.tokens) except the OpenAPI document at
/api/v1/openapi.json. Every error, including a wrong method (405), an unknown path (404) and a crash
(500, without a stack trace), is JSON:

    {"error": {"code": "not-found", "message": "No such record", "details": []}}

Validation errors (422) list each problem in `details` as {"field", "location", "message"}. CSRF does
not apply: nothing here reads a session cookie, so a browser cannot be tricked into sending a token.
Responses are never cached (they hold personal data). See ADR 0008.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.urls import URLPattern, URLResolver, re_path
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer

from safeguarding.access import queries
from safeguarding.accounts.principal import Principal
from safeguarding.accounts.tokens import principal_for_token
from safeguarding.core.middleware import client_ip

log = logging.getLogger("safeguarding.api")

ERROR_CODES = {
    400: "bad-request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    422: "invalid",
    429: "too-many-requests",
    500: "server-error",
}
View = Callable[..., HttpResponseBase]


class BearerToken(HttpBearer):
    """`Authorization: Bearer osg_<prefix>_<secret>`, acting as the token's membership (channel API)."""

    openapi_description = "A token from `manage.py create_api_token --user USERNAME`, tied to one membership."

    def authenticate(self, request: HttpRequest, token: str) -> Principal | None:
        return principal_for_token(
            token, now=timezone.now(), request_id=getattr(request, "request_id", ""), ip=client_ip(request)
        )


def _get_only(view: View) -> View:
    """The OpenAPI document answers GET (and HEAD) only, and a wrong method gets a JSON 405, not a CSRF page."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.method not in ("GET", "HEAD"):
            return error(request, 405, "Use GET", Allow="GET, HEAD")
        return view(request, *args, **kwargs)

    return csrf_exempt(wrapped)


class SafeguardingAPI(NinjaAPI):
    """A NinjaAPI whose every answer is JSON and uncached: also a wrong method and an unknown path.

    ninja answers those itself (a plain-text 405, Django's HTML 404), outside the exception
    handlers, so each URL's view is wrapped and a JSON catch-all is added after the operations."""

    def _get_urls(self) -> list[URLResolver | URLPattern]:
        urls = super()._get_urls()
        for entry in urls:
            if isinstance(entry, URLPattern):
                entry.callback = _json_always(entry.callback)
        urls.append(re_path(r"^.*$", _json_always(unknown_path), name="unknown"))
        return urls


def _json_always(view: View) -> View:
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            response = error(request, 404, "There is nothing at this address")
        if response.status_code == 405 and not response.get("Content-Type", "").startswith("application/json"):
            response = error(request, 405, f"Use {response['Allow']}", Allow=response["Allow"])
        add_never_cache_headers(response)
        return response

    return wrapped


@csrf_exempt
def unknown_path(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    return error(request, 404, "There is nothing at this address")


api = SafeguardingAPI(
    title="Open Safeguarding API",
    version="1",
    urls_namespace="api",
    docs_url=None,
    docs_decorator=_get_only,
    auth=BearerToken(),
    description=(
        "Person search and read under the same need-to-know rules and audit as the web pages. "
        "Authenticate with `Authorization: Bearer <token>`. Every error is JSON: "
        '`{"error": {"code": ..., "message": ..., "details": [...]}}`.'
    ),
)


def error(
    request: HttpRequest, status: int, message: str, details: list[dict[str, Any]] | None = None, **headers: str
) -> HttpResponse:
    body = {"error": {"code": ERROR_CODES.get(status, "error"), "message": message, "details": details or []}}
    response = api.create_response(request, body, status=status)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    given = bool(request.headers.get("Authorization"))
    challenge = 'Bearer error="invalid_token"' if given else "Bearer"
    message = "The bearer token is not valid, or no longer is" if given else "Send a bearer token"
    return error(request, 401, message, WWW_Authenticate=challenge)


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    details = [_problem(e) for e in exc.errors]
    message = details[0]["message"] if len(details) == 1 else "The request is not valid: see details"
    return error(request, 422, message, details)


def _problem(e: dict[str, Any]) -> dict[str, Any]:
    """One problem: where (query, path...), which field ("" for the request as a whole) and what is wrong."""
    loc = [str(part) for part in e.get("loc", [])]
    return {"field": ".".join(loc[1:]), "location": loc[0] if loc else "", "message": e.get("msg", "")}


@api.exception_handler(queries.Refused)
def refused(request: HttpRequest, exc: queries.Refused) -> HttpResponse:
    """A refusal an operation did not answer itself: audit it, then 404 (no existence leak) or 403."""
    queries.record_refusal(exc, now=timezone.now())
    if exc.public_id and not exc.visible:
        return error(request, 404, "No such record")
    return error(request, 403, str(exc))


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
    return error(request, 403, "You may not do this")


@api.exception_handler(SuspiciousOperation)
def bad_request(request: HttpRequest, exc: Exception) -> HttpResponse:
    return error(request, 400, "The request is not valid")


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return error(request, 404, "No such record")


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return error(request, exc.status_code, str(exc))


@api.exception_handler(Exception)
def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    log.exception("API error %s %s (request %s)", request.method, request.path, getattr(request, "request_id", ""))
    return error(
        request, 500, "Something went wrong; nothing was changed. Quote the X-Request-Id header if you report it"
    )


from safeguarding.dataquality.api import router as dataquality_router  # noqa: E402 - routers need `api` defined
from safeguarding.people.api import router as people_router  # noqa: E402 - routers need `api` defined

api.add_router("/", people_router)
api.add_router("/", dataquality_router)
