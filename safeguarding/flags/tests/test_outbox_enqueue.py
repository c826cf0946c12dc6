"""With the database task backend (production), the delivery task is a row written in the look-up's own
transaction (ADR 0009): it commits with the audit row and the outbox row, or not at all."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from safeguarding.flags import services
from safeguarding.flags.models import Notification
from tests import factories as f

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


class Rollback(Exception):
    pass


def _look_up(flagged):
    return services.look_up(
        principal=f.principal_for(flagged.unscheduled), nhs_number=flagged.world.child.nhs_number, now=timezone.now()
    )


def test_the_task_commits_with_the_look_up(flagged, settings, django_capture_on_commit_callbacks):
    settings.TASKS = DATABASE_TASKS
    with django_capture_on_commit_callbacks() as callbacks:
        assert _look_up(flagged).notified
    assert callbacks == []  # nothing left to do after the commit
    task = DBTaskResult.objects.get()
    assert task.args_kwargs["args"] == [Notification.objects.get().pk]
    assert task.task_path.endswith("flags.tasks.deliver_notification")


def test_a_rolled_back_look_up_leaves_no_task_and_no_outbox_row(flagged, settings):
    settings.TASKS = DATABASE_TASKS
    with pytest.raises(Rollback), transaction.atomic():
        _look_up(flagged)
        assert DBTaskResult.objects.count() == 1
        raise Rollback
    assert DBTaskResult.objects.count() == 0 and Notification.objects.count() == 0
