from django.urls import path

from safeguarding.chronology import urls as chronology_urls

from . import views

app_name = "voice"
urlpatterns = [
    path("people/<uuid:public_id>/voice", views.person_voice, name="person"),
    path("people/<uuid:public_id>/voice/new", views.voice_record, name="record"),
    path("people/<uuid:public_id>/visits/new", views.visit_record, name="visit-new"),
    # The chronology app's pages are mounted here (names voice:chronology*): config/urls.py, which belongs
    # to the lead, does not include safeguarding.chronology.urls. See docs/adr/0014.
    *chronology_urls.urlpatterns,
]
