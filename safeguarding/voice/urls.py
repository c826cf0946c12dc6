from django.urls import path

from . import views

app_name = "voice"
urlpatterns = [
    path("people/<uuid:public_id>/voice", views.person_voice, name="person"),
    path("people/<uuid:public_id>/voice/new", views.voice_record, name="record"),
    path("people/<uuid:public_id>/visits/new", views.visit_record, name="visit-new"),
]
