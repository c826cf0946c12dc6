from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "safeguarding.casework"
    verbose_name = "Children's social care: referral to closure"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from safeguarding.people import panels

        from .panels import PANEL

        panels.register(PANEL)
