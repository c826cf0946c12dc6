from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from safeguarding.accounts import tokens
from safeguarding.accounts.models import User
from safeguarding.accounts.roles import Role
from safeguarding.organisations.models import OrganisationType
from tests import factories as f

from .factories import contact, days_ago, make_plan


@dataclass
class Flagged:
    world: Any
    unscheduled: User  # emergency department (HEALTH_UNSCHEDULED): notifies
    scheduled: User  # involved health visitor (HEALTH_SCHEDULED): silent read
    partner: User  # a school's early help lead: no flag-viewing role

    def personas(self) -> dict[str, User]:
        w = self.world
        return {
            "unscheduled": self.unscheduled,
            "scheduled": self.scheduled,
            "social_care": w.allocated,
            "partner": self.partner,
            "outsider": w.outsider,
            "other_la": w.other_la_worker,
        }

    def token(self, persona: str) -> str | None:
        user = self.personas()[persona]
        membership = user.memberships.first()
        if membership is None:
            return None
        return tokens.create_token(membership=membership, name="test", operator="test", now=timezone.now())


@pytest.fixture
def flagged(world: Any) -> Flagged:
    contact(world)
    make_plan(world, world.child, start=days_ago(20))
    school = f.make_org("Northbridge Primary School", OrganisationType.SCHOOL)
    partner = f.make_user("pat", org=school, role=Role.EARLY_HELP, first_name="Pat", last_name="Partner")
    return Flagged(world=world, unscheduled=world.health_other, scheduled=world.health, partner=partner)
