"""Background delivery of access notifications (django-tasks; ADR 0009). Enqueued on the look-up's commit;
`manage.py deliver_notifications` delivers anything the task runner has not (it catches up)."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task


@task()
def deliver_notification(notification_id: int) -> int:
    from .services import deliver

    return deliver(now=timezone.now(), notification_id=notification_id)
