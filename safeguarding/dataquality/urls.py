from django.urls import path

from . import views

app_name = "dataquality"
urlpatterns = [
    path("data-quality/nhs-numbers", views.nhs_numbers, name="nhs-numbers"),
]
