from django.urls import path

from . import views

app_name = "national"

urlpatterns = [
    path("national/status", views.status, name="status"),
]
