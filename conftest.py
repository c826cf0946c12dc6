"""Shared fixtures: a small two-authority world and the personas every access test uses.

Personas (healthchecks' Alice/Bob/Charlie, extended to need-to-know):
  allocated   social worker allocated to the child            -> may open
  colleague   social worker in the same team                  -> may open (team involvement)
  manager     team manager of the team's parent service        -> may open (management line)
  other_team  social worker in another team of the same LA      -> finds it, may not open
  health      health professional recorded as involved          -> may open
  health_other health professional not involved                 -> finds it, may not open
  auditor     auditor of the LA                                 -> may not open; may read the audit
  admin       system administrator                              -> may not open
  other_la    social worker in a different local authority      -> cannot even find it
  outsider    signed in, no membership at all                   -> nothing
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from safeguarding.access.models import InvolvementKind
from safeguarding.accounts.models import User
from safeguarding.accounts.roles import Role
from safeguarding.organisations.models import Organisation, OrganisationType, Team
from safeguarding.people.models import Person
from tests import factories as f


@dataclass
class World:
    la: Organisation
    other_la: Organisation
    trust: Organisation
    service: Team
    team_a: Team
    team_b: Team
    child: Person
    sibling: Person
    parent: Person
    allocated: User
    colleague: User
    manager: User
    other_team: User
    health: User
    health_other: User
    auditor: User
    admin: User
    other_la_worker: User
    outsider: User

    def personas(self) -> dict[str, User]:
        return {
            "allocated": self.allocated,
            "colleague": self.colleague,
            "manager": self.manager,
            "other_team": self.other_team,
            "health": self.health,
            "health_other": self.health_other,
            "auditor": self.auditor,
            "admin": self.admin,
            "other_la": self.other_la_worker,
            "outsider": self.outsider,
        }


ALLOWED_TO_OPEN = {"allocated", "colleague", "manager", "health"}
REFUSED_TO_OPEN = {"other_team", "health_other", "auditor", "admin", "other_la", "outsider"}


@pytest.fixture
def world(db) -> World:
    la = f.make_org("Northbridge Council", dfe_la_code="991")
    other_la = f.make_org("Southmere Council", dfe_la_code="992")
    trust = f.make_org("Northbridge Hospitals NHS Trust", OrganisationType.NHS_TRUST, ods_code="RZZ01")
    f.make_partnership("Northbridge Safeguarding Children Partnership", la, trust)
    f.make_partnership("Southmere Safeguarding Children Partnership", other_la)
    service = f.make_team(la, "Children's Social Care")
    team_a = f.make_team(la, "Assessment Team A", parent=service)
    team_b = f.make_team(la, "Assessment Team B", parent=service)
    other_la_team = f.make_team(other_la, "Southmere Assessment")
    paediatrics = f.make_team(trust, "Paediatrics")

    allocated = f.make_user(
        "alex", org=la, role=Role.SOCIAL_WORKER, team=team_a, first_name="Alex", last_name="Allocated"
    )
    colleague = f.make_user(
        "bea", org=la, role=Role.SOCIAL_WORKER, team=team_a, first_name="Bea", last_name="Colleague"
    )
    manager = f.make_user("mo", org=la, role=Role.TEAM_MANAGER, team=service, first_name="Mo", last_name="Manager")
    other_team = f.make_user(
        "olu", org=la, role=Role.SOCIAL_WORKER, team=team_b, first_name="Olu", last_name="Otherteam"
    )
    health = f.make_user(
        "hana", org=trust, role=Role.HEALTH_SCHEDULED, team=paediatrics, first_name="Hana", last_name="Health"
    )
    health_other = f.make_user(
        "hugo", org=trust, role=Role.HEALTH_UNSCHEDULED, first_name="Hugo", last_name="Elsewhere"
    )
    auditor = f.make_user("aud", org=la, role=Role.AUDITOR, first_name="Ada", last_name="Auditor")
    admin = f.make_user("sam", org=la, role=Role.SYSTEM_ADMIN, first_name="Sam", last_name="Admin")
    other_la_worker = f.make_user(
        "sol", org=other_la, role=Role.SOCIAL_WORKER, team=other_la_team, first_name="Sol", last_name="Southmere"
    )
    outsider = f.make_user("zed", first_name="Zed", last_name="Outsider")

    child = f.make_person(la, given_name="Testchild", family_name="Example", date_of_birth=dt.date(2016, 3, 14))
    sibling = f.make_person(la, given_name="Testsibling", family_name="Example", date_of_birth=dt.date(2018, 7, 2))
    parent = f.make_person(
        la, given_name="Testparent", family_name="Example", date_of_birth=dt.date(1988, 1, 9), kind="ADULT"
    )
    f.involve(child, user=allocated, kind=InvolvementKind.ALLOCATED_WORKER, created_by=manager)
    f.involve(child, team=team_a, kind=InvolvementKind.TEAM, created_by=manager)
    f.involve(child, user=health, org=trust, kind=InvolvementKind.PARTNER_PROFESSIONAL, created_by=manager)
    return World(
        la=la,
        other_la=other_la,
        trust=trust,
        service=service,
        team_a=team_a,
        team_b=team_b,
        child=child,
        sibling=sibling,
        parent=parent,
        allocated=allocated,
        colleague=colleague,
        manager=manager,
        other_team=other_team,
        health=health,
        health_other=health_other,
        auditor=auditor,
        admin=admin,
        other_la_worker=other_la_worker,
        outsider=outsider,
    )


# Rows that data migrations write (reference data every test may rely on). A transactional test ends with a
# flush that empties every table; a test requesting `restores_reference_data` before `transactional_db`
# puts these rows back after that flush, exactly as the migrations wrote them (no audit rows), so later
# tests on the same xdist worker still find them.
def _install_partnership_catalogue() -> None:
    from safeguarding.partnership import catalogue
    from safeguarding.partnership.models import AccountableRole, TrainingRequirement

    catalogue.install(AccountableRole, TrainingRequirement)


def _install_case_audit_tool() -> None:
    from django.apps import apps

    from safeguarding.caseaudits import catalogue

    catalogue.install(apps)


def _convert_national_access_events() -> None:
    # A one-off conversion, not reference data: after a flush it finds nothing to change.
    import importlib

    from django.apps import apps

    importlib.import_module("safeguarding.flags.migrations.0002_national_access_events").convert(apps)


# Every data migration, by "app.migration" (tests/test_reference_data.py checks none is missing).
REFERENCE_DATA = {
    "partnership.0002_default_catalogue": _install_partnership_catalogue,
    "caseaudits.0002_default_tool": _install_case_audit_tool,
    "flags.0002_national_access_events": _convert_national_access_events,
}
SCHEMA_ONLY_MIGRATIONS = {"audit.0002_append_only_triggers"}  # RunPython that writes DDL, which a flush keeps


@pytest.fixture
def restores_reference_data(django_db_blocker):
    yield
    with django_db_blocker.unblock():
        for install in REFERENCE_DATA.values():
            install()
