from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "safeguarding.sharing"
    verbose_name = "Information-sharing decisions"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from safeguarding.people import panels

        from .panels import PANEL

        panels.register(PANEL)
