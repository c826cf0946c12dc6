from django.urls import path

from . import views

app_name = "care"
urlpatterns = [
    path("people/<uuid:public_id>/looked-after", views.looked_after, name="looked-after"),
]
