from django.apps import AppConfig


class VoiceConfig(AppConfig):
    name = "safeguarding.voice"
    verbose_name = "The child's voice and visits"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from safeguarding.people import panels

        from .panels import PANEL

        panels.register(PANEL)
