from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "safeguarding.care"
    verbose_name = "Looked-after children: legal status"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from safeguarding.people import panels

        from .panels import PANEL

        panels.register(PANEL)
