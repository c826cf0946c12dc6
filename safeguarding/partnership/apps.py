from django.apps import AppConfig


class PartnershipConfig(AppConfig):
    name = "safeguarding.partnership"
    verbose_name = "Partnership: accountability, training and learning"
    default_auto_field = "django.db.models.BigAutoField"
