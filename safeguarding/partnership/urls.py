from django.urls import path

from . import views

app_name = "partnership"
urlpatterns = [
    path("partnership/", views.dashboard, name="dashboard"),
    path("partnership/register/", views.register_page, name="register"),
    path("partnership/register/on/", views.accountable_on, name="accountable-on"),
    path("partnership/register/roles/new/", views.role_new, name="role-new"),
    path("partnership/register/roles/<uuid:role>/", views.role_detail, name="role"),
    path("partnership/register/roles/<uuid:role>/holders/new/", views.holding_new, name="holding-new"),
    path("partnership/register/holdings/<uuid:holding>/end/", views.holding_end, name="holding-end"),
    path("partnership/training/", views.training, name="training"),
    path("partnership/training/new/", views.training_new, name="training-new"),
    path("partnership/training/import/", views.training_import_page, name="training-import"),
    path("partnership/training/due.csv", views.training_export, name="training-export"),
    path("partnership/actions/", views.actions_page, name="actions"),
    path("partnership/actions.csv", views.actions_export, name="actions-export"),
]
