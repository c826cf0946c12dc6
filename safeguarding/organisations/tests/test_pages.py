"""Organisation, team and user pages: only system administrators, only within their partnerships."""

from __future__ import annotations

import pytest
from django.urls import reverse

from safeguarding.accounts.models import Membership
from safeguarding.audit.models import AuditEvent
from safeguarding.organisations.models import Organisation, OrganisationType, Succession, Team
from tests import factories as f

NOT_ADMINS = ["allocated", "manager", "health", "auditor", "other_la", "outsider"]


def _pages(world) -> dict[str, str]:
    team = world.team_a
    membership = world.allocated.memberships.get()
    return {
        "list": reverse("organisations:list"),
        "create": reverse("organisations:create"),
        "detail": reverse("organisations:detail", args=[world.la.public_id]),
        "edit": reverse("organisations:edit", args=[world.la.public_id]),
        "succession": reverse("organisations:succession", args=[world.la.public_id]),
        "team-create": reverse("organisations:team-create", args=[world.la.public_id]),
        "team-edit": reverse("organisations:team-edit", args=[team.public_id]),
        "users": reverse("organisations:users", args=[world.la.public_id]),
        "user-create": reverse("organisations:user-create", args=[world.la.public_id]),
        "user-detail": reverse("organisations:user-detail", args=[world.allocated.public_id]),
        "user-status": reverse("organisations:user-status", args=[world.allocated.public_id]),
        "membership-add": reverse("organisations:membership-add", args=[world.allocated.public_id]),
        "membership-end": reverse("organisations:membership-end", args=[membership.public_id]),
    }


@pytest.mark.parametrize(
    "page",
    sorted(
        [
            "list",
            "create",
            "detail",
            "edit",
            "succession",
            "team-create",
            "team-edit",
            "users",
            "user-create",
            "user-detail",
            "user-status",
            "membership-add",
            "membership-end",
        ]
    ),
)
def test_it_shows_every_page_to_the_administrator(client, world, page):
    f.sign_in(client, world.admin)
    response = client.get(_pages(world)[page])
    assert response.status_code == 200
    assert b"<h1" in response.content


@pytest.mark.parametrize("persona", NOT_ADMINS)
@pytest.mark.parametrize("page", ["list", "create", "detail", "users", "user-detail", "membership-end"])
def test_it_refuses_everyone_else_and_audits_the_refusal(client, world, persona, page):
    user = world.personas()[persona]
    f.sign_in(client, user)
    response = client.get(_pages(world)[page])
    assert response.status_code == 403
    assert b"This attempt has been recorded" in response.content
    assert AuditEvent.objects.filter(actor=user, outcome="DENIED", action__startswith="admin.").exists()


def test_it_refuses_a_post_from_someone_who_is_not_an_administrator(client, world):
    f.sign_in(client, world.manager)
    response = client.post(_pages(world)["team-create"], {"name": "Sneaky Team"})
    assert response.status_code == 403
    assert not Team.objects.filter(name="Sneaky Team").exists()
    assert AuditEvent.objects.filter(actor=world.manager, action="admin.team-created", outcome="DENIED").exists()


def test_it_refuses_an_organisation_outside_the_administrators_partnerships(client, world):
    f.sign_in(client, world.admin)
    response = client.get(reverse("organisations:detail", args=[world.other_la.public_id]))
    assert response.status_code == 403
    denied = AuditEvent.objects.get(actor=world.admin, outcome="DENIED")
    assert denied.object_id == str(world.other_la.public_id) and denied.basis == "out-of-scope"
    response = client.get(reverse("organisations:user-detail", args=[world.other_la_worker.public_id]))
    assert response.status_code == 403


def test_the_list_shows_the_partnership_and_filters_by_type(client, world):
    f.sign_in(client, world.admin)
    html = client.get(reverse("organisations:list")).content.decode()
    assert ">Northbridge Council</a>" in html and ">Northbridge Hospitals NHS Trust</a>" in html
    assert "Southmere Council" not in html
    html = client.get(reverse("organisations:list"), {"type": OrganisationType.NHS_TRUST}).content.decode()
    assert ">Northbridge Hospitals NHS Trust</a>" in html and ">Northbridge Council</a>" not in html


def test_the_detail_page_shows_identifiers_teams_people_history_and_partnerships(client, world):
    old = f.make_org("Northbridge Primary Care Trust", OrganisationType.PRIMARY_CARE_TRUST, ods_code="5AB")
    world.la.partnerships.first().organisations.add(old)
    Succession.objects.create(predecessor=old, successor=world.trust, effective_date="2013-04-01")
    f.sign_in(client, world.admin)
    html = client.get(reverse("organisations:detail", args=[world.trust.public_id])).content.decode()
    assert "RZZ01" in html and "Paediatrics" in html and "Hana Health" in html
    assert "Took over from" in html and "Northbridge Primary Care Trust" in html
    assert "Northbridge Safeguarding Children Partnership" in html


def test_the_list_pages_make_a_bounded_number_of_queries(client, world, django_assert_max_num_queries):
    for n in range(30):
        org = f.make_org(f"School {n}", OrganisationType.SCHOOL, school_urn=f"{100000 + n}")
        world.la.partnerships.first().organisations.add(org)
        f.make_team(org, "Safeguarding")
        f.make_user(f"teacher{n}", org=world.la, role="SOCIAL_WORKER", team=world.team_b)
    f.sign_in(client, world.admin)
    for url in (
        reverse("organisations:list"),
        reverse("organisations:detail", args=[world.la.public_id]),
        reverse("organisations:users", args=[world.la.public_id]),
    ):
        with django_assert_max_num_queries(25):
            assert client.get(url).status_code == 200


