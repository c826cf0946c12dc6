"""People pages. See people/urls.py for the routes this module serves."""

from django.http import HttpRequest, HttpResponse


def person_merge(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise NotImplementedError
