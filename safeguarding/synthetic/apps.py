from django.apps import AppConfig


class SyntheticConfig(AppConfig):
    name = "safeguarding.synthetic"
    label = "synthetic"
