from django.apps import AppConfig


class WorkConfig(AppConfig):
    name = "safeguarding.work"
    label = "work"
