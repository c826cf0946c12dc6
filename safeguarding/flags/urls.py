from django.urls import path

from . import views

app_name = "flags"
urlpatterns = [
    path("flags/look-up", views.lookup, name="lookup"),
    path("flags/inbox", views.inbox, name="inbox"),
    path("people/<uuid:public_id>/health-access/<uuid:notification>", views.notification, name="notification"),
]
