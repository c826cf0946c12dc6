"""The one action tracker and the dashboard: every source's actions overdue first, filters, a CSV safe against
formula injection, the sections in order with charts and their tables, and a query count that does not grow."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from safeguarding.accounts.roles import Role
from safeguarding.learning import services as learning
from safeguarding.partnership import sections
from safeguarding.partnership.sections import DashboardSection
from safeguarding.section11 import services as section11
from tests import factories as f

D = dt.date
FORMULA = '=HYPERLINK("http://example.invalid","click")'


@pytest.fixture
def work(area, world):
    """A section 11 cycle with an overdue, an open and a complete action; an incident with an overdue action."""
    now, today = timezone.now(), timezone.localdate()
    p = f.principal_for(area.manager)
    cycle = section11.open_cycle(
        principal=p,
        now=now,
        partnership=area.partnership,
        name="This year",
        opens_on=today - dt.timedelta(days=30),
        self_assessment_due_on=today + dt.timedelta(days=30),
        moderation_due_on=today + dt.timedelta(days=60),
    )
    council = cycle.assessments.get(organisation=world.la)
    trust = cycle.assessments.get(organisation=world.trust)

    def s11_action(assessment, description, due_on):
        return section11.add_action(
            principal=p, now=now, assessment=assessment, description=description, owner="Lead", due_on=due_on
        )

    s11_action(council, "Lapsed section 11 task", today - dt.timedelta(days=40))
    s11_action(trust, "Later section 11 task", today + dt.timedelta(days=90))
    done = s11_action(trust, FORMULA, today - dt.timedelta(days=5))
    section11.update_action(principal=p, now=now, action=done, evidence="Minutes", completed_on=today)
    incident = learning.record_incident(
        partnership=area.partnership, principal=p, now=now, reference="SI-T1", aware_on=today, summary="Harm"
    )
    incident = learning.record_notification(incident=incident, principal=p, now=now, notified_on=today)
    incident = learning.record_rapid_review(incident=incident, principal=p, now=now, held_on=today, agencies="All")
    rec = learning.add_recommendation(incident=incident, principal=p, now=now, text="Share discharge plans")
    learning.add_action(
        recommendation=rec,
        principal=p,
        now=now,
        description="Slipped review task",
        owner_organisation=world.trust,
        owner_name="Dr Named",
        due_on=today - dt.timedelta(days=10),
    )
    return {"cycle": cycle, "incident": incident, "recommendation": rec}


def test_the_tracker_lists_every_source_together_overdue_first(client, area, work):
    f.sign_in(client, area.manager)
    page = client.get(reverse("partnership:actions")).content.decode()
    order = ["Lapsed section 11 task", "Slipped review task (SI-T1)", "Later section 11 task", "=HYPERLINK"]
    positions = [page.index(text) for text in order]
    assert positions == sorted(positions)
    assert page.count('govuk-tag--red">Overdue') == 2
    assert "Northbridge Hospitals NHS Trust (Dr Named)" in page


def test_the_tracker_filters_by_source_and_by_owning_organisation(client, area, world, work):
    f.sign_in(client, area.manager)
    url = reverse("partnership:actions")
    only_s11 = client.get(url, {"source": "section11"}).content.decode()
    assert "Lapsed section 11 task" in only_s11 and "Slipped review task" not in only_s11
    only_trust = client.get(url, {"owner": world.trust.name}).content.decode()
    assert "Slipped review task" in only_trust and "Later section 11 task" in only_trust
    assert "Lapsed section 11 task" not in only_trust
    both = client.get(url, {"source": "learning", "owner": world.la.name}).content.decode()
    assert "No actions match" in both
    assert f'<option value="{world.trust.name}">' in only_s11  # the owner choices come from every row


def test_the_csv_export_keeps_the_filters_and_neutralises_formulas(client, area, world, work):
    f.sign_in(client, area.manager)
    response = client.get(reverse("partnership:actions-export"), {"owner": world.trust.name})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["Source", "Action", "Owner"]
    descriptions = [row[1] for row in rows[1:]]
    assert descriptions[0] == "Slipped review task (SI-T1)"  # overdue first
    assert f"'{FORMULA}" in descriptions and FORMULA not in descriptions
    assert "Lapsed section 11 task" not in descriptions
    assert all(row[6].startswith("http://testserver/") for row in rows[1:])
    page = client.get(reverse("partnership:actions"), {"owner": world.trust.name}).content.decode()
    assert "actions.csv?owner=" in page


def test_the_dashboard_shows_each_section_in_order_with_charts_and_their_tables(client, area, work):
    f.sign_in(client, area.manager)
    page = client.get(reverse("partnership:dashboard")).content.decode()
    main = page.split("<main", 1)[1].split("</main>", 1)[0]
    headings = ["Statutory roles", "Section 11 audit", "Safeguarding training", "Serious incident reviews", "Actions"]
    positions = [main.index(f">{title}</h2>") for title in headings]
    assert positions == sorted(positions)
    assert "style=" not in main and "<script" not in main
    assert "Section 11 ratings by organisation, This year: Northbridge Council: 0 red" in main  # the chart's title
    assert "(the chart's figures)" in main
    assert "Actions by source: " in main and "Section 11 audits: 1 overdue, 1 open, 1 complete" in main
    assert "Serious incident reviews: 1 overdue, 0 open, 0 complete" in main
    overdue = main[main.index("Overdue actions, oldest due first") :]
    assert overdue.index("Lapsed section 11 task") < overdue.index("Slipped review task")
    assert "Later section 11 task" not in overdue.split("</table>", 1)[0]
    assert "SI-T1" in main and "Decide whether a local review is needed" in main


def test_a_registered_section_is_shown_with_its_template_and_one_with_nothing_is_left_out(client, area, monkeypatch):
    shown = DashboardSection(
        "test-themes", "Case audit themes (test)", "section11/_dashboard.html", lambda *a: {"cycle": None}
    )
    empty = DashboardSection("test-empty", "Nothing to show (test)", "section11/_dashboard.html", lambda *a: None)
    monkeypatch.setitem(sections._REGISTRY, shown.key, shown)
    monkeypatch.setitem(sections._REGISTRY, empty.key, empty)
    f.sign_in(client, area.manager)
    page = client.get(reverse("partnership:dashboard")).content.decode()
    assert page.index(">Actions</h2>") < page.index(">Case audit themes (test)</h2>")
    assert 'href="#test-themes"' in page and "Nothing to show (test)" not in page


def test_the_dashboard_and_tracker_answer_in_a_constant_number_of_queries(client, area, world, work):
    f.sign_in(client, area.manager)
    with CaptureQueriesContext(connection) as small_dashboard:
        assert client.get(reverse("partnership:dashboard")).status_code == 200
    with CaptureQueriesContext(connection) as small_tracker:
        assert client.get(reverse("partnership:actions")).status_code == 200
    now, today, p = timezone.now(), timezone.localdate(), f.principal_for(area.manager)
    for n in range(4):
        section11.add_action(
            principal=p,
            now=now,
            assessment=work["cycle"].assessments.get(organisation=world.trust),
            description=f"More {n}",
            owner="Lead",
            due_on=today - dt.timedelta(days=n),
        )
        learning.add_action(
            recommendation=work["recommendation"],
            principal=p,
            now=now,
            description=f"Review {n}",
            owner_organisation=world.la,
            owner_name="Lead",
            due_on=today,
        )
        learning.record_incident(
            partnership=area.partnership, principal=p, now=now, reference=f"SI-M{n}", aware_on=today, summary="x"
        )
        f.make_user(f"extra{n}", org=world.trust, role=Role.HEALTH_SCHEDULED)
    with CaptureQueriesContext(connection) as large_dashboard:
        assert client.get(reverse("partnership:dashboard")).status_code == 200
    with CaptureQueriesContext(connection) as large_tracker:
        assert client.get(reverse("partnership:actions")).status_code == 200
    assert len(large_dashboard) == len(small_dashboard)
    assert len(large_tracker) == len(small_tracker)
