from django.apps import AppConfig


class FlagsConfig(AppConfig):
    name = "safeguarding.flags"
    verbose_name = "Child protection flags for unscheduled care"
    default_auto_field = "django.db.models.BigAutoField"
