"""Due and overdue on My work, and the team manager's dashboard: who sees what, audited with the rows shown."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from safeguarding.access.models import InvolvementKind
from safeguarding.accounts.roles import Role
from safeguarding.audit.models import AuditEvent
from safeguarding.casework import oversight
from safeguarding.work.tests import factories as w
from tests import factories as f

XSS = '<script>alert("x")</script>'


def _today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def journeys(world):
    """The child is allocated to Alex with an overdue CIN plan review; the sibling is with team A, unallocated,
    with an assessment due in the future."""
    mine = w.make_episode(
        world.child, worker=world.allocated, team=world.team_a, referral_date=_today() - dt.timedelta(200)
    )
    w.make_cin_plan(mine, start_date=_today() - dt.timedelta(days=120))
    f.involve(world.sibling, team=world.team_a, kind=InvolvementKind.TEAM, created_by=world.manager)
    theirs = w.make_episode(world.sibling, team=world.team_a, referral_date=_today())
    w.make_assessment(theirs, start_date=_today(), days=10)
    return mine, theirs


def test_my_work_shows_due_and_overdue_first_mine_then_my_teams(client, world, journeys):
    f.sign_in(client, world.allocated)
    html = client.get(reverse("work:my-work")).content.decode()
    due = html.split('id="due"')[1].split("Allocated to me")[0]
    mine, team = due.split("The rest of my team")
    assert "Testchild Example" in mine and "Child in need plan review" in mine and "overdue" in mine
    assert "Local practice standard" in mine  # the standard's source
    assert "Testsibling Example" in team and "Single assessment" in team and "Not allocated" in team
    assert html.index('id="due"') < html.index("Allocated to me")
    event = AuditEvent.objects.get(actor=world.allocated, action="work.list")
    assert {str(world.child.public_id), str(world.sibling.public_id)} <= set(event.details["shown"])


def test_a_social_worker_gets_no_dashboard_link_and_is_refused_the_dashboard(client, world, journeys):
    f.sign_in(client, world.allocated)
    assert reverse("work:team") not in client.get(reverse("work:my-work")).content.decode()
    response = client.get(reverse("work:team"))
    assert response.status_code == 403 and "Testchild" not in response.content.decode()
    assert AuditEvent.objects.filter(actor=world.allocated, action="work.team", outcome="DENIED").exists()


def test_the_manager_sees_caseload_unallocated_due_and_decisions_audited_with_the_rows_shown(client, world, journeys):
    mine, _ = journeys
    oversight.record_management_decision(
        episode=mine,
        principal=f.principal_for(world.manager),
        now=timezone.now(),
        decided_on=_today(),
        decision="Step up to a strategy discussion " + XSS,
        rationale="New injury",
    )
    f.sign_in(client, world.manager)
    assert reverse("work:team") in client.get(reverse("work:my-work")).content.decode()
    response = client.get(reverse("work:team"))
    assert response.status_code == 200
    html = response.content.decode()
    caseload = html.split('id="caseload"')[1].split('id="unallocated"')[0]
    assert "Alex Allocated" in caseload and "Bea Colleague" in caseload and "Olu Otherteam" in caseload
    unallocated = html.split('id="unallocated"')[1].split('id="decisions"')[0]
    assert "Testsibling Example" in unallocated and "Testchild" not in unallocated
    assert reverse("oversight:transfer", args=[world.sibling.public_id, journeys[1].public_id]) in unallocated
    assert "Child in need plan review" in html.split('id="due"')[1].split('id="caseload"')[0]
    decisions = html.split('id="decisions"')[1]
    assert "Step up to a strategy discussion" in decisions and XSS not in html
    event = AuditEvent.objects.get(actor=world.manager, action="work.team")
    assert set(event.details["shown"]) == {str(world.child.public_id), str(world.sibling.public_id)}


def test_one_team_at_a_time(client, world, journeys):
    f.sign_in(client, world.manager)
    html = client.get(reverse("work:team"), {"team": str(world.team_b.public_id)}).content.decode()
    assert "Testchild" not in html and "Olu Otherteam" in html and "Alex Allocated" not in html


def test_another_teams_manager_does_not_see_this_teams_caseload(client, world, journeys):
    elsewhere = f.make_team(world.la, "Disabled Children's Team")
    other_manager = f.make_user("mia", org=world.la, role=Role.TEAM_MANAGER, team=elsewhere, last_name="Othermanager")
    f.sign_in(client, other_manager)
    html = client.get(reverse("work:team")).content.decode()
    assert "Testchild" not in html and "Testsibling" not in html and "Alex Allocated" not in html
    response = client.get(reverse("work:team"), {"team": str(world.team_a.public_id)})
    assert response.status_code == 403 and "Testchild" not in response.content.decode()
    assert AuditEvent.objects.filter(actor=other_manager, action="work.team", outcome="DENIED").exists()


@pytest.mark.parametrize("persona", ["health", "auditor", "admin", "other_la", "outsider"])
def test_other_roles_are_refused_the_dashboard(client, world, journeys, persona):
    f.sign_in(client, world.personas()[persona])
    response = client.get(reverse("work:team"))
    assert response.status_code == 403 and "Testchild" not in response.content.decode()


def test_a_restricted_child_is_not_listed_to_a_manager_not_named_on_it(client, world, journeys):
    world.child.is_restricted = True
    world.child.save(update_fields=["is_restricted"])
    f.sign_in(client, world.manager)
    html = client.get(reverse("work:team")).content.decode()
    assert "Testchild" not in html and "Testsibling Example" in html


def test_the_dashboard_makes_a_bounded_number_of_queries(client, world, django_assert_max_num_queries):
    def add(n: int) -> None:
        child = f.make_person(world.la, given_name=f"Loadchild{n}")
        f.involve(child, team=world.team_a, kind=InvolvementKind.TEAM, created_by=world.manager)
        episode = w.make_episode(child, worker=world.colleague if n % 2 else None, team=world.team_a)
        w.make_assessment(episode, start_date=_today() - dt.timedelta(days=30))
        w.make_cin_plan(episode, start_date=_today() - dt.timedelta(days=100))

    add(0)
    f.sign_in(client, world.manager)
    with django_assert_max_num_queries(60) as few:
        client.get(reverse("work:team"))
    for n in range(1, 15):
        add(n)
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(reverse("work:team")).content.decode()
    assert html.count("Loadchild") >= 15


def test_my_work_makes_a_bounded_number_of_queries_with_due_items(client, world, django_assert_max_num_queries):
    def add(n: int) -> None:
        child = f.make_person(world.la, given_name=f"Mychild{n}")
        f.involve(child, user=world.allocated, created_by=world.manager)
        episode = w.make_episode(child, worker=world.allocated, team=world.team_a)
        w.make_cin_plan(episode, start_date=_today() - dt.timedelta(days=100))

    add(0)
    f.sign_in(client, world.allocated)
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("work:my-work"))
    for n in range(1, 15):
        add(n)
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(reverse("work:my-work")).content.decode()
    assert html.split('id="due"')[1].count("Child in need plan review<br>") == 15


@pytest.mark.parametrize(("persona", "shown"), [("manager", True), ("allocated", False), ("health", False)])
def test_the_menu_offers_the_team_caseload_only_to_managers(client, world, persona, shown):
    f.sign_in(client, world.personas()[persona])
    menu = client.get(reverse("work:my-work")).content.decode().split('id="navigation"')[1].split("</ul>")[0]
    assert (">Team caseload</a>" in menu) is shown


def test_the_dashboard_lists_what_is_due_in_four_weeks_and_counts_the_rest(client, world, journeys):
    later = w.make_episode(f.make_person(world.la, given_name="Laterchild"), worker=world.colleague, team=world.team_a)
    f.involve(later.person, team=world.team_a, kind=InvolvementKind.TEAM, created_by=world.manager)
    w.make_cin_plan(later, start_date=_today())  # review due in three months
    f.sign_in(client, world.manager)
    html = client.get(reverse("work:team")).content.decode()
    due_section = html.split('id="due"')[1].split('id="caseload"')[0]
    assert "Laterchild" not in due_section and "1 more item is due after" in due_section
    assert "Laterchild" in html.split('id="caseload"')[1]
