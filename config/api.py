"""The JSON API root (django-ninja): bearer-token auth and one JSON shape for every error.

Errors are {"error": {"code": ..., "message": ..., "details": [...]}} (ADR 0008).
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer

from safeguarding.access import queries
from safeguarding.accounts.principal import Principal
from safeguarding.accounts.tokens import principal_for_token
from safeguarding.core.middleware import client_ip


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Principal | None:
        principal = principal_for_token(
            token, now=timezone.now(), request_id=getattr(request, "request_id", ""), ip=client_ip(request)
        )
        if principal is not None:
            request.principal = principal  # type: ignore[attr-defined]
        return principal


api = NinjaAPI(
    title="Open Safeguarding API",
    version="1",
    urls_namespace="api",
    docs_url=None,
    auth=BearerToken(),
    description="Person search and read under the same need-to-know rules and audit as the web pages.",
)


def error(
    request: HttpRequest, status: int, code: str, message: str, details: list[Any] | None = None, **headers: str
) -> HttpResponse:
    response = api.create_response(
        request, {"error": {"code": code, "message": message, "details": details or []}}, status=status
    )
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: Exception) -> HttpResponse:
    return error(request, 401, "unauthenticated", "Send a valid bearer token", WWW_Authenticate="Bearer")


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    details = [
        {"field": ".".join(str(p) for p in e.get("loc", [])[1:]), "message": e.get("msg", "")} for e in exc.errors
    ]
    return error(request, 422, "invalid", "The request is not valid", details)


@api.exception_handler(queries.Refused)
def refused(request: HttpRequest, exc: queries.Refused) -> HttpResponse:
    queries.record_refusal(exc, now=timezone.now())
    if exc.public_id and not exc.visible:
        return error(request, 404, "not-found", "No such record")
    return error(request, 403, "forbidden", str(exc))


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return error(request, 404, "not-found", "No such record")


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return error(request, exc.status_code, "error", str(exc))


@api.exception_handler(Exception)
def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    return error(request, 500, "server-error", "Something went wrong; nothing was changed")


from safeguarding.people.api import router as people_router  # noqa: E402 - routers need `api` defined

api.add_router("/", people_router)
