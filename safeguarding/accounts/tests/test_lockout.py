from __future__ import annotations

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.management import call_command

from safeguarding.audit.models import Channel, Outcome

from .helpers import MFA, PASSWORD, events, post_sign_in


def _fail(client, username: str, times: int):
    return [post_sign_in(client, username, f"wrong-{n}") for n in range(times)]


def test_it_locks_the_account_after_the_failure_limit(client, world):
    responses = _fail(client, "alex", settings.AXES_FAILURE_LIMIT)

    assert [r.status_code for r in responses[:-1]] == [422] * (settings.AXES_FAILURE_LIMIT - 1)
    locked = responses[-1]
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "Your account is locked" in html
    assert "locked for 30 minutes" in html
    assert "contact your administrator" in html
    assert locked["Retry-After"] == "1800"
    assert html.count("<h1") == 1


def test_it_refuses_even_the_right_password_while_locked(client, world):
    _fail(client, "alex", settings.AXES_FAILURE_LIMIT)

    response = post_sign_in(client, "alex", PASSWORD)

    assert response.status_code == 429
    assert SESSION_KEY not in client.session


def test_it_locks_only_that_username(client, world):
    _fail(client, "alex", settings.AXES_FAILURE_LIMIT)

    response = post_sign_in(client, "bea", PASSWORD)

    assert response["Location"] == MFA


def test_it_locks_unknown_usernames_the_same_way(client, db):
    responses = _fail(client, "nobody-called-this", settings.AXES_FAILURE_LIMIT)

    assert responses[-1].status_code == 429
    assert "Your account is locked" in responses[-1].content.decode()


def test_it_audits_each_failure_and_the_lockout(client, world):
    _fail(client, "alex", settings.AXES_FAILURE_LIMIT)
    post_sign_in(client, "alex", PASSWORD)

    assert len(events("auth.sign-in", outcome=Outcome.FAILED, actor_name="alex")) == settings.AXES_FAILURE_LIMIT + 1
    lockouts = events("auth.locked-out")
    assert [(e.outcome, e.actor_name, e.channel) for e in lockouts] == [(Outcome.DENIED, "alex", Channel.WEB)] * 2
    assert events("auth.sign-in", outcome=Outcome.ALLOWED) == []


def test_the_unlock_command_lets_them_sign_in_again_and_is_audited(client, world, capsys):
    _fail(client, "alex", settings.AXES_FAILURE_LIMIT)

    call_command("unlock_account", "alex")

    assert "Unlocked alex" in capsys.readouterr().out
    assert post_sign_in(client, "alex", PASSWORD)["Location"] == MFA
    [event] = events("auth.unlocked")
    assert event.channel == Channel.COMMAND
    assert event.object_id == str(world.allocated.public_id)
    assert event.details == {"username": "alex", "attempts_cleared": 1}
    assert "unlock_account command" in event.actor_name


def test_the_unlock_command_is_audited_even_when_nothing_was_locked(db, capsys):
    call_command("unlock_account", "nobody-called-this")

    assert "nothing to unlock" in capsys.readouterr().out
    [event] = events("auth.unlocked")
    assert event.details == {"username": "nobody-called-this", "attempts_cleared": 0}
