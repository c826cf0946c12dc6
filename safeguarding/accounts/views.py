from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def sign_in(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


def mfa(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


def choose_role(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


def sign_out(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


def locked_out(request: HttpRequest, credentials: dict | None = None, *args: object, **kwargs: object) -> HttpResponse:
    raise NotImplementedError
