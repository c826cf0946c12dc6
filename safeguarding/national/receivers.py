"""Queue every flag change for the national service, in the transaction that made it. Connected in
NationalConfig.ready(), so flags never imports national. A flag is withdrawn by deleting it, hence post_delete."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from safeguarding.flags.models import Flag

from . import services
from .adapters import get_adapter


def _enqueue() -> None:
    from .tasks import send_national_changes

    send_national_changes.enqueue()


def _send_on_commit() -> None:
    """One task per transaction, however many flags it changed; none for the disabled adapter."""
    if not get_adapter().enabled:
        return
    connection = transaction.get_connection()
    if any(func is _enqueue for _, func, _ in connection.run_on_commit):
        return
    transaction.on_commit(_enqueue)


def flag_saved(sender: Any, instance: Flag, created: bool = False, raw: bool = False, **kwargs: Any) -> None:
    if raw:  # loading fixtures: nothing happened to send
        return
    services.record_change(flag=instance, created=created, deleted=False, now=timezone.now())
    _send_on_commit()


def flag_deleted(sender: Any, instance: Flag, **kwargs: Any) -> None:
    services.record_change(flag=instance, created=False, deleted=True, now=timezone.now())
    _send_on_commit()
