"""Send waiting flag changes soon after they commit (django-tasks; ADR 0009). The scheduler's
`manage.py send_national_changes` sends whatever this has not, so a stopped task runner loses nothing."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task


@task()
def send_national_changes() -> int:
    from .services import send_pending

    return send_pending(now=timezone.now()).changes
