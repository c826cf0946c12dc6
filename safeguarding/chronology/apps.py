from django.apps import AppConfig


class ChronologyConfig(AppConfig):
    name = "safeguarding.chronology"
    label = "chronology"
