"""Queue every flag change for the national service, in the transaction that made it. Connected in
NationalConfig.ready(), so flags never imports national. A flag is withdrawn by deleting it, hence post_delete."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from safeguarding.flags.models import Flag

from . import services
from .adapters import get_adapter


def _send_on_commit() -> None:
    if get_adapter().enabled:  # the disabled adapter sends nothing: do not wake the task runner for it
        from .tasks import send_national_changes

        transaction.on_commit(send_national_changes.enqueue)


def flag_saved(sender: Any, instance: Flag, created: bool = False, raw: bool = False, **kwargs: Any) -> None:
    if raw:  # loading fixtures: nothing happened to send
        return
    services.record_change(flag=instance, created=created, deleted=False, now=timezone.now())
    _send_on_commit()


def flag_deleted(sender: Any, instance: Flag, **kwargs: Any) -> None:
    services.record_change(flag=instance, created=False, deleted=True, now=timezone.now())
    _send_on_commit()
