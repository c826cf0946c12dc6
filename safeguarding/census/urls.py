from django.urls import path

from . import views

app_name = "census"
urlpatterns = [
    path("returns/", views.returns, name="returns"),
]
