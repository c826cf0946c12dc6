from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "safeguarding.learning"
    verbose_name = "Learning from serious incidents"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from safeguarding.partnership import actions, sections

        from . import dashboard

        actions.register(dashboard.SOURCE)
        sections.register(dashboard.SECTION)
