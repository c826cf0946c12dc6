"""An area that has lived through the NHS reorganisations, and the partnership's own users.

Northbridge's health commissioner was a primary care trust to 31 March 2013, a clinical commissioning
group to 30 June 2022 and an integrated care board since; only the board is in the partnership today,
the older bodies are reached through the succession links.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from safeguarding.accounts.models import User
from safeguarding.accounts.roles import Role
from safeguarding.organisations.models import Organisation, OrganisationType, Partnership, Succession
from safeguarding.partnership import services
from safeguarding.partnership.models import AccountableRole
from tests import factories as f


@dataclass
class Area:
    partnership: Partnership
    pct: Organisation
    ccg: Organisation
    icb: Organisation
    manager: User  # partnership manager of Northbridge (in the council)
    other_manager: User  # partnership manager of Southmere
    designated: User  # a designated professional in the ICB: reads the partnership's work, changes nothing


@pytest.fixture
def area(world) -> Area:
    partnership = Partnership.objects.get(name="Northbridge Safeguarding Children Partnership")
    pct = f.make_org(
        "Northbridge Primary Care Trust", OrganisationType.PRIMARY_CARE_TRUST, valid_to=dt.date(2013, 3, 31)
    )
    ccg = f.make_org(
        "Northbridge CCG",
        OrganisationType.CLINICAL_COMMISSIONING_GROUP,
        valid_from=dt.date(2013, 4, 1),
        valid_to=dt.date(2022, 6, 30),
    )
    icb = f.make_org("Northbridge ICB", OrganisationType.INTEGRATED_CARE_BOARD, valid_from=dt.date(2022, 7, 1))
    Succession.objects.create(predecessor=pct, successor=ccg, effective_date=dt.date(2013, 4, 1))
    Succession.objects.create(predecessor=ccg, successor=icb, effective_date=dt.date(2022, 7, 1))
    partnership.organisations.add(icb)
    manager = f.make_user("pam", org=world.la, role=Role.PARTNERSHIP_MANAGER, first_name="Pam", last_name="Partnership")
    other_manager = f.make_user(
        "sid", org=world.other_la, role=Role.PARTNERSHIP_MANAGER, first_name="Sid", last_name="Southmere"
    )
    designated = f.make_user(
        "dee", org=icb, role=Role.DESIGNATED_PROFESSIONAL, first_name="Dee", last_name="Designated"
    )
    return Area(partnership, pct, ccg, icb, manager, other_manager, designated)


@pytest.fixture
def holding(area, world):
    return services.record_holding(
        principal=f.principal_for(area.manager),
        now=timezone.now(),
        partnership=area.partnership,
        role=AccountableRole.objects.get(code="lado"),
        organisation=world.la,
        holder_name="Lado Testholder",
        starts_on=dt.date(2021, 9, 1),
        note="Appointment letter",
    )
