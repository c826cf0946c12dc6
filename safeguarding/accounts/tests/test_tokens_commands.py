"""create_api_token and revoke_api_token: what an operator sees, and what they may not do."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from safeguarding.accounts.models import ApiToken, Membership
from safeguarding.accounts.roles import Role
from safeguarding.accounts.tokens import TOKEN_FORMAT, principal_for_token
from safeguarding.audit.models import AuditEvent


def run(name: str, *args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(name, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def now() -> dt.datetime:
    return timezone.now()


def test_it_prints_one_working_token_and_nothing_else_on_stdout(world):
    out, err = run("create_api_token", "--user", "alex", "--name", "Health partner feed")
    token = out.strip()
    assert TOKEN_FORMAT.match(token)
    assert "will not be shown again" in err and token not in err
    principal = principal_for_token(token, now=now())
    assert principal is not None and principal.user == world.allocated
    assert ApiToken.objects.get().name == "Health partner feed"
    created = AuditEvent.objects.get(action="auth.api-token-created")
    assert created.channel == "COMMAND" and "(create_api_token)" in created.details["operator"]


def test_it_lists_the_memberships_and_fails_when_the_user_has_several_and_none_is_chosen(world):
    second = Membership.objects.create(
        user=world.allocated, organisation=world.la, team=world.team_b, role=Role.MASH_OFFICER
    )
    with pytest.raises(CommandError) as refused:
        run("create_api_token", "--user", "alex")
    assert refused.value.returncode != 0
    message = str(refused.value)
    assert "choose one with --membership" in message
    assert str(second.public_id) in message and str(world.allocated.memberships.first().public_id) in message
    assert not ApiToken.objects.exists()


def test_it_creates_the_token_for_the_chosen_membership(world):
    second = Membership.objects.create(
        user=world.allocated, organisation=world.la, team=world.team_b, role=Role.MASH_OFFICER
    )
    out, _ = run("create_api_token", "--user", "alex", "--membership", str(second.public_id))
    principal = principal_for_token(out.strip(), now=now())
    assert principal is not None and principal.membership == second


def test_it_ignores_memberships_that_have_ended_when_choosing(world):
    Membership.objects.create(
        user=world.allocated,
        organisation=world.la,
        team=world.team_b,
        role=Role.MASH_OFFICER,
        ends_on=dt.date(2020, 1, 1),
    )
    out, _ = run("create_api_token", "--user", "alex")
    principal = principal_for_token(out.strip(), now=now())
    assert principal is not None and principal.membership.team == world.team_a


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--user", "zed"], "zed has no current membership"),
        (["--user", "nobody"], "There is no user called nobody"),
        (["--user", "alex", "--membership", "00000000-0000-4000-8000-000000000000"], "has no current membership 0000"),
        (["--user", "alex", "--name", "x" * 101], "at most 100 characters"),
    ],
    ids=["outsider-without-membership", "unknown-user", "someone-elses-membership", "name-too-long"],
)
def test_it_refuses_and_creates_nothing(world, args, message):
    with pytest.raises(CommandError, match=message):
        run("create_api_token", *args)
    assert not ApiToken.objects.exists()
    assert not AuditEvent.objects.filter(action="auth.api-token-created").exists()


def test_it_will_not_use_another_users_membership(world):
    with pytest.raises(CommandError, match="has no current membership"):
        run("create_api_token", "--user", "alex", "--membership", str(world.colleague.memberships.get().public_id))


def test_it_refuses_a_deactivated_user(world):
    world.allocated.is_active = False
    world.allocated.save()
    with pytest.raises(CommandError, match="deactivated"):
        run("create_api_token", "--user", "alex")


@pytest.mark.parametrize("form", ["prefix", "osg_prefix", "whole-token"])
def test_revoke_api_token_accepts_the_prefix_in_any_form_and_audits(world, form):
    token = run("create_api_token", "--user", "alex")[0].strip()
    prefix = token.split("_")[1]
    given = {"prefix": prefix, "osg_prefix": f"osg_{prefix}", "whole-token": token}[form]
    out, _ = run("revoke_api_token", given)
    assert f"Revoked osg_{prefix}" in out and "alex" in out
    assert principal_for_token(token, now=now()) is None
    revoked = AuditEvent.objects.get(action="auth.api-token-revoked")
    assert revoked.object_id == prefix and revoked.channel == "COMMAND"


def test_revoke_api_token_says_when_there_is_no_such_token(world):
    with pytest.raises(CommandError, match="No active token starts osg_0123abcd"):
        run("revoke_api_token", "osg_0123abcd")
