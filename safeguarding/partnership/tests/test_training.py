"""Training compliance on given dates, the CSV import's rejections, and the safe CSV export."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from safeguarding.accounts.models import Membership
from safeguarding.accounts.roles import Role
from safeguarding.audit.models import AuditEvent
from safeguarding.partnership import compliance, training_import
from safeguarding.partnership.compliance import Status
from safeguarding.partnership.models import TrainingKind, TrainingRecord, TrainingRequirement
from tests import factories as f

D = dt.date


def train(user, completed_on, *, level=3, kind=TrainingKind.INTERCOLLEGIATE, course="Level 3 safeguarding"):
    m = user.memberships.first()
    return TrainingRecord.objects.create(
        worker=user,
        organisation=m.organisation,
        team=m.team,
        course=course,
        completed_on=completed_on,
        hours=Decimal("6"),
        kind=kind,
        level=level,
        recorded_at=timezone.now(),
    )


def status_of(area, user, day):
    lines = compliance.compliance_on(area.partnership, day).lines
    return next(line.status for line in lines if line.membership.user == user)


def test_add_months_clamps_to_the_end_of_the_month():
    assert compliance.add_months(D(2024, 2, 29), 36) == D(2027, 2, 28)
    assert compliance.add_months(D(2023, 11, 30), 3) == D(2024, 2, 29)


def test_training_is_in_date_for_three_years_due_in_the_last_90_days_then_overdue(area, world):
    train(world.health, D(2023, 3, 15))  # expires on 15 March 2026
    assert status_of(area, world.health, D(2025, 12, 14)) == Status.COMPLIANT  # 91 days before
    assert status_of(area, world.health, D(2025, 12, 15)) == Status.DUE  # 90 days before
    assert status_of(area, world.health, D(2026, 3, 14)) == Status.DUE
    assert status_of(area, world.health, D(2026, 3, 15)) == Status.OVERDUE
    assert status_of(area, world.health, D(2023, 3, 14)) == Status.NEVER  # not yet done on that day


def test_a_higher_level_counts_but_a_lower_level_or_another_kind_does_not(area, world):
    day = D(2026, 1, 1)
    train(world.health, D(2025, 1, 1), level=2)
    train(world.health, D(2025, 2, 1), level=3, kind=TrainingKind.MULTI_AGENCY, course="Working together")
    assert status_of(area, world.health, day) == Status.NEVER
    train(world.health, D(2025, 3, 1), level=4, course="Level 4 for named professionals")
    assert status_of(area, world.health, day) == Status.COMPLIANT


def test_a_partnerships_own_refresh_period_replaces_the_default(area, world):
    TrainingRequirement.objects.create(
        role=Role.HEALTH_SCHEDULED, kind=TrainingKind.INTERCOLLEGIATE, minimum_level=3, refresh_months=12,
        partnership=area.partnership,
    )  # fmt: skip
    train(world.health, D(2025, 1, 10))
    assert status_of(area, world.health, D(2026, 1, 10)) == Status.OVERDUE


def test_compliance_is_counted_by_organisation_and_team(area, world):
    day = D(2026, 1, 1)
    train(world.allocated, D(2024, 6, 1), level=2, kind=TrainingKind.MULTI_AGENCY, course="Multi-agency level 2")
    result = compliance.compliance_on(area.partnership, day)
    council = next(g for g in result.by_organisation if g.name == "Northbridge Council")
    # Social workers (allocated, colleague, other team) and the team manager need training; auditors do not.
    assert council.total == 4 and council.compliant == 1 and council.percent == 25
    team_a = next(g for g in result.by_team if g.name.startswith("Assessment Team A"))
    assert team_a.counts[Status.COMPLIANT] == 1 and team_a.counts[Status.NEVER] == 1
    assert all(line.membership.organisation != world.other_la for line in result.lines)


def test_compliance_takes_a_constant_number_of_queries_as_staff_grow(area, world):
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            compliance.compliance_on(area.partnership, D(2026, 1, 1))
        return len(ctx.captured_queries)

    before = count()
    for n in range(5):
        user = f.make_user(f"extra{n}", org=world.la, role=Role.SOCIAL_WORKER, team=world.team_b)
        train(user, D(2025, 1, 1), level=2, kind=TrainingKind.MULTI_AGENCY)
    assert count() == before


def csv_file(*rows: str, header: str = "worker,course,completed_on,hours,level,kind,provider") -> bytes:
    return "\n".join([header, *rows]).encode()


def run_import(area, content: bytes, now=None):
    return training_import.import_training(
        principal=f.principal_for(area.manager),
        now=now or timezone.now(),
        partnership=area.partnership,
        content=content,
    )


def test_the_import_writes_good_rows_and_says_why_each_bad_row_was_rejected(area, world):
    world.health.email = "hana@example.org"
    world.health.save()
    content = csv_file(
        "hana@example.org,Level 3 safeguarding,2025-04-01,6,3,intercollegiate,Northbridge Trust",
        "alex,Working together,2025-05-01,3.5,2,multi-agency,",
        "nobody,Level 3,2025-04-01,6,3,intercollegiate,",
        "sol,Level 3,2025-04-01,6,3,intercollegiate,",  # another partnership's worker
        "bea,Level 3,01/04/2025,0,7,classroom,",
        "bea,,2999-01-01,abc,3,intercollegiate,",
        "alex,Working together,2025-05-01,3.5,2,multi-agency,",  # repeats line 3
    )
    report = run_import(area, content)
    assert report.imported == 2
    reasons = {r.line: r.reasons for r in report.rejected}
    assert set(reasons) == {4, 5, 6, 7, 8}
    assert "no current member of staff" in reasons[4][0]
    assert "no current member of staff" in reasons[5][0]
    assert any("not a date" in r for r in reasons[6])
    assert any("hours" in r for r in reasons[6]) and any("level" in r for r in reasons[6])
    assert any("kind" in r for r in reasons[6])
    assert any("no course" in r for r in reasons[7]) and any("future" in r for r in reasons[7])
    assert "already recorded" in reasons[8][0]
    record = TrainingRecord.objects.get(worker=world.health)
    assert (record.level, record.provider, record.organisation) == (3, "Northbridge Trust", world.trust)
    event = AuditEvent.objects.get(action="partnership.training.imported")
    assert event.details == {"imported": 2, "rejected": 5}
    # Importing the same file again writes nothing new.
    assert run_import(area, content).imported == 0
    assert TrainingRecord.objects.count() == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "no worker, course, completed_on, hours, level, kind column"),
        (b"name,course\nalex,Level 3\n", "no worker, completed_on, hours, level, kind column"),
        (csv_file(), "no rows"),
        (
            "worker,course,completed_on,hours,level,kind\nalex,Caf\xe9,2025-01-01,1,1,multi-agency".encode("latin-1"),
            "UTF-8",
        ),
        (b"x" * (training_import.MAX_BYTES + 1), "larger than 2 MB"),
    ],
)
def test_an_unusable_file_is_refused_whole_and_nothing_is_written(area, content, message):
    with pytest.raises(training_import.UnusableFile, match=message):
        run_import(area, content)
    assert not TrainingRecord.objects.exists()
    assert not AuditEvent.objects.filter(action="partnership.training.imported").exists()


def test_the_import_page_shows_the_report_and_an_unusable_file_as_an_error(client, area):
    f.sign_in(client, area.manager)
    url = reverse("partnership:training-import")
    from django.core.files.uploadedfile import SimpleUploadedFile

    good = SimpleUploadedFile("t.csv", csv_file("alex,Working together,2025-05-01,3,2,multi-agency,", "zz,,,,,,"))
    page = client.post(url, {"file": good}).content.decode()
    assert "1 record imported" in page and "1 row rejected" in page and "No current member of staff" in page
    bad = client.post(url, {"file": SimpleUploadedFile("t.csv", b"a,b\n1,2\n")})
    assert bad.status_code == 400 and "no records were imported" in bad.content.decode()
    assert TrainingRecord.objects.count() == 1


def test_the_export_lists_who_is_due_and_neutralises_formulas(client, area, world):
    world.allocated.first_name = "=HYPERLINK(1)"
    world.allocated.save()
    f.sign_in(client, area.manager)
    response = client.get(reverse("partnership:training-export"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    body = response.content.decode()
    assert "'=HYPERLINK(1) Allocated" in body
    assert "\n=HYPERLINK" not in body and ",=HYPERLINK" not in body
    assert "No qualifying training" in body
    assert AuditEvent.objects.filter(action="partnership.training.exported", actor=area.manager).exists()


def test_a_member_who_has_left_is_not_counted(area, world):
    Membership.objects.filter(user=world.colleague).update(ends_on=D(2025, 1, 1))
    lines = compliance.compliance_on(area.partnership, D(2026, 1, 1)).lines
    assert world.colleague not in {line.membership.user for line in lines}


def test_the_manager_records_one_course_and_a_past_date_needs_its_evidence(client, area, world):
    f.sign_in(client, area.manager)
    url = reverse("partnership:training-new")
    alex = world.allocated.memberships.first()
    old = compliance.add_months(timezone.localdate(), -36) + dt.timedelta(days=30)  # due within 90 days
    data = {
        "membership": alex.pk,
        "course": "Working together <b>tier 2</b>",
        "completed_on_0": str(old.day),
        "completed_on_1": str(old.month),
        "completed_on_2": str(old.year),
        "kind": "MULTI_AGENCY",
        "level": "2",
        "hours": "3.5",
    }
    missing = client.post(url, data)
    assert missing.status_code == 400 and b"Say what shows the course was completed" in missing.content
    future = timezone.localdate() + dt.timedelta(days=2)
    soon = {**data, "completed_on_0": str(future.day), "completed_on_1": str(future.month)}
    soon["completed_on_2"] = str(future.year)
    assert b"must be today or in the past" in client.post(url, soon).content
    other = client.post(url, {**data, "membership": world.other_la_worker.memberships.first().pk})
    assert other.status_code == 400 and b"Select a member of staff" in other.content
    assert not TrainingRecord.objects.exists()
    assert client.post(url, {**data, "evidence": "Certificate seen"}).status_code == 302
    record = TrainingRecord.objects.get()
    assert (record.worker, record.level, record.hours) == (world.allocated, 2, Decimal("3.5"))
    assert AuditEvent.objects.filter(action="partnership.training.recorded", object_id=str(record.public_id)).exists()
    page = client.get(reverse("partnership:training")).content.decode()
    assert "Working together &lt;b&gt;tier 2&lt;/b&gt;" in page and "Working together <b>" not in page
