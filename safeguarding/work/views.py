from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def my_work(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError
