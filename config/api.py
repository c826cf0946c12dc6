"""The JSON API root (django-ninja). Each app adds its router in its own api.py."""

from ninja import NinjaAPI

api = NinjaAPI(
    title="Open Safeguarding API",
    version="1",
    urls_namespace="api",
    docs_url=None,
)
