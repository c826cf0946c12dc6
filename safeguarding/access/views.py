"""Access pages: break-glass, restriction and named access. See access/urls.py."""

from django.http import HttpRequest, HttpResponse


def break_glass(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise NotImplementedError


def restrict(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise NotImplementedError


def named_access(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise NotImplementedError
