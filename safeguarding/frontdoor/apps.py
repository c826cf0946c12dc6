from django.apps import AppConfig


class FrontdoorConfig(AppConfig):
    name = "safeguarding.frontdoor"
    verbose_name = "Front door: contacts and MASH"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from safeguarding.people import panels

        from .panel import load

        panels.register(
            panels.Panel(
                key="contacts",
                title="Contacts to the front door",
                template="frontdoor/_panel.html",
                load=load,
                order=20,
            )
        )
