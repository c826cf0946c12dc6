"""Views: see urls.py."""
from django.http import HttpRequest, HttpResponse


def search(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError
