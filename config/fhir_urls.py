"""The FHIR endpoints alone: what core.middleware.BearerOnlyMiddleware resolves /fhir/ against (config.urls
includes the same, so reverse() and the test client find them as before)."""

from django.urls import include, path

urlpatterns = [path("fhir/R4/", include("safeguarding.flags.fhir_urls"))]
