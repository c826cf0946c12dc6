from django.urls import include, path

urlpatterns = [
    path("", include("safeguarding.core.urls")),
    path("", include("safeguarding.accounts.urls")),
    path("", include("safeguarding.work.urls")),
]
