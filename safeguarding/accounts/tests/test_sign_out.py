from __future__ import annotations

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.test import Client

from safeguarding.audit.models import Outcome
from tests import factories as f

from .helpers import CHOOSE_ROLE, SIGN_IN, SIGN_OUT, events


def test_it_signs_out_and_ends_the_session_on_the_server(client, world):
    f.sign_in(client, world.allocated)
    old_key = client.session.session_key

    response = client.post(SIGN_OUT)

    assert response["Location"] == SIGN_IN
    assert not Session.objects.filter(session_key=old_key).exists()
    assert SESSION_KEY not in client.session
    assert client.get(CHOOSE_ROLE)["Location"].startswith(f"{SIGN_IN}?next=")


def test_it_cannot_be_replayed_with_the_old_session_cookie(client, world):
    f.sign_in(client, world.allocated)
    old_key = client.session.session_key
    client.post(SIGN_OUT)

    thief = Client()
    thief.cookies["sessionid"] = old_key

    assert thief.get(CHOOSE_ROLE)["Location"].startswith(f"{SIGN_IN}?next=")


def test_it_says_you_have_signed_out(client, world):
    f.sign_in(client, world.allocated)

    response = client.post(SIGN_OUT, follow=True)

    assert "You have signed out" in response.content.decode()


def test_it_audits_the_sign_out_with_the_role_in_use(client, world):
    f.sign_in(client, world.allocated)

    client.post(SIGN_OUT)

    [event] = events("auth.sign-out")
    assert (event.outcome, event.actor, event.membership) == (
        Outcome.ALLOWED,
        world.allocated,
        world.allocated.memberships.get(),
    )


def test_it_only_signs_out_on_post(client, world):
    f.sign_in(client, world.allocated)

    response = client.get(SIGN_OUT)

    assert response.status_code == 405
    assert client.session[SESSION_KEY] == str(world.allocated.pk)


def test_it_needs_the_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    f.sign_in(client, world.allocated)

    response = client.post(SIGN_OUT)

    assert response.status_code == 403
    assert client.session[SESSION_KEY] == str(world.allocated.pk)
    assert events("auth.sign-out") == []


def test_it_does_nothing_much_for_someone_not_signed_in(client, db):
    response = client.post(SIGN_OUT)

    assert response["Location"] == SIGN_IN
    assert events("auth.sign-out") == []
