"""Front door test data: a MASH team in the test world's local authority, and contacts made through the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from safeguarding.accounts.models import User
from safeguarding.accounts.roles import Role
from safeguarding.frontdoor import services
from safeguarding.frontdoor.models import Contact, InformationRequest
from safeguarding.organisations.models import Team
from safeguarding.people.models import Person
from tests import factories as f


def make_mash(world: Any) -> tuple[Team, User]:
    """The front door: a MASH team under the social care service, with one MASH officer."""
    team = Team.objects.filter(organisation=world.la, name="MASH").first() or f.make_team(
        world.la, "MASH", parent=world.service
    )
    officer = User.objects.filter(username="mia").first() or f.make_user(
        "mia", org=world.la, role=Role.MASH_OFFICER, team=team, first_name="Mia", last_name="Mash"
    )
    return team, officer


def make_contact(
    world: Any,
    *,
    person: Person | None = None,
    by: User | None = None,
    now: dt.datetime | None = None,
    **kwargs: Any,
) -> Contact:
    kwargs.setdefault("referrer_name", "Pat Teacher")
    kwargs.setdefault("worries", "Came to school hungry three days running")
    return services.record_contact(
        person=person or world.child,
        principal=f.principal_for(by or world.manager),
        now=now or timezone.now(),
        **kwargs,
    )


def make_request(world: Any, contact: Contact, *, now: dt.datetime | None = None) -> InformationRequest:
    return services.request_information(
        contact=contact,
        principal=f.principal_for(world.manager),
        now=now or timezone.now(),
        agency_type="HEALTH",
        question="Is the child known to the health visitor?",
    )
