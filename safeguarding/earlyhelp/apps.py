from django.apps import AppConfig


class EarlyhelpConfig(AppConfig):
    name = "safeguarding.earlyhelp"
    verbose_name = "Early help"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from safeguarding.people import panels

        from .panels import PANEL

        panels.register(PANEL)
