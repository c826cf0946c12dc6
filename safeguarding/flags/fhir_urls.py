from django.urls import path

from . import fhir

app_name = "fhir"
urlpatterns = [
    path("Flag", fhir.flag_search, name="flag-search"),
    path("metadata", fhir.metadata, name="metadata"),
]
