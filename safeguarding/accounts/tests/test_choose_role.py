from __future__ import annotations

import datetime as dt

import pytest

from safeguarding.accounts.middleware import SESSION_MEMBERSHIP
from safeguarding.accounts.models import Membership
from safeguarding.accounts.roles import Role
from safeguarding.audit.models import Outcome
from tests import factories as f

from .helpers import CHOOSE_ROLE, SIGN_IN, events


@pytest.fixture
def two_roles(world) -> tuple[Membership, Membership]:
    """Mo manages the service and also works as a MASH officer."""
    manager = world.manager.memberships.get()
    mash = Membership.objects.create(
        user=world.manager, organisation=world.la, team=world.team_b, role=Role.MASH_OFFICER
    )
    return manager, mash


def _signed_in_without_role(client, user):
    f.sign_in(client, user)
    session = client.session
    session.pop(SESSION_MEMBERSHIP, None)
    session.save()


def test_it_lists_each_current_role_as_radios(client, world, two_roles):
    Membership.objects.create(
        user=world.manager,
        organisation=world.la,
        role=Role.ANALYST,
        ends_on=dt.date(2020, 1, 1),
        starts_on=dt.date(2019, 1, 1),
    )
    _signed_in_without_role(client, world.manager)

    response = client.get(CHOOSE_ROLE)

    html = response.content.decode()
    assert response.status_code == 200
    assert '<h1 class="govuk-fieldset__heading">Which role are you working in?</h1>' in html
    assert html.count('type="radio"') == 2
    assert "Team manager: Children&#x27;s Social Care, Northbridge Council" in html
    assert "MASH officer: Assessment Team B, Northbridge Council" in html
    assert "Analyst" not in html  # ended


def test_it_sends_a_user_with_several_roles_to_choose_one(client, world, two_roles):
    _signed_in_without_role(client, world.manager)

    assert client.get("/")["Location"] == CHOOSE_ROLE


def test_it_stores_the_chosen_role_and_audits_it(client, world, two_roles):
    _, mash = two_roles
    _signed_in_without_role(client, world.manager)

    response = client.post(CHOOSE_ROLE, {"membership": str(mash.public_id), "next": "/people/search"})

    assert response["Location"] == "/people/search"
    assert client.session[SESSION_MEMBERSHIP] == mash.id
    [event] = events("auth.role-chosen")
    assert (event.outcome, event.actor, event.membership, event.role) == (
        Outcome.ALLOWED,
        world.manager,
        mash,
        Role.MASH_OFFICER,
    )


def test_it_marks_the_role_in_use(client, world, two_roles):
    _, mash = two_roles
    f.sign_in(client, world.manager, membership=mash)

    html = client.get(CHOOSE_ROLE).content.decode()

    assert f'value="{mash.public_id}" checked' in html


def test_it_refuses_someone_elses_role_and_audits_the_attempt(client, world, two_roles):
    manager, _ = two_roles
    others = world.allocated.memberships.get()
    f.sign_in(client, world.manager, membership=manager)

    response = client.post(CHOOSE_ROLE, {"membership": str(others.public_id)})

    assert response.status_code == 422
    assert "Select one of your roles" in response.content.decode()
    assert 'href="#id_membership_0"' in response.content.decode()
    assert client.session[SESSION_MEMBERSHIP] == manager.id
    [event] = events("auth.role-chosen")
    assert (event.outcome, event.object_id, event.membership) == (Outcome.DENIED, str(others.public_id), None)


def test_it_refuses_an_ended_role_of_their_own(client, world, two_roles):
    manager, mash = two_roles
    mash.ends_on = dt.date(2020, 1, 1)
    mash.starts_on = dt.date(2019, 1, 1)
    mash.save()
    f.sign_in(client, world.manager, membership=manager)

    response = client.post(CHOOSE_ROLE, {"membership": str(mash.public_id)})

    assert response.status_code == 422
    assert client.session[SESSION_MEMBERSHIP] == manager.id
    assert [e.outcome for e in events("auth.role-chosen")] == [Outcome.DENIED]


@pytest.mark.parametrize("tampered", ["", "1", "not-a-uuid"])
def test_it_refuses_a_missing_or_malformed_choice(client, world, two_roles, tampered):
    manager, _ = two_roles
    f.sign_in(client, world.manager, membership=manager)

    response = client.post(CHOOSE_ROLE, {"membership": tampered})

    assert response.status_code == 422
    assert client.session[SESSION_MEMBERSHIP] == manager.id


def test_it_chooses_the_only_role_without_asking(client, world):
    _signed_in_without_role(client, world.allocated)

    response = client.get(CHOOSE_ROLE)

    assert response["Location"] == "/"
    assert client.session[SESSION_MEMBERSHIP] == world.allocated.memberships.get().id
    assert len(events("auth.role-chosen")) == 1


def test_it_tells_a_user_without_a_role_that_they_can_only_sign_out(client, world):
    f.sign_in(client, world.outsider)

    response = client.get(CHOOSE_ROLE)

    html = response.content.decode()
    assert response.status_code == 200
    assert "You do not have a role in Open Safeguarding" in html
    assert 'action="/sign-out"' in html
    assert 'type="radio"' not in html
    assert client.post(CHOOSE_ROLE, {"membership": str(world.allocated.memberships.get().public_id)}).status_code == 200
    assert SESSION_MEMBERSHIP not in client.session


def test_it_sends_anonymous_visitors_to_sign_in(client, db):
    assert client.get(CHOOSE_ROLE)["Location"].startswith(f"{SIGN_IN}?next=")
