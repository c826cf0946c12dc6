"""The chronology's pages: the child's events (filtered), the family view, exports, partner-reported events."""

from django.urls import path

from . import views

app_name = "chronology"
urlpatterns = [
    path("people/<uuid:public_id>/chronology/events", views.person_chronology, name="events"),
    path("people/<uuid:public_id>/chronology/family", views.family_chronology, name="family"),
    path("people/<uuid:public_id>/chronology/export.csv", views.chronology_csv, name="csv"),
    path("people/<uuid:public_id>/chronology/export.pdf", views.chronology_pdf, name="pdf"),
    path("people/<uuid:public_id>/chronology/reported/new", views.report_event, name="report"),
]
