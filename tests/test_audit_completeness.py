"""Every URL that can return personal data leaves its audit row; refusals are audited too.

The test enumerates the URL resolver. Each route must be classified below: either it returns
personal data about one person (PERSON_ROUTES: called with the child's public id), it lists
people (LIST_ROUTES: called with a query), or it returns none (NO_PERSONAL_DATA). A new route
that is not classified fails this test, so nobody can add a page that skips the audit.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from safeguarding.audit.models import AuditEvent
from tests import factories as f

# Routes that show one person's record: GET as an allowed persona must audit ALLOWED with that person.
PERSON_ROUTES = {
    "people:detail",
    "people:access-log",
    "people:genogram-svg",
    "people:edit",
    "people:address-add",
    "people:name-add",
    "people:relationship-add",
    "people:merge",
    "access:restrict",
    "access:named-access",
}
# Person routes that are forms for people the user cannot (yet) open.
PRE_ACCESS_ROUTES = {"access:break-glass"}
# Routes that list people: GET must audit the rows shown.
LIST_ROUTES = {
    "people:search": {"name": "Testchild Example"},
    "work:my-work": {},
}
# Routes that return no personal data of children (sign-in, admin of organisations, audit pages
# are audited on their own terms; the API is covered by people/tests/test_api*.py).
NO_PERSONAL_DATA = {
    "core:healthz",
    "accounts:sign-in",
    "accounts:mfa",
    "accounts:choose-role",
    "accounts:sign-out",
    "people:create",
}
NO_PERSONAL_DATA_PREFIXES = ("organisations:", "audit:", "api:", "admin:")
# Routes about one record of a child (an episode, a plan...): name -> builder(world) -> URL kwargs.
# The builder creates the record for world.child; GET as the manager must audit ALLOWED on world.child.
RECORD_ROUTES: dict[str, Callable[[Any], dict[str, Any]]] = {}
# Lists only a manager may see (a team's caseload): name -> builder(world) -> query. The builder puts
# world.child on the list; GET as world.manager must audit the rows shown, and the child must be among them.
MANAGER_LIST_ROUTES: dict[str, Callable[[Any], dict[str, str]]] = {}


def _collect_app_routes() -> None:
    """Apps classify their own routes in safeguarding/<app>/tests/audit_routes.py (same names as here)."""
    for config in apps.get_app_configs():
        if not config.name.startswith("safeguarding."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.tests.audit_routes")
        except ModuleNotFoundError as missing:
            if missing.name != f"{config.name}.tests.audit_routes":
                raise
            continue
        PERSON_ROUTES.update(getattr(module, "PERSON_ROUTES", set()))
        PRE_ACCESS_ROUTES.update(getattr(module, "PRE_ACCESS_ROUTES", set()))
        LIST_ROUTES.update(getattr(module, "LIST_ROUTES", {}))
        NO_PERSONAL_DATA.update(getattr(module, "NO_PERSONAL_DATA", set()))
        RECORD_ROUTES.update(getattr(module, "RECORD_ROUTES", {}))
        MANAGER_LIST_ROUTES.update(getattr(module, "MANAGER_LIST_ROUTES", {}))


_collect_app_routes()


def _named_routes(resolver: URLResolver | None = None, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names |= _named_routes(entry, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(f"{namespace}{entry.name}")
    return names


def test_every_route_is_classified():
    classified = (
        PERSON_ROUTES
        | PRE_ACCESS_ROUTES
        | set(LIST_ROUTES)
        | NO_PERSONAL_DATA
        | set(RECORD_ROUTES)
        | set(MANAGER_LIST_ROUTES)
    )
    unclassified = {
        name for name in _named_routes() if name not in classified and not name.startswith(NO_PERSONAL_DATA_PREFIXES)
    }
    assert not unclassified, f"classify these routes in {__file__}: {sorted(unclassified)}"


def _get(client: Any, name: str, public_id: Any = None, query: dict[str, str] | None = None) -> Any:
    url = reverse(name, kwargs={"public_id": public_id}) if public_id else reverse(name)
    return client.get(url, query or {})


@pytest.mark.parametrize("name", sorted(PERSON_ROUTES))
def test_each_person_route_audits_an_allowed_read(client, world, name):
    f.sign_in(client, world.manager)  # the manager may open, edit, merge and restrict
    before = AuditEvent.objects.count()
    response = _get(client, name, world.child.public_id)
    assert response.status_code == 200, response.status_code
    new = AuditEvent.objects.order_by("id")[before:]
    assert any(e.person_id == world.child.id and e.outcome == "ALLOWED" and e.actor == world.manager for e in new)


@pytest.mark.parametrize("name", sorted(PERSON_ROUTES | PRE_ACCESS_ROUTES))
@pytest.mark.parametrize("persona", ["other_la", "outsider"])
def test_each_person_route_audits_a_refusal_without_leaking_existence(client, world, name, persona):
    f.sign_in(client, world.personas()[persona])
    before = AuditEvent.objects.count()
    response = _get(client, name, world.child.public_id)
    assert response.status_code in (403, 404)
    assert b"Testchild" not in response.content
    new = AuditEvent.objects.order_by("id")[before:]
    assert any(e.outcome == "DENIED" and e.actor == world.personas()[persona] for e in new)


@pytest.mark.parametrize("name", sorted(PERSON_ROUTES - {"people:merge", "access:restrict", "access:named-access"}))
def test_a_worker_in_another_team_is_refused_and_audited(client, world, name):
    f.sign_in(client, world.other_team)
    response = _get(client, name, world.child.public_id)
    assert response.status_code == 403
    assert b"Testchild" not in response.content or b"emergency access" in response.content.lower()
    assert AuditEvent.objects.filter(actor=world.other_team, person=world.child, outcome="DENIED").exists()


@pytest.mark.parametrize("name", sorted(RECORD_ROUTES))
def test_each_record_route_audits_an_allowed_read(client, world, name):
    kwargs = RECORD_ROUTES[name](world)
    f.sign_in(client, world.manager)
    before = AuditEvent.objects.count()
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 200, response.status_code
    new = AuditEvent.objects.order_by("id")[before:]
    assert any(e.person_id == world.child.id and e.outcome == "ALLOWED" and e.actor == world.manager for e in new)


@pytest.mark.parametrize("name", sorted(RECORD_ROUTES))
@pytest.mark.parametrize("persona", ["other_la", "outsider", "other_team"])
def test_each_record_route_refuses_and_audits_those_without_a_reason(client, world, name, persona):
    kwargs = RECORD_ROUTES[name](world)
    user = world.personas()[persona]
    f.sign_in(client, user)
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code in (403, 404)
    assert b"Testchild" not in response.content or b"emergency access" in response.content.lower()
    assert AuditEvent.objects.filter(actor=user, outcome="DENIED").exists()


@pytest.mark.parametrize("name", sorted(LIST_ROUTES))
def test_each_list_route_audits_the_rows_it_shows(client, world, name):
    f.sign_in(client, world.allocated)
    before = AuditEvent.objects.count()
    response = _get(client, name, query=LIST_ROUTES[name])
    assert response.status_code == 200
    new = list(AuditEvent.objects.order_by("id")[before:])
    shown = [pid for e in new for pid in e.details.get("shown", [])]
    assert str(world.child.public_id) in shown
    assert b"Testchild" in response.content


@pytest.mark.parametrize("name", sorted(MANAGER_LIST_ROUTES))
def test_each_manager_list_route_audits_the_rows_it_shows(client, world, name):
    query = MANAGER_LIST_ROUTES[name](world)
    f.sign_in(client, world.manager)
    before = AuditEvent.objects.count()
    response = _get(client, name, query=query)
    assert response.status_code == 200
    shown = [pid for e in AuditEvent.objects.order_by("id")[before:] for pid in e.details.get("shown", [])]
    assert str(world.child.public_id) in shown
    assert b"Testchild" in response.content


@pytest.mark.parametrize("name", sorted(MANAGER_LIST_ROUTES))
@pytest.mark.parametrize("persona", ["allocated", "other_la", "outsider", "auditor"])
def test_each_manager_list_route_refuses_and_audits_others(client, world, name, persona):
    query = MANAGER_LIST_ROUTES[name](world)
    user = world.personas()[persona]
    f.sign_in(client, user)
    response = _get(client, name, query=query)
    assert response.status_code in (403, 404)
    assert b"Testchild" not in response.content
    assert AuditEvent.objects.filter(actor=user, outcome="DENIED").exists()


def test_an_unknown_record_id_is_a_404_and_audited(client, world):
    f.sign_in(client, world.allocated)
    response = client.get("/people/00000000-0000-4000-8000-000000000000")
    assert response.status_code == 404
    assert AuditEvent.objects.filter(actor=world.allocated, outcome="DENIED", basis="no-such-record").exists()


def test_no_data_is_returned_when_the_audit_row_cannot_be_written(client, world, monkeypatch):
    """Fail closed: if the audit insert fails, the user gets an error page and no personal data."""
    from safeguarding.audit import services as audit_services

    def broken_record(**kwargs: Any) -> None:
        raise RuntimeError("audit table unavailable")

    f.sign_in(client, world.allocated)
    monkeypatch.setattr(audit_services, "record", broken_record)
    client.raise_request_exception = False
    response = client.get(reverse("people:detail", kwargs={"public_id": world.child.public_id}))
    assert response.status_code == 500
    assert b"Testchild" not in response.content
    assert world.child.nhs_number.encode() not in response.content


def test_a_write_without_its_audit_row_does_not_commit(world, monkeypatch):
    from django.utils import timezone

    from safeguarding.audit import services as audit_services
    from safeguarding.people import services as people_services

    def broken_record(**kwargs: Any) -> None:
        raise RuntimeError("audit table unavailable")

    monkeypatch.setattr(audit_services, "record", broken_record)
    with pytest.raises(RuntimeError):
        people_services.update_person(
            person=world.child,
            principal=f.principal_for(world.allocated),
            now=timezone.now(),
            data={"given_name": "Renamed"},
        )
    world.child.refresh_from_db()
    assert world.child.given_name == "Testchild"


def test_the_audit_table_refuses_updates_and_deletes(world):
    from django.db import DatabaseError, transaction
    from django.utils import timezone

    from safeguarding.audit import services as audit_services

    with transaction.atomic():
        event = audit_services.record(principal=None, action="test.event", at=timezone.now())
    for attempt in (
        lambda: AuditEvent.objects.filter(pk=event.pk).update(action="tampered"),
        lambda: AuditEvent.objects.filter(pk=event.pk).delete(),
    ):
        with pytest.raises(DatabaseError), transaction.atomic():
            attempt()
    assert AuditEvent.objects.get(pk=event.pk).action == "test.event"
