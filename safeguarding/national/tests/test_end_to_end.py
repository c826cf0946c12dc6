"""The whole round trip against the simulator, through the commands the scheduler runs and the pages people use:
a plan starts, its flag goes out and is held nationally; an emergency department elsewhere looks the child
up; the allocated worker sees it in My work and the team in its inbox."""

from __future__ import annotations

import io

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from safeguarding.casework.tests.factories import days_ago, on_plan
from safeguarding.flags.models import AccessEvent, AccessSource, Notification
from safeguarding.national.models import OutboundChange
from tests import factories as f

REPORTED = "Elsewhere General Hospital emergency department (RYY99), reported by the national flag service"


def _run(name: str) -> str:
    out = io.StringIO()
    call_command(name, stdout=out)
    return out.getvalue()


def test_plan_to_national_flag_to_access_to_my_work(client, exchange):
    w = exchange.world
    on_plan(w, ago=40)  # through casework: referral, assessment, section 47, initial conference decides a plan
    assert OutboundChange.objects.filter(person=w.child, kind="CREATED").exists()

    assert _run("send_national_changes").startswith("1 change(s) sent in 1 message(s)")
    exchange.national.consume()
    [held] = exchange.national.flags_for(w.child.nhs_number)
    assert (held["plan_type"], held["responsible_la"]["code"], held["end_date"]) == ("CPP", "991", None)

    assert exchange.national.emit_access(w.child.nhs_number, at=timezone.now(), ods_code="RYY99")
    assert _run("receive_national_messages").startswith("2 message(s) processed, 0 refused")  # ack + access
    change = OutboundChange.objects.get(person=w.child)
    assert change.accepted is True
    assert _run("deliver_notifications").startswith("1 notification")

    f.sign_in(client, w.allocated)
    my_work = client.get(reverse("work:my-work")).content.decode()
    assert "Elsewhere General Hospital emergency department (RYY99)" in my_work
    f.sign_in(client, w.colleague)
    inbox = client.get(reverse("flags:inbox")).content.decode()
    assert "Testchild" in inbox and f"{REPORTED} (unscheduled care)" in inbox
    panel = client.get(reverse("people:detail", args=[w.child.public_id])).content.decode()
    assert REPORTED in panel and "Emergency department nurse (reported by the national flag service)" in panel
    notification = Notification.objects.get()
    page = client.get(reverse("flags:notification", args=[w.child.public_id, notification.public_id]))
    assert f"{REPORTED} (unscheduled care)" in page.content.decode()

    f.sign_in(client, w.health_other)  # an emergency department here looks the same child up afterwards
    lookup = client.post(reverse("flags:lookup"), {"nhs_number": w.child.nhs_number}).content.decode()
    assert REPORTED in lookup  # the look-up elsewhere, among the last accesses
    assert '<td class="govuk-table__cell">Northbridge Hospitals NHS Trust</td>' in lookup  # its own, as local
    mine = AccessEvent.objects.get(source=AccessSource.LOCAL)
    assert (mine.user, mine.organisation) == (w.health_other, w.trust)


def test_an_ended_plan_ends_the_national_flag_and_a_corrected_start_withdraws_the_old_one(exchange):
    from safeguarding.flags.tests.factories import make_plan

    w = exchange.world
    plan = make_plan(w, w.child, start=days_ago(30))
    _run("send_national_changes")
    exchange.national.consume()
    plan.end_date = days_ago(1)
    plan.save()
    plan.start_date = days_ago(25)
    plan.save()
    _run("send_national_changes")
    exchange.national.consume()
    [held] = exchange.national.flags_for(w.child.nhs_number)
    assert (held["start_date"], held["end_date"]) == (days_ago(25).isoformat(), days_ago(1).isoformat())
    assert exchange.national.sequences == {"991": [1, 2]}