def test_it_adds_an_organisation_through_the_form(client, world):
    f.sign_in(client, world.admin)
    partnership = world.la.partnerships.first()
    response = client.post(
        reverse("organisations:create"),
        {
            "name": "Northbridge Academy",
            "type": OrganisationType.SCHOOL,
            "school_urn": "123456",
            "partnerships": [partnership.pk],
            "office_hours_phone": "01632 960 001",
        },
    )
    org = Organisation.objects.get(name="Northbridge Academy")
    assert response.status_code == 302 and response["Location"] == reverse("organisations:detail", args=[org.public_id])
    assert partnership.organisations.filter(pk=org.pk).exists()
    assert AuditEvent.objects.filter(
        actor=world.admin, action="admin.organisation-created", object_id=str(org.public_id)
    )


def test_it_shows_clear_errors_for_bad_identifiers_and_dates_and_saves_nothing(client, world):
    f.sign_in(client, world.admin)
    response = client.post(
        reverse("organisations:create"),
        {
            "name": "Bad Council",
            "type": OrganisationType.LOCAL_AUTHORITY,
            "dfe_la_code": "12",
            "ods_code": "R!",
            "valid_from_0": "1",
            "valid_from_1": "4",
            "valid_from_2": "2020",
            "valid_to_0": "1",
            "valid_to_1": "4",
            "valid_to_2": "2019",
            "partnerships": [world.la.partnerships.first().pk],
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in html
    assert "3 digits" in html and "3 to 10 letters and numbers" in html
    assert "must be the same as or after" in html
    assert not Organisation.objects.filter(name="Bad Council").exists()


def test_it_adds_a_user_and_shows_the_password_rules_they_broke(client, world):
    f.sign_in(client, world.admin)
    url = reverse("organisations:user-create", args=[world.la.public_id])
    data = {
        "username": "newbie",
        "first_name": "Nia",
        "last_name": "Newbie",
        "email": "nia@example.org",
        "job_title": "Social worker",
        "role": "SOCIAL_WORKER",
        "team": world.team_a.pk,
        "password": "short",
    }
    html = client.post(url, data).content.decode()
    assert "This password is too short" in html
    assert not Membership.objects.filter(user__username="newbie").exists()
    response = client.post(url, data | {"password": "a long and unusual passphrase 42"})
    assert response.status_code == 302
    membership = Membership.objects.get(user__username="newbie")
    assert membership.team == world.team_a and membership.organisation == world.la
    created = AuditEvent.objects.get(action="admin.user-created")
    assert "passphrase" not in str(created.details) and "password" not in created.details


def test_a_deactivated_user_is_signed_out_on_their_next_request(client, world):
    from django.test import Client

    worker = Client()
    f.sign_in(worker, world.allocated)
    assert worker.get(reverse("work:my-work")).status_code == 200
    f.sign_in(client, world.admin)
    response = client.post(reverse("organisations:user-status", args=[world.allocated.public_id]))
    assert response.status_code == 302
    assert worker.get(reverse("work:my-work")).status_code == 302
    assert AuditEvent.objects.filter(actor=world.admin, action="admin.user-deactivated").exists()


def test_ending_a_membership_takes_effect_on_the_users_next_request(client, world):
    from django.test import Client

    worker = Client()
    f.sign_in(worker, world.allocated)
    child_page = reverse("people:detail", args=[world.child.public_id])
    assert worker.get(child_page).status_code == 200
    f.sign_in(client, world.admin)
    membership = world.allocated.memberships.get()
    response = client.post(reverse("organisations:membership-end", args=[membership.public_id]))
    assert response.status_code == 302
    after = worker.get(child_page)
    assert after.status_code in (403, 404)
    assert b"Testchild" not in after.content
    assert AuditEvent.objects.filter(actor=world.admin, action="admin.membership-ended").exists()


def test_it_adds_a_role_to_a_user(client, world):
    f.sign_in(client, world.admin)
    response = client.post(
        reverse("organisations:membership-add", args=[world.colleague.public_id]),
        {
            "organisation": world.la.pk,
            "team": world.team_b.pk,
            "role": "TEAM_MANAGER",
        },
    )
    assert response.status_code == 302
    assert Membership.objects.filter(user=world.colleague, team=world.team_b, role="TEAM_MANAGER").exists()
    assert AuditEvent.objects.filter(action="admin.membership-added", details__role="TEAM_MANAGER").exists()


def test_it_records_a_successor_and_closes_the_predecessor(client, world):
    old = f.make_org("Old Trust", OrganisationType.NHS_TRUST, ods_code="ROLD1")
    world.la.partnerships.first().organisations.add(old)
    f.sign_in(client, world.admin)
    response = client.post(
        reverse("organisations:succession", args=[old.public_id]),
        {
            "successor": world.trust.pk,
            "effective_date_0": "1",
            "effective_date_1": "7",
            "effective_date_2": "2022",
        },
    )
    assert response.status_code == 302
    old.refresh_from_db()
    assert str(old.valid_to) == "2022-06-30"
    html = client.get(reverse("organisations:detail", args=[old.public_id])).content.decode()
    assert "Succeeded by" in html and "Northbridge Hospitals NHS Trust" in html


def test_it_adds_and_changes_a_team_with_a_parent(client, world):
    f.sign_in(client, world.admin)
    url = reverse("organisations:team-create", args=[world.la.public_id])
    assert client.post(url, {"name": "Assessment Team C", "parent": world.service.pk}).status_code == 302
    team = Team.objects.get(name="Assessment Team C")
    assert team.parent == world.service
    edit = reverse("organisations:team-edit", args=[world.service.public_id])
    response = client.post(edit, {"name": "Children's Social Care", "parent": team.pk, "is_active": "on"})
    assert response.status_code == 400
    assert "cannot sit beneath itself" in response.content.decode()
