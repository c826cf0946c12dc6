from django.urls import path

from . import views

app_name = "access"
urlpatterns = [
    path("people/<uuid:public_id>/break-glass", views.break_glass, name="break-glass"),
    path("people/<uuid:public_id>/restrict", views.restrict, name="restrict"),
    path("people/<uuid:public_id>/named-access", views.named_access, name="named-access"),
]
