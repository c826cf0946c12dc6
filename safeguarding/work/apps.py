from django.apps import AppConfig


class WorkConfig(AppConfig):
    name = "safeguarding.work"
    label = "work"

    def ready(self) -> None:
        from safeguarding.casework import oversight_panel  # casework's AppConfig is not ours to edit

        oversight_panel.register()
