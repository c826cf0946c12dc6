from __future__ import annotations

import time

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.test import Client, override_settings

from safeguarding.accounts.forms import SIGN_IN_FAILED
from safeguarding.accounts.middleware import SESSION_SIGNED_IN_AT
from safeguarding.audit.models import AuditEvent, Channel, Outcome

from .helpers import MFA, PASSWORD, SIGN_IN, events, post_sign_in


def test_it_shows_a_gov_uk_sign_in_form(client):
    response = client.get(SIGN_IN)

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert "Sign in to Open Safeguarding" in html
    assert '<label class="govuk-label" for="id_username">Username</label>' in html
    assert '<label class="govuk-label" for="id_password">Password</label>' in html
    assert 'type="password"' in html
    assert 'autocomplete="current-password"' in html
    assert "csrfmiddlewaretoken" in html
    assert response["Cache-Control"].startswith("max-age=0")


def test_it_signs_in_and_asks_for_the_authenticator_code(client, world):
    response = post_sign_in(client, "alex")

    assert response.status_code == 302
    assert response["Location"] == MFA
    assert client.session[SESSION_KEY] == str(world.allocated.pk)
    assert abs(client.session[SESSION_SIGNED_IN_AT] - time.time()) < 60


def test_it_changes_the_session_key_at_sign_in(client, world):
    session = client.session
    session["visited"] = True
    session.save()
    before = session.session_key

    post_sign_in(client, "alex")

    assert client.session.session_key != before
    assert not Session.objects.filter(session_key=before).exists()


def test_it_gives_one_message_for_a_wrong_password_and_an_unknown_user(client, world):
    wrong_password = post_sign_in(client, "alex", "not the password")
    unknown_user = post_sign_in(client, "nobody-called-this", "not the password")

    assert wrong_password.status_code == unknown_user.status_code == 422
    for response in (wrong_password, unknown_user):
        html = response.content.decode()
        assert SIGN_IN_FAILED in html
        assert 'href="#id_username"' in html
        assert "<title>Error: Sign in" in html
        assert SESSION_KEY not in client.session
    assert wrong_password.context["form"].errors == unknown_user.context["form"].errors


def test_it_keeps_the_username_but_never_the_password_in_the_form(client, world):
    response = post_sign_in(client, "alex", "Wrong-Secret-123")

    html = response.content.decode()
    assert 'value="alex"' in html
    assert "Wrong-Secret-123" not in html


def test_it_asks_for_both_fields(client, db):
    response = client.post(SIGN_IN, {"username": "", "password": ""})

    html = response.content.decode()
    assert response.status_code == 422
    assert "Enter your username" in html
    assert "Enter your password" in html
    assert not AuditEvent.objects.exists()


def test_it_audits_a_successful_sign_in(client, world):
    post_sign_in(client, "alex")

    [event] = events("auth.sign-in")
    assert event.outcome == Outcome.ALLOWED
    assert event.actor == world.allocated
    assert event.channel == Channel.WEB
    assert event.ip_address == "127.0.0.1"
    assert event.request_id


def test_it_audits_failed_sign_ins_with_the_username_tried_and_never_the_password(client, world):
    post_sign_in(client, "alex", "Wrong-Secret-123")
    post_sign_in(client, "nobody-called-this", "Other-Secret-456")

    failed = events("auth.sign-in", outcome=Outcome.FAILED)
    assert [(e.actor, e.actor_name) for e in failed] == [(None, "alex"), (None, "nobody-called-this")]
    everything = repr(list(AuditEvent.objects.values())) + repr(list(AccessAttempt.objects.values()))
    assert "Wrong-Secret-123" not in everything
    assert "Other-Secret-456" not in everything


def test_it_counts_failures_for_unknown_users_too(client, db):
    post_sign_in(client, "nobody-called-this", "guess")

    assert AccessAttempt.objects.get(username="nobody-called-this").failures_since_start == 1


def test_it_carries_a_safe_next_page_through_sign_in(client, world):
    page = client.get(SIGN_IN, {"next": "/people/search"})
    assert 'name="next" value="/people/search"' in page.content.decode()

    response = post_sign_in(client, "alex", next="/people/search")

    assert response["Location"] == f"{MFA}?next=%2Fpeople%2Fsearch"


@pytest.mark.parametrize("unsafe", ["https://evil.example/", "//evil.example/", "javascript:alert(1)", "\\\\evil"])
def test_it_ignores_a_next_page_on_another_site(client, world, unsafe):
    page = client.get(SIGN_IN, {"next": unsafe})
    response = post_sign_in(client, "alex", next=unsafe)

    assert "evil" not in page.content.decode()
    assert response["Location"] == MFA


def test_it_says_why_after_a_timeout(client, db):
    assert "You were signed out" not in client.get(SIGN_IN).content.decode()

    html = client.get(SIGN_IN, {"timeout": "1"}).content.decode()

    assert "You were signed out to keep the information in this service safe" in html


def test_it_refuses_a_sign_in_without_a_csrf_token(world):
    client = Client(enforce_csrf_checks=True)

    response = client.post(SIGN_IN, {"username": "alex", "password": PASSWORD})

    assert response.status_code == 403
    assert SESSION_KEY not in client.session


def test_it_accepts_a_sign_in_with_the_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    page = client.get(SIGN_IN)
    token = page.context["csrf_token"]

    response = client.post(SIGN_IN, {"username": "alex", "password": PASSWORD, "csrfmiddlewaretoken": str(token)})

    assert response.status_code == 302


def test_it_signs_in_a_different_user_into_a_fresh_session(client, world):
    post_sign_in(client, "alex")
    first = client.session.session_key

    post_sign_in(client, "bea")

    assert client.session.session_key != first
    assert client.session[SESSION_KEY] == str(world.colleague.pk)


def test_it_allows_only_get_and_post(client, db):
    assert client.put(SIGN_IN).status_code == 405


def test_it_mentions_the_authenticator_app_only_when_mfa_is_required(client, db):
    assert "authenticator app" in client.get(SIGN_IN).content.decode()

    with override_settings(MFA_REQUIRED=False):
        assert "authenticator app" not in client.get(SIGN_IN).content.decode()
