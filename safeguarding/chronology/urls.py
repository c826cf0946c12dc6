"""The chronology's pages. Not included by config/urls.py (the lead's file): safeguarding.voice.urls mounts
these patterns in the voice namespace, so their names are voice:chronology, voice:family-chronology, ..."""

from django.urls import path

from . import views

urlpatterns = [
    path("people/<uuid:public_id>/chronology/events", views.person_chronology, name="chronology"),
    path("people/<uuid:public_id>/chronology/family", views.family_chronology, name="family-chronology"),
    path("people/<uuid:public_id>/chronology/export.csv", views.chronology_csv, name="chronology-csv"),
    path("people/<uuid:public_id>/chronology/export.pdf", views.chronology_pdf, name="chronology-pdf"),
    path("people/<uuid:public_id>/chronology/reported/new", views.report_event, name="chronology-report"),
]
