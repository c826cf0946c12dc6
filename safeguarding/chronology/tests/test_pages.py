"""The chronology pages: filters, the family view, partner-reported events, and the CSV and PDF exports."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from safeguarding.access.models import InvolvementKind
from safeguarding.audit.models import AuditEvent
from safeguarding.chronology import exports, services
from safeguarding.chronology.models import ChronologyEntry
from safeguarding.people.models import FamilyGroup, FamilyMember, Relationship
from tests import factories as f

from .pdf_text import pdf_text

pytestmark = pytest.mark.django_db

ROUTES = [
    "chronology:events",
    "chronology:family",
    "chronology:csv",
    "chronology:pdf",
    "chronology:report",
]
XSS = '<script>alert("x")</script>'


def _url(name, person, **query):
    url = reverse(name, kwargs={"public_id": person.public_id})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


@pytest.mark.parametrize("name", ROUTES)
@pytest.mark.parametrize(
    ("persona", "status"),
    [("other_la", 404), ("outsider", 404), ("other_team", 403), ("health_other", 403), ("auditor", 403)],
)
def test_those_without_a_reason_to_see_the_child_are_refused_and_audited(client, world, event, name, persona, status):
    event(summary="Private event")
    user = world.personas()[persona]
    f.sign_in(client, user)
    response = client.get(_url(name, world.child))
    assert response.status_code == status
    assert b"Private event" not in response.content and b"%PDF" not in response.content
    assert AuditEvent.objects.filter(actor=user, outcome="DENIED").exists()


def test_filters_by_agency_and_significance(client, world, event):
    event(summary="School exclusion", significance="SIGNIFICANT", agency=world.trust)
    event(summary="Routine check", significance="ROUTINE")
    event(summary="Overdose", significance="CRITICAL", agency=world.trust)
    f.sign_in(client, world.allocated)
    html = client.get(_url("chronology:events", world.child)).content.decode()
    assert all(s in html for s in ("School exclusion", "Routine check", "Overdose"))
    html = client.get(_url("chronology:events", world.child, agency=world.trust.public_id)).content.decode()
    assert "School exclusion" in html and "Overdose" in html and "Routine check" not in html
    assert "from Northbridge Hospitals NHS Trust" in html
    html = client.get(_url("chronology:events", world.child, significance="CRITICAL")).content.decode()
    assert "Overdose" in html and "School exclusion" not in html and "Routine check" not in html
    url = _url("chronology:events", world.child, significance="SIGNIFICANT") + "&significance=CRITICAL"
    html = client.get(url).content.decode()
    assert "Overdose" in html and "School exclusion" in html and "Routine check" not in html
    assert "Significant or critical events from every agency" in html


def test_an_unknown_filter_value_shows_everything_rather_than_failing(client, world, event):
    event(summary="Kept")
    f.sign_in(client, world.allocated)
    response = client.get(_url("chronology:events", world.child, agency="not-an-agency", significance="BOGUS"))
    assert response.status_code == 200 and b"Kept" in response.content


def test_free_text_is_escaped(client, world, event):
    event(summary=XSS, impact=XSS)
    f.sign_in(client, world.allocated)
    content = client.get(_url("chronology:events", world.child)).content
    assert XSS.encode() not in content and b"&lt;script&gt;" in content


def _family(world):
    """The sibling is a recorded sibling; a half-sibling and a parent are in the household's family group."""
    Relationship.objects.create(from_person=world.child, to_person=world.sibling, type="SIBLING")
    half = f.make_person(world.la, given_name="Testhalf", family_name="Example", date_of_birth=dt.date(2019, 1, 1))
    group = FamilyGroup.objects.create(name="Example household", local_authority=world.la, created_at=timezone.now())
    for person in (world.child, half, world.parent):
        FamilyMember.objects.create(family=group, person=person)
    return half


