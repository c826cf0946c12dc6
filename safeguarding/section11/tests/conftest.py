"""A section 11 cycle in Northbridge: the partnership manager, an assessor in each member organisation.

world.manager (a team manager in the council) assesses for the council; a named nurse assesses for the trust.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from safeguarding.accounts.models import User
from safeguarding.accounts.roles import Role
from safeguarding.organisations.models import Partnership
from safeguarding.section11 import services
from safeguarding.section11.models import Assessment, Cycle
from tests import factories as f

NOW = timezone.make_aware(dt.datetime(2026, 6, 1, 10, 0))


@dataclass
class Audit:
    partnership: Partnership
    cycle: Cycle
    la_assessment: Assessment
    trust_assessment: Assessment
    runner: User  # partnership manager of Northbridge
    other_runner: User  # partnership manager of Southmere
    la_assessor: User  # world.manager
    trust_assessor: User  # named professional in the trust


@pytest.fixture
def s11(world) -> Audit:
    partnership = Partnership.objects.get(name="Northbridge Safeguarding Children Partnership")
    runner = f.make_user("pam", org=world.la, role=Role.PARTNERSHIP_MANAGER, first_name="Pam", last_name="Partner")
    other = f.make_user("sid", org=world.other_la, role=Role.PARTNERSHIP_MANAGER, first_name="Sid", last_name="South")
    named = f.make_user("nina", org=world.trust, role=Role.NAMED_PROFESSIONAL, first_name="Nina", last_name="Named")
    cycle = services.open_cycle(
        principal=f.principal_for(runner),
        now=NOW,
        partnership=partnership,
        name="2026 to 2027",
        opens_on=dt.date(2026, 6, 1),
        self_assessment_due_on=dt.date(2026, 9, 30),
        moderation_due_on=dt.date(2026, 11, 30),
    )
    la = cycle.assessments.get(organisation=world.la)
    trust = cycle.assessments.get(organisation=world.trust)
    return Audit(partnership, cycle, la, trust, runner, other, world.manager, named)


def fill(assessment: Assessment, user: User, rag: str = "GREEN", evidence: str = "Policy dated 2026") -> None:
    entries = {r.id: (evidence, rag) for r in assessment.ratings.all()}
    services.save_self_assessment(principal=f.principal_for(user), now=NOW, assessment=assessment, entries=entries)
