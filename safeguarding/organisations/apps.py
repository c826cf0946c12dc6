from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "safeguarding.organisations"
    label = "organisations"