def test_the_family_view_merges_only_the_records_the_viewer_may_open(client, world, event):
    half = _family(world)
    f.involve(world.sibling, user=world.allocated, kind=InvolvementKind.ALLOCATED_WORKER, created_by=world.manager)
    event(summary="Child event")
    event(world.sibling, summary="Sibling event")
    event(half, summary="Half-sibling event")  # nobody involved with the half-sibling: not shown
    event(world.parent, summary="Parent event")  # nor with the parent
    f.sign_in(client, world.allocated)
    before = AuditEvent.objects.count()
    response = client.get(_url("chronology:family", world.child))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Child event" in html and "Sibling event" in html
    assert "Half-sibling event" not in html and "Parent event" not in html and "Testhalf" not in html
    assert "2 family members are not included" in html
    new = AuditEvent.objects.order_by("id")[before:]
    opened = {e.person_id for e in new if e.outcome == "ALLOWED" and e.action == "person.chronology.family.view"}
    assert opened == {world.child.id, world.sibling.id}


def test_the_family_view_of_a_child_with_no_family_is_just_theirs(client, world, event):
    event(summary="Only mine")
    f.sign_in(client, world.allocated)
    html = client.get(_url("chronology:family", world.child)).content.decode()
    assert "Only mine" in html and "No sibling or household" in html


def test_reporting_a_partners_event(client, world):
    today = timezone.localdate()
    f.sign_in(client, world.allocated)
    data = {
        "occurred_on_0": today.day,
        "occurred_on_1": today.month,
        "occurred_on_2": today.year,
        "agency": str(world.trust.public_id),
        "summary": "Attended A&E with a burn",
        "impact": "Pain; missed school",
        "significance": "CRITICAL",
    }
    response = client.post(_url("chronology:report", world.child), data)
    assert response.status_code == 302
    entry = ChronologyEntry.objects.get(source_type="chronology.reported")
    assert entry.agency == world.trust and entry.significance == "CRITICAL" and entry.recorded_by == world.allocated
    assert AuditEvent.objects.filter(action="chronology.reported", person=world.child).exists()
    html = client.get(_url("chronology:events", world.child)).content.decode()
    assert "Attended A&amp;E with a burn" in html and "Reported to Alex Allocated" in html


def test_reporting_an_event_from_an_agency_not_on_the_system(client, world):
    today = timezone.localdate()
    f.sign_in(client, world.allocated)
    data = {
        "occurred_on_0": today.day,
        "occurred_on_1": today.month,
        "occurred_on_2": today.year,
        "agency": "__other__",
        "summary": "Football coach worried",
        "significance": "SIGNIFICANT",
    }
    response = client.post(_url("chronology:report", world.child), data)
    assert response.status_code == 400 and b"Enter the name of the agency" in response.content
    assert not ChronologyEntry.objects.exists()
    assert (
        client.post(_url("chronology:report", world.child), data | {"agency_name": "Northbridge FC"}).status_code == 302
    )
    assert ChronologyEntry.objects.get().agency_label == "Northbridge FC"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"summary": ""}, "Say what happened"),
        ({"agency": ""}, "Select the agency that reported it"),
        ({"future": True}, "cannot be in the future"),
        ({"past": True}, "more than a day after it happened"),
    ],
)
def test_bad_reports_are_explained_and_change_nothing(client, world, change, message):
    day = timezone.localdate()
    day += dt.timedelta(days=2) if change.pop("future", False) else dt.timedelta(0)
    day -= dt.timedelta(days=9) if change.pop("past", False) else dt.timedelta(0)
    data = {
        "occurred_on_0": day.day,
        "occurred_on_1": day.month,
        "occurred_on_2": day.year,
        "agency": str(world.trust.public_id),
        "summary": "Something",
        "significance": "SIGNIFICANT",
    } | change
    f.sign_in(client, world.allocated)
    response = client.post(_url("chronology:report", world.child), data)
    assert response.status_code == 400 and message in response.content.decode()
    assert "There is a problem" in response.content.decode()
    assert not ChronologyEntry.objects.exists()


