from django.urls import path

from . import views

app_name = "sharing"
urlpatterns = [
    path("people/<uuid:public_id>/sharing", views.person_decisions, name="person"),
    path("people/<uuid:public_id>/sharing/new", views.record_decision, name="record"),
    path("sharing/", views.authority_list, name="authority"),
    path("sharing/counts", views.authority_counts, name="counts"),
]
