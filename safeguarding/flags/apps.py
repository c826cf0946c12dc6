from django.apps import AppConfig


class FlagsConfig(AppConfig):
    name = "safeguarding.flags"
    verbose_name = "Child protection flags for unscheduled care"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from safeguarding.care.models import LookedAfterPeriod
        from safeguarding.casework.models import ChildProtectionPlan
        from safeguarding.people import panels
        from safeguarding.people.models import Person

        from . import receivers
        from .panels import PANEL

        panels.register(PANEL)

        post_save.connect(receivers.plan_saved, sender=ChildProtectionPlan, dispatch_uid="flags.plan_saved")
        post_save.connect(receivers.period_saved, sender=LookedAfterPeriod, dispatch_uid="flags.period_saved")
        post_save.connect(receivers.person_saved, sender=Person, dispatch_uid="flags.person_saved")
