"""People pages. See people/urls.py for the routes this module serves."""

from django.http import HttpRequest, HttpResponse


def person_create(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise NotImplementedError


def person_edit(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise NotImplementedError


def address_add(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise NotImplementedError


def name_add(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise NotImplementedError


def relationship_add(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise NotImplementedError
