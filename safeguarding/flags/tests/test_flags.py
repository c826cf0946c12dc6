"""Flags follow the record: plan start and end, looked-after start, change and end, unborn plans."""

from __future__ import annotations

import datetime as dt
import io

from django.core.management import call_command
from django.utils import timezone

from safeguarding.audit.models import AuditEvent
from safeguarding.care import services as care
from safeguarding.casework import services as casework
from safeguarding.casework.tests.factories import BACKDATED, on_plan
from safeguarding.flags import queries
from safeguarding.flags.derive import Span, merge
from safeguarding.flags.models import Flag, PlanType
from safeguarding.people.codes import PersonKind
from safeguarding.people.identifiers import synthetic_nhs_number
from safeguarding.standards.models import LocalStandard, Unit
from tests import factories as f

from .factories import days_ago, make_plan


def _flags(person):
    return list(Flag.objects.filter(person=person).values_list("plan_type", "start_date", "end_date", "nhs_number"))


def test_a_plan_made_at_conference_puts_a_cpp_flag_on_the_childs_nhs_number(world):
    episode = on_plan(world)
    plan = episode.cp_plans.get()
    assert _flags(world.child) == [(PlanType.CPP, plan.start_date, None, world.child.nhs_number)]
    assert AuditEvent.objects.filter(action="flag.created", person=world.child).exists()


def test_ending_the_plan_ends_the_flag(world):
    plan = make_plan(world, world.child, start=days_ago(100))
    plan.end_date = days_ago(3)
    plan.save()
    assert _flags(world.child) == [(PlanType.CPP, days_ago(100), days_ago(3), world.child.nhs_number)]
    assert AuditEvent.objects.filter(action="flag.ended", person=world.child).exists()


def test_a_plan_ended_through_the_casework_service_ends_the_flag(world):
    plan = on_plan(world, ago=90).cp_plans.get()
    casework.end_cp_plan(
        plan=plan,
        principal=f.principal_for(world.allocated),
        now=timezone.now(),
        end_date=days_ago(2),
        end_reason="The family moved to Southmere",
        backdated_reason=BACKDATED,
    )
    assert Flag.objects.get(person=world.child).end_date == days_ago(2)


def test_an_unborn_childs_plan_flags_the_pregnant_persons_nhs_number(world):
    unborn = f.make_person(
        world.la,
        given_name="",
        family_name="Example",
        date_of_birth=None,
        kind=PersonKind.UNBORN,
        expected_due_date=timezone.localdate() + dt.timedelta(days=60),
        pregnant_person=world.parent,
        nhs_number="",
    )
    make_plan(world, unborn, start=days_ago(5))
    assert _flags(unborn) == [(PlanType.UCPP, days_ago(5), None, world.parent.nhs_number)]
    assert [s.flag.plan_type for s in queries.visible_flags(world.parent.nhs_number, today=timezone.localdate())] == [
        PlanType.UCPP
    ]


def test_looked_after_start_change_and_end_make_one_lac_flag(world):
    principal = f.principal_for(world.allocated)
    now = timezone.now()
    care.start_looked_after(
        person=world.child,
        principal=principal,
        now=now,
        legal_status="S20",
        start_date=days_ago(40),
        backdated_reason=BACKDATED,
    )
    assert _flags(world.child) == [(PlanType.LAC, days_ago(40), None, world.child.nhs_number)]
    care.change_legal_status(
        person=world.child,
        principal=principal,
        now=now,
        legal_status="S38",
        changed_on=days_ago(10),
        backdated_reason=BACKDATED,
    )
    assert _flags(world.child) == [(PlanType.LAC, days_ago(40), None, world.child.nhs_number)]
    care.end_looked_after(person=world.child, principal=principal, now=now, end_date=days_ago(1))
    assert _flags(world.child) == [(PlanType.LAC, days_ago(40), days_ago(1), world.child.nhs_number)]


def test_a_flag_carries_nothing_but_the_cp_is_minimum():
    fields = {field.name for field in Flag._meta.get_fields() if not field.auto_created or field.concrete}
    assert fields <= {
        "id",
        "public_id",
        "nhs_number",
        "plan_type",
        "start_date",
        "end_date",
        "local_authority",
        "person",
        "updated_at",
    }


def test_no_flag_without_a_valid_nhs_number(world):
    world.child.nhs_number = ""
    world.child.save()
    make_plan(world, world.child, start=days_ago(5))
    assert _flags(world.child) == []
    world.child.nhs_number = synthetic_nhs_number(900)
    world.child.save()  # a number added later moves the flag on at once
    assert [row[0] for row in _flags(world.child)] == [PlanType.CPP]


def test_an_ended_flag_stays_visible_for_the_retention_period_then_goes(world):
    today = timezone.localdate()
    make_plan(world, world.child, start=days_ago(800), end=days_ago(300))
    assert len(queries.visible_flags(world.child.nhs_number, today=today)) == 1  # 12 months by default
    LocalStandard.objects.create(
        local_authority=world.la, code="CP_FLAG_RETENTION", amount=6, unit=Unit.MONTHS, updated_at=timezone.now()
    )
    assert queries.visible_flags(world.child.nhs_number, today=today) == []
    assert Flag.objects.filter(person=world.child).exists()  # hidden, not deleted


def test_merge_joins_touching_spans():
    a = Span(dt.date(2025, 1, 1), dt.date(2025, 3, 1), 1)
    b = Span(dt.date(2025, 3, 1), None, 2)
    c = Span(dt.date(2026, 1, 1), dt.date(2026, 2, 1), 2)
    assert merge([b, a]) == [Span(dt.date(2025, 1, 1), None, 2)]
    assert len(merge([a, c])) == 2


def test_rebuild_flags_derives_everything_and_is_idempotent(world):
    make_plan(world, world.child, start=days_ago(30))
    Flag.objects.all().delete()
    call_command("rebuild_flags", stdout=io.StringIO())
    first = _flags(world.child)
    out = io.StringIO()
    call_command("rebuild_flags", stdout=out)
    assert out.getvalue().startswith("0 flag(s)")
    assert first == _flags(world.child) == [(PlanType.CPP, days_ago(30), None, world.child.nhs_number)]
