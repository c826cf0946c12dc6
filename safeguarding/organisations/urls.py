from django.urls import path

from . import views

app_name = "organisations"
urlpatterns = [
    path("organisations", views.organisation_list, name="list"),
    path("organisations/new", views.organisation_create, name="create"),
    path("organisations/<uuid:public_id>", views.organisation_detail, name="detail"),
    path("organisations/<uuid:public_id>/edit", views.organisation_edit, name="edit"),
    path("organisations/<uuid:public_id>/successor", views.succession_create, name="succession"),
    path("organisations/<uuid:public_id>/teams/new", views.team_create, name="team-create"),
    path("organisations/<uuid:public_id>/users", views.user_list, name="users"),
    path("organisations/<uuid:public_id>/users/new", views.user_create, name="user-create"),
    path("organisations/teams/<uuid:public_id>/edit", views.team_edit, name="team-edit"),
    path("organisations/users/<uuid:public_id>", views.user_detail, name="user-detail"),
    path("organisations/users/<uuid:public_id>/status", views.user_status, name="user-status"),
    path("organisations/users/<uuid:public_id>/roles/new", views.membership_add, name="membership-add"),
    path("organisations/roles/<uuid:public_id>/end", views.membership_end, name="membership-end"),
]
