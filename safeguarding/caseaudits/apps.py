from django.apps import AppConfig


class CaseauditsConfig(AppConfig):
    name = "safeguarding.caseaudits"
    verbose_name = "Multi-agency case audits"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from safeguarding.partnership import actions, sections

        from . import tracker

        actions.register(tracker.ACTION_SOURCE)
        sections.register(tracker.SECTION)
