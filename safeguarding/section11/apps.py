from django.apps import AppConfig


class Section11Config(AppConfig):
    name = "safeguarding.section11"
    verbose_name = "Section 11 audits"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from safeguarding.partnership import actions, sections

        from . import dashboard

        actions.register(dashboard.SOURCE)
        sections.register(dashboard.SECTION)
