from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("audit", views.search, name="search"),
    path("audit/export.csv", views.export, name="export"),
    path("audit/alerts", views.alerts, name="alerts"),
    path("audit/alerts/<int:pk>/review", views.alert_review, name="alert-review"),
]
