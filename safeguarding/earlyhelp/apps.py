from django.apps import AppConfig


class EarlyhelpConfig(AppConfig):
    name = "safeguarding.earlyhelp"
    verbose_name = "Early help"
    default_auto_field = "django.db.models.BigAutoField"
