from django.apps import AppConfig


class DataqualityConfig(AppConfig):
    name = "safeguarding.dataquality"
    verbose_name = "Data quality: NHS number matching"
    default_auto_field = "django.db.models.BigAutoField"
