from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "safeguarding.learning"
    verbose_name = "Learning from serious incidents"
    default_auto_field = "django.db.models.BigAutoField"
