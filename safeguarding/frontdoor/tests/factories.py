"""Front door test data: a MASH team in the test world's local authority, and contacts made through the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from safeguarding.accounts.models import User
from safeguarding.accounts.roles import Role
from safeguarding.frontdoor import services
from safeguarding.frontdoor.models import Contact, InformationRequest, PartnerReferral
from safeguarding.organisations.models import Organisation, OrganisationType, Partnership, Team
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


# Partner referrals (ADR 0025): a school and a police force in the test world's partnership, each with a
# partner professional; the police force is in the neighbouring authority's partnership too.


def make_school_partner(world: Any, username: str = "dsl", *, first_name: str = "Dee") -> User:
    school = Organisation.objects.filter(name="Northbridge Primary School").first()
    if school is None:
        school = f.make_org("Northbridge Primary School", OrganisationType.SCHOOL, school_urn="999001")
        Partnership.objects.get(local_authority=world.la).organisations.add(school)
    return User.objects.filter(username=username).first() or f.make_user(
        username, org=school, role=Role.PARTNER_PROFESSIONAL, first_name=first_name, last_name="Lead"
    )


def make_police_partner(world: Any) -> User:
    police = f.make_org("Northbridge and Southmere Police", OrganisationType.POLICE_FORCE)
    for partnership in Partnership.objects.filter(local_authority__in=[world.la, world.other_la]):
        partnership.organisations.add(police)
    return f.make_user("pc", org=police, role=Role.PARTNER_PROFESSIONAL, first_name="Pat", last_name="Constable")


def make_referral(
    world: Any, *, by: User | None = None, now: dt.datetime | None = None, **kwargs: Any
) -> PartnerReferral:
    """A referral about world.child as a school knows them (same name and date of birth)."""
    kwargs.setdefault("child_given_name", world.child.given_name)
    kwargs.setdefault("child_family_name", world.child.family_name)
    kwargs.setdefault("child_date_of_birth", world.child.date_of_birth)
    kwargs.setdefault("worries", "Has bruises on both arms and says not to tell")
    return services.submit_referral(
        principal=f.principal_for(by or make_school_partner(world)),
        now=now or timezone.now(),
        local_authority=kwargs.pop("local_authority", world.la),
        **kwargs,
    )