def test_a_health_partner_may_read_the_chronology_but_not_add_to_it(client, world):
    f.sign_in(client, world.health)
    assert client.get(_url("chronology:events", world.child)).status_code == 200
    response = client.post(_url("chronology:report", world.child), {"summary": "x"})
    assert response.status_code == 403 and not ChronologyEntry.objects.exists()
    assert AuditEvent.objects.filter(actor=world.health, outcome="DENIED", basis="no-capability").exists()
    with pytest.raises(services.ChronologyRefused):
        services.add_reported_event(
            person=world.child,
            principal=f.principal_for(world.health),
            now=timezone.now(),
            occurred_on=timezone.now().date(),
            summary="x",
            significance="ROUTINE",
            agency=world.trust,
        )


@pytest.mark.parametrize("payload", ['=HYPERLINK("http://evil")', "+1+1", "-2+3", "@SUM(A1)", "\tx=1", "\rx=1"])
def test_csv_cells_that_a_spreadsheet_would_run_are_made_safe(client, world, event, payload):
    event(summary=payload, impact=payload)
    f.sign_in(client, world.allocated)
    response = client.get(_url("chronology:csv", world.child))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Child", "Date of event", "Category", "What happened"]
    assert rows[1][3] == "'" + payload and rows[1][4] == "'" + payload
    assert AuditEvent.objects.filter(
        actor=world.allocated, action="person.chronology.export", person=world.child, details__format="csv"
    ).exists()


def test_safe_cell_leaves_ordinary_text_alone():
    assert exports.safe_cell("Seen at school") == "Seen at school"
    assert exports.safe_cell("Mum said: =(") == "Mum said: =("
    assert exports.safe_cell(None) == ""


def test_the_pdf_is_a_pdf_with_the_entries_the_filter_the_date_and_the_marking(client, world, event):
    event(summary="Łukasz's school reported bruising", significance="SIGNIFICANT")
    event(summary="A routine event", significance="ROUTINE")
    f.sign_in(client, world.allocated)
    response = client.get(_url("chronology:pdf", world.child, significance="SIGNIFICANT"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = " ".join(pdf_text(response.content).split())
    assert text.count("OFFICIAL-SENSITIVE") >= 2  # at the top and the foot of the page
    assert "Chronology of Testchild Example" in text
    assert "Łukasz's school reported bruising" in text and "A routine event" not in text
    assert "Filter: Significant events from every agency" in text
    assert f"Exported on {timezone.localdate().strftime('%-d %B %Y')}" in text
    assert AuditEvent.objects.filter(action="person.chronology.export", details__format="pdf").exists()


def test_the_family_pdf_names_each_child(client, world, event):
    _family(world)
    f.involve(world.sibling, user=world.allocated, kind=InvolvementKind.ALLOCATED_WORKER, created_by=world.manager)
    event(world.sibling, summary="Sibling event")
    f.sign_in(client, world.allocated)
    text = " ".join(pdf_text(client.get(_url("chronology:pdf", world.child, family=1)).content).split())
    assert (
        "Family chronology of Testchild Example" in text and "Testsibling Example" in text and "Sibling event" in text
    )


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


@pytest.mark.parametrize("name", ["chronology:events", "chronology:family", "chronology:csv"])
def test_query_counts_do_not_grow_with_the_chronology(client, world, event, name):
    event(summary="First", agency=world.trust)
    f.sign_in(client, world.allocated)
    url = _url(name, world.child)
    before = _count(client, url)
    for i in range(20):
        event(summary=f"Event {i}", agency=world.trust if i % 2 else world.la, significance="SIGNIFICANT")
    assert _count(client, url) == before


def test_only_the_childs_partnership_agencies_are_offered_and_others_are_refused(client, world):
    f.sign_in(client, world.allocated)
    html = client.get(_url("chronology:report", world.child)).content.decode()
    assert "Northbridge Hospitals NHS Trust" in html and "Northbridge Council" in html
    assert "Southmere Council" not in html
    today = timezone.localdate()
    data = {
        "occurred_on_0": today.day,
        "occurred_on_1": today.month,
        "occurred_on_2": today.year,
        "agency": str(world.other_la.public_id),
        "summary": "Something",
        "significance": "SIGNIFICANT",
    }
    response = client.post(_url("chronology:report", world.child), data)
    assert response.status_code == 400 and not ChronologyEntry.objects.exists()
