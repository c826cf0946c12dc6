from django.urls import path

from . import views

app_name = "learning"
urlpatterns = [
    path("learning/", views.incident_list, name="list"),
    path("learning/new", views.incident_new, name="new"),
    path("learning/actions", views.action_list, name="actions"),
    path("learning/<uuid:public_id>", views.incident_detail, name="incident"),
    path(
        "learning/<uuid:public_id>/recommendations/<uuid:recommendation>/actions/new",
        views.action_new,
        name="action-new",
    ),
    path("learning/<uuid:public_id>/actions/<uuid:action>", views.action_update, name="action-update"),
    path("learning/<uuid:public_id>/<slug:step>", views.incident_step, name="step"),
]
