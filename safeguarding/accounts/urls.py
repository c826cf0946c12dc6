from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("sign-in", views.sign_in, name="sign-in"),
    path("sign-in/mfa", views.mfa, name="mfa"),
    path("sign-in/role", views.choose_role, name="choose-role"),
    path("sign-out", views.sign_out, name="sign-out"),
]
