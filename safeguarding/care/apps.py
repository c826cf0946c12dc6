from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "safeguarding.care"
    verbose_name = "Looked-after children: legal status"
    default_auto_field = "django.db.models.BigAutoField"
