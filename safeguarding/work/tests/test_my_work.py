"""My work: the children allocated to me and to my team, audited with the rows shown; useful to every role."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from safeguarding.access import services as access_services
from safeguarding.access.models import BreakGlassReason, InvolvementKind
from safeguarding.audit.models import AuditEvent
from tests import factories as f


def test_it_sends_anonymous_visitors_to_sign_in(client, db):
    response = client.get(reverse("work:my-work"))
    assert response.status_code == 302 and reverse("accounts:sign-in") in response["Location"]


def test_it_lists_my_children_and_my_teams_and_audits_the_rows_shown(client, world):
    f.involve(world.sibling, team=world.team_a, kind=InvolvementKind.TEAM, created_by=world.manager)
    f.sign_in(client, world.allocated)
    response = client.get(reverse("work:my-work"))
    html = response.content.decode()
    assert response.status_code == 200
    mine, team = html.split("Allocated to me")[1].split("Also with my team")
    assert "Testchild Example" in mine and reverse("people:detail", args=[world.child.public_id]) in mine
    assert "14 Mar 2016" in mine
    assert "Testsibling Example" in team and "Testchild" not in team
    event = AuditEvent.objects.get(actor=world.allocated, action="work.list")
    assert set(event.details["shown"]) == {str(world.child.public_id), str(world.sibling.public_id)}


def test_a_colleague_sees_the_child_under_their_team(client, world):
    f.sign_in(client, world.colleague)
    html = client.get(reverse("work:my-work")).content.decode()
    assert "No children are allocated to you" in html
    assert "Testchild Example" in html.split("Also with my team")[1]


def test_a_worker_elsewhere_sees_a_helpful_empty_page(client, world):
    f.sign_in(client, world.other_la_worker)
    html = client.get(reverse("work:my-work")).content.decode()
    assert "Testchild" not in html
    assert "No children are allocated to you" in html and "Find a person" in html


def test_an_auditor_sees_the_number_of_alerts_to_review(client, world):
    access_services.break_glass(
        person=world.child,
        principal=f.principal_for(world.other_team),
        reason_code=BreakGlassReason.EMERGENCY,
        reason="Police called about the child tonight",
        now=timezone.now(),
    )
    f.sign_in(client, world.auditor)
    html = client.get(reverse("work:my-work")).content.decode()
    assert "1</strong> emergency access alert to review" in html and reverse("audit:alerts") in html
    assert "Testchild" not in html
    assert not AuditEvent.objects.filter(actor=world.auditor, action="work.list").exists()


def test_an_administrator_gets_links_to_manage_organisations(client, world):
    f.sign_in(client, world.admin)
    html = client.get(reverse("work:my-work")).content.decode()
    assert reverse("organisations:list") in html and "Testchild" not in html


def test_someone_without_a_role_is_told_why_the_page_is_empty(client, world):
    f.sign_in(client, world.outsider)
    html = client.get(reverse("work:my-work")).content.decode()
    assert "You do not have a role in any organisation" in html


@pytest.mark.parametrize(
    ("persona", "visible", "hidden"),
    [
        ("allocated", {"Search"}, {"Audit", "Organisations"}),
        ("health", {"Search"}, {"Audit", "Organisations"}),
        ("auditor", {"Audit"}, {"Search", "Organisations"}),
        ("admin", {"Organisations"}, {"Search", "Audit"}),
        ("outsider", set(), {"Search", "Audit", "Organisations"}),
    ],
)
def test_the_menu_shows_only_what_the_role_can_use(client, world, persona, visible, hidden):
    f.sign_in(client, world.personas()[persona])
    html = client.get(reverse("work:my-work")).content.decode()
    menu = html.split('id="navigation"')[1].split("</ul>")[0]
    for item in visible:
        assert f">{item}</a>" in menu
    for item in hidden:
        assert f">{item}</a>" not in menu


def test_the_page_makes_a_bounded_number_of_queries(client, world, django_assert_max_num_queries):
    for n in range(25):
        person = f.make_person(world.la, given_name=f"Child{n}")
        f.involve(person, user=world.allocated, created_by=world.manager)
    f.sign_in(client, world.allocated)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("work:my-work"))
    assert response.content.decode().count(">Child") == 25


def test_each_row_shows_when_my_or_my_teams_involvement_began(client, world):
    f.involve(
        world.sibling,
        team=world.team_a,
        kind=InvolvementKind.TEAM,
        created_by=world.manager,
        start_date=dt.date(2023, 6, 5),
    )
    f.involve(world.child, user=world.allocated, created_by=world.manager, start_date=dt.date(2024, 2, 1))
    f.sign_in(client, world.allocated)
    html = client.get(reverse("work:my-work")).content.decode()
    mine, team = html.split("Allocated to me")[1].split("Also with my team")
    assert "Involved since" in mine and "1 Jan 2020" in mine  # the earliest of my current involvements
    assert "With the team since" in team and "5 Jun 2023" in team
