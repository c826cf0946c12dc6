"""Setting an authority's numbers; constant query counts on the inbox and the child's page panel."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from safeguarding.audit.models import AuditEvent
from safeguarding.flags import services
from safeguarding.flags.models import LocalAuthorityContact
from tests import factories as f

from .factories import days_ago, make_plan


def test_set_flag_contact_sets_the_numbers_and_audits(world):
    call_command(
        "set_flag_contact",
        "--la-code",
        "991",
        "--office-hours",
        "01632 960 100",
        "--out-of-hours",
        "01632 960 200",
        "--email",
        "edt@northbridge.invalid",
        "--operator",
        "ops",
        stdout=io.StringIO(),
    )
    contact = LocalAuthorityContact.objects.get(local_authority=world.la)
    assert (contact.office_hours_phone, contact.out_of_hours_phone) == ("01632 960 100", "01632 960 200")
    assert AuditEvent.objects.filter(action="flag.contact-set", actor_name="ops").exists()
    with pytest.raises(CommandError, match="No local authority"):
        call_command(
            "set_flag_contact", "--la-code", "000", "--office-hours", "1", "--out-of-hours", "2", "--operator", "ops"
        )
    with pytest.raises(CommandError):
        call_command(
            "set_flag_contact",
            "--la-code",
            "991",
            "--office-hours",
            "1",
            "--out-of-hours",
            "2",
            "--email",
            "not an address",
            "--operator",
            "ops",
        )


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _another_flagged_child(world, n):
    child = f.make_person(world.la, given_name=f"Testchild{n}", family_name="Example")
    f.involve(child, team=world.team_a, kind="TEAM", created_by=world.manager)
    make_plan(world, child, start=days_ago(10))
    return child


def test_the_inbox_and_the_panel_use_a_constant_number_of_queries(client, flagged):
    world = flagged.world
    ed = f.principal_for(flagged.unscheduled)
    services.look_up(principal=ed, nhs_number=world.child.nhs_number, now=timezone.now())
    services.deliver(now=timezone.now())
    f.sign_in(client, world.allocated)
    inbox_before = _queries(client, reverse("flags:inbox"))
    page = reverse("people:detail", args=[world.child.public_id])
    page_before = _queries(client, page)
    for n in range(4):
        child = _another_flagged_child(world, n)
        services.look_up(principal=ed, nhs_number=child.nhs_number, now=timezone.now())
        services.look_up(principal=ed, nhs_number=world.child.nhs_number, now=timezone.now())
    services.deliver(now=timezone.now())
    assert _queries(client, reverse("flags:inbox")) == inbox_before
    assert _queries(client, page) == page_before
