from django.apps import AppConfig


class NationalConfig(AppConfig):
    name = "safeguarding.national"
    verbose_name = "National flag service connector"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from safeguarding.flags.models import Flag

        from . import receivers

        post_save.connect(receivers.flag_saved, sender=Flag, dispatch_uid="national.flag_saved")
        post_delete.connect(receivers.flag_deleted, sender=Flag, dispatch_uid="national.flag_deleted")
