"""Restricting a record and naming the people who may see it (access:restrict, access:named-access)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from safeguarding.access.models import NamedAccess
from safeguarding.access.services import restrict_record
from safeguarding.accounts.roles import Role
from safeguarding.audit.models import AuditEvent
from tests import factories as f

XSS = '"><svg onload=alert(1)>'
ESCAPED_XSS = b"&quot;&gt;&lt;svg onload=alert(1)&gt;"
PAGES = ["access:restrict", "access:named-access"]
REFUSED = {
    "allocated": 403,
    "colleague": 403,
    "health": 403,
    "other_team": 403,
    "health_other": 403,
    "auditor": 403,
    "admin": 403,
    "other_la": 404,
    "outsider": 404,
}


def url(page, person):
    return reverse(page, args=[person.public_id])


def valid_post(page, world):
    if page == "access:restrict":
        return {"reason": "Placed for adoption"}
    return {"user": str(world.colleague.public_id), "reason": "Covering the case"}


def test_a_manager_restricts_a_record(client, world):
    f.sign_in(client, world.manager)
    page = client.get(url("access:restrict", world.child))
    assert page.status_code == 200 and b"hidden from search" in page.content
    response = client.post(url("access:restrict", world.child), {"reason": "Placed for adoption"})
    assert response.status_code == 302
    assert response["Location"] == reverse("people:detail", args=[world.child.public_id])
    world.child.refresh_from_db()
    assert world.child.is_restricted
    named = set(NamedAccess.objects.filter(person=world.child).values_list("user__username", flat=True))
    assert named == {"mo", "alex"}  # the manager and the allocated worker
    assert AuditEvent.objects.filter(action="person.restricted", person=world.child, reason="Placed for adoption")
    assert b"Record restricted" in client.get(response["Location"]).content
    f.sign_in(client, world.colleague)
    assert client.get(reverse("people:detail", args=[world.child.public_id])).status_code == 404


def test_a_restricted_record_shows_who_is_named_and_cannot_be_restricted_again(client, world):
    restrict_record(person=world.child, principal=f.principal_for(world.manager), reason="Adoption", now=timezone.now())
    f.sign_in(client, world.manager)
    page = client.get(url("access:restrict", world.child))
    assert page.status_code == 200
    assert b"This record is restricted" in page.content and b"Alex Allocated" in page.content
    assert b"Restrict record</button>" not in page.content
    response = client.post(url("access:restrict", world.child), {"reason": "Again"})
    assert response.status_code == 400 and b"This record is already restricted" in response.content
    assert AuditEvent.objects.filter(action="person.restricted").count() == 1  # the first restriction only


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, b"Enter why this record must be restricted"),
        ({"reason": "   "}, b"Enter why this record must be restricted"),
        ({"reason": "x" * 2001}, b"must be 2,000 characters or fewer"),
        ({"reason": "Adop\x00tion"}, b"Null characters are not allowed"),
        ({"reason": "Adop\x08tion"}, b"must not contain hidden control characters"),
    ],
)
def test_restricting_needs_a_reason(client, world, data, message):
    f.sign_in(client, world.manager)
    response = client.post(url("access:restrict", world.child), data)
    assert response.status_code == 400 and message in response.content
    world.child.refresh_from_db()
    assert not world.child.is_restricted
    assert not NamedAccess.objects.exists()


def test_a_manager_names_a_colleague_from_the_list_and_they_can_open_the_restricted_record(client, world):
    restrict_record(person=world.child, principal=f.principal_for(world.manager), reason="Adoption", now=timezone.now())
    f.sign_in(client, world.manager)
    page = client.get(url("access:named-access", world.child))
    assert page.status_code == 200
    assert f'value="{world.colleague.public_id}"'.encode() in page.content
    assert str(world.health.public_id).encode() not in page.content  # another organisation's user
    response = client.post(url("access:named-access", world.child), valid_post("access:named-access", world))
    assert response.status_code == 302
    grant = NamedAccess.objects.get(person=world.child, user=world.colleague)
    assert (grant.granted_by, grant.reason) == (world.manager, "Covering the case")
    assert AuditEvent.objects.filter(action="person.named-access-granted", person=world.child).exists()
    f.sign_in(client, world.colleague)
    assert client.get(reverse("people:detail", args=[world.child.public_id])).status_code == 200


def test_a_manager_names_a_colleague_by_username(client, world):
    f.sign_in(client, world.manager)
    response = client.post(url("access:named-access", world.child), {"username": " OLU ", "reason": "Duty cover"})
    assert response.status_code == 302
    assert NamedAccess.objects.filter(person=world.child, user=world.other_team).exists()


def test_the_page_says_when_the_record_is_not_restricted_and_lists_who_is_named(client, world):
    NamedAccess.objects.create(
        person=world.child, user=world.colleague, granted_by=world.manager, granted_at=timezone.now(), reason="Cover"
    )
    f.sign_in(client, world.manager)
    page = client.get(url("access:named-access", world.child))
    assert b"This record is not restricted" in page.content
    assert b"Bea Colleague" in page.content and b"Cover" in page.content


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"reason": "Cover"}, b"Choose a person from the list, or enter their username"),
        ({"username": "nobody", "reason": "Cover"}, b"No one in your organisation has that username"),
        ({"username": "hana", "reason": "Cover"}, b"No one in your organisation has that username"),
        ({"user": "hana-public-id", "reason": "Cover"}, b"Choose a person from the list"),
        ({"user": "colleague", "username": "olu", "reason": "Cover"}, b"not both"),
        ({"user": "colleague"}, b"Enter why they need to see this record"),
        ({"user": "colleague", "reason": "Co\x07ver"}, b"must not contain hidden control characters"),
        ({"user": "colleague", "username": "x" * 151, "reason": "Cover"}, b"150 characters or fewer"),
    ],
)
def test_naming_someone_needs_a_colleague_and_a_reason(client, world, data, message):
    ids = {"colleague": str(world.colleague.public_id), "hana-public-id": str(world.health.public_id)}
    data = {key: ids.get(value, value) for key, value in data.items()}
    f.sign_in(client, world.manager)
    response = client.post(url("access:named-access", world.child), data)
    assert response.status_code == 400 and message in response.content
    assert not NamedAccess.objects.exists()
    assert not AuditEvent.objects.filter(action="person.named-access-granted").exists()


def test_someone_already_named_is_not_named_twice(client, world):
    NamedAccess.objects.create(
        person=world.child, user=world.colleague, granted_by=world.manager, granted_at=timezone.now(), reason="Cover"
    )
    f.sign_in(client, world.manager)
    response = client.post(url("access:named-access", world.child), valid_post("access:named-access", world))
    assert response.status_code == 400 and b"Bea Colleague is already named on this record" in response.content
    assert NamedAccess.objects.count() == 1


def test_an_inactive_colleague_cannot_be_named(client, world):
    leaver = f.make_user("lee", org=world.la, role=Role.SOCIAL_WORKER, team=world.team_a, last_name="Leaver")
    leaver.is_active = False
    leaver.save()
    f.sign_in(client, world.manager)
    response = client.post(url("access:named-access", world.child), {"username": "lee", "reason": "Cover"})
    assert response.status_code == 400
    assert not NamedAccess.objects.exists()


@pytest.mark.parametrize(
    ("page", "field"),
    [("access:restrict", "reason"), ("access:named-access", "reason"), ("access:named-access", "username")],
)
def test_typed_text_is_shown_back_escaped(client, world, page, field):
    f.sign_in(client, world.manager)
    response = client.post(url(page, world.child), {field: XSS + "\x01"})
    assert response.status_code == 400
    assert XSS.encode() not in response.content and ESCAPED_XSS in response.content


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("persona", sorted(REFUSED))
def test_only_team_managers_who_may_open_the_record_may_restrict_it_or_name_people(client, world, page, persona):
    user = world.personas()[persona]
    f.sign_in(client, user)
    for response in (client.get(url(page, world.child)), client.post(url(page, world.child), valid_post(page, world))):
        assert response.status_code == REFUSED[persona]
    if persona in {"allocated", "colleague", "health"}:
        assert b"Only a team manager can restrict a record" in response.content
    else:
        assert b"Testchild" not in response.content
    world.child.refresh_from_db()
    assert not world.child.is_restricted
    assert not NamedAccess.objects.exists()
    assert AuditEvent.objects.filter(actor=user, outcome="DENIED", object_id=str(world.child.public_id)).count() == 2


def test_a_manager_who_may_not_open_the_record_cannot_restrict_it(client, world):
    stranger = f.make_person(world.la, given_name="Teststranger", family_name="Example")
    f.sign_in(client, world.manager)
    response = client.post(url("access:restrict", stranger), {"reason": "Adoption"})
    assert response.status_code == 403
    stranger.refresh_from_db()
    assert not stranger.is_restricted
