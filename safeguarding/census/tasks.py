"""Background work: a census check takes seconds to minutes, so it runs in the db_worker (ADR 0009)."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from .models import RunStatus, ValidationRun
from .services import run_validation


@task()
def run_validation_task(run_id: int) -> str:
    run = ValidationRun.objects.select_related("local_authority").get(pk=run_id)
    if run.status != RunStatus.QUEUED:
        return run.status  # already taken by another worker
    return run_validation(run=run, now=timezone.now()).status
