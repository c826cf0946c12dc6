from django.apps import AppConfig


class VoiceConfig(AppConfig):
    name = "safeguarding.voice"
    verbose_name = "The child's voice and visits"
    default_auto_field = "django.db.models.BigAutoField"
