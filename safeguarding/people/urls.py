from django.urls import path

from . import views

app_name = "people"
urlpatterns = [path("people/search", views.search, name="search")]
