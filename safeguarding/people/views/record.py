"""People pages. See people/urls.py for the routes this module serves."""

from django.http import HttpRequest, HttpResponse


def person_detail(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise NotImplementedError


def person_chronology(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise NotImplementedError


def person_access_log(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise NotImplementedError


def person_genogram_svg(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise NotImplementedError
