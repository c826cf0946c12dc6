from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "safeguarding.sharing"
    verbose_name = "Information-sharing decisions"
    default_auto_field = "django.db.models.BigAutoField"
