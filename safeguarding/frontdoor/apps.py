from django.apps import AppConfig


class FrontdoorConfig(AppConfig):
    name = "safeguarding.frontdoor"
    verbose_name = "Front door: contacts and MASH"
    default_auto_field = "django.db.models.BigAutoField"
