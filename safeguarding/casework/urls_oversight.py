"""Management oversight of one episode (casework.views_oversight). The team's caseload is work:team."""

from django.urls import path

from . import views_oversight as views

app_name = "oversight"
_EPISODE = "people/<uuid:public_id>/episodes/<uuid:episode>"
urlpatterns = [
    path(f"{_EPISODE}/oversight", views.episode_oversight, name="episode"),
    path(f"{_EPISODE}/oversight/transfer", views.transfer, name="transfer"),
    path(f"{_EPISODE}/oversight/decisions/new", views.decision_new, name="decision-new"),
    path(f"{_EPISODE}/oversight/supervision/new", views.supervision_new, name="supervision-new"),
]
