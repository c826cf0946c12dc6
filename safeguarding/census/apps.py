from django.apps import AppConfig


class CensusConfig(AppConfig):
    name = "safeguarding.census"
    verbose_name = "Statutory returns: the CIN census"
    default_auto_field = "django.db.models.BigAutoField"
