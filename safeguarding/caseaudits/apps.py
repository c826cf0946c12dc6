from django.apps import AppConfig


class CaseauditsConfig(AppConfig):
    name = "safeguarding.caseaudits"
    verbose_name = "Multi-agency case audits"
    default_auto_field = "django.db.models.BigAutoField"
