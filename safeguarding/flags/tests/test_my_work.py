"""My work tells the allocated worker when unscheduled care has looked up their child, and nobody else."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from safeguarding.flags import services
from tests import factories as f


def _look_up_in_a_and_e(flagged, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        principal = f.principal_for(flagged.unscheduled)
        services.look_up(principal=principal, nhs_number=flagged.world.child.nhs_number, now=timezone.now())


def test_the_allocated_worker_sees_the_look_up_first_on_my_work(client, flagged, django_capture_on_commit_callbacks):
    _look_up_in_a_and_e(flagged, django_capture_on_commit_callbacks)
    f.sign_in(client, flagged.world.allocated)
    html = client.get(reverse("work:my-work")).content.decode()
    assert "Unscheduled care has looked up 1 of your children." in html
    assert "Northbridge Hospitals NHS Trust" in html
    assert html.index("Unscheduled care has looked up") < html.index("Due and overdue")


def test_another_teams_worker_is_not_told(client, flagged, django_capture_on_commit_callbacks):
    _look_up_in_a_and_e(flagged, django_capture_on_commit_callbacks)
    f.sign_in(client, flagged.world.other_team)
    html = client.get(reverse("work:my-work")).content.decode()
    assert "Unscheduled care has looked up" not in html and "Testchild" not in html


def test_once_acted_on_it_leaves_my_work(client, flagged, django_capture_on_commit_callbacks):
    from safeguarding.flags.models import Notification

    _look_up_in_a_and_e(flagged, django_capture_on_commit_callbacks)
    services.mark_acted_on(
        notification=Notification.objects.get(),
        principal=f.principal_for(flagged.world.allocated),
        note="Rang the ward; the child is safe",
        now=timezone.now(),
    )
    f.sign_in(client, flagged.world.allocated)
    assert "Unscheduled care has looked up" not in client.get(reverse("work:my-work")).content.decode()
