from django.apps import AppConfig


class NationalConfig(AppConfig):
    name = "safeguarding.national"
    verbose_name = "National flag service connector"
    default_auto_field = "django.db.models.BigAutoField"
