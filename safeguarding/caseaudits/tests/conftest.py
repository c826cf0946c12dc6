"""Case audits in Northbridge: the partnership manager, readers, auditors of several agencies.

Auditors: world.manager (team manager, council), `nina` (named professional, trust), `pc` (partner agency
lead, police). `reader` is a partnership member (read-only). `pip` runs Southmere's partnership.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.utils import timezone

from safeguarding.accounts.models import User
from safeguarding.accounts.roles import Role
from safeguarding.organisations.models import Organisation, OrganisationType, Partnership
from safeguarding.people.models import Person
from tests import factories as f

from .factories import children_on_plans, default_tool


@dataclass
class Setting:
    partnership: Partnership
    police: Organisation
    pm: User
    pm_other: User
    reader: User
    named: User
    police_lead: User
    children: list[Person]


@pytest.fixture
def ca(world) -> Setting:
    default_tool()
    partnership = Partnership.objects.get(local_authority=world.la)
    police = f.make_org("Northbridge Police", OrganisationType.POLICE_FORCE)
    partnership.organisations.add(police)
    pm = f.make_user("pam", org=world.la, role=Role.PARTNERSHIP_MANAGER, first_name="Pam", last_name="Partner")
    pm_other = f.make_user(
        "pip", org=world.other_la, role=Role.PARTNERSHIP_MANAGER, first_name="Pip", last_name="South"
    )
    reader = f.make_user("remy", org=world.la, role=Role.PARTNERSHIP_MEMBER, first_name="Remy", last_name="Reader")
    named = f.make_user("nina", org=world.trust, role=Role.NAMED_PROFESSIONAL, first_name="Nina", last_name="Named")
    police_lead = f.make_user("pc", org=police, role=Role.PARTNER_PROFESSIONAL, first_name="Pat", last_name="Police")
    from .factories import on_cp_plan

    on_cp_plan(world.child)
    children = [world.child, *children_on_plans(world.la, 5)]
    assert timezone.is_aware(timezone.now())
    return Setting(partnership, police, pm, pm_other, reader, named, police_lead, children)
