from django.apps import AppConfig


class PartnershipConfig(AppConfig):
    name = "safeguarding.partnership"
    verbose_name = "Partnership: accountability, training and learning"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import dashboard, sections

        for section in dashboard.SECTIONS:
            sections.register(section)
