"""Plain factory functions for tests. Obviously synthetic people only."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguarding.access.models import Involvement, InvolvementKind
from safeguarding.accounts.middleware import SESSION_MEMBERSHIP, SESSION_SIGNED_IN_AT
from safeguarding.accounts.models import Membership, User
from safeguarding.accounts.principal import Principal
from safeguarding.organisations.models import Organisation, OrganisationType, Partnership, Team
from safeguarding.people import services as people_services
from safeguarding.people.identifiers import synthetic_nhs_number
from safeguarding.people.models import Person

_serial = itertools.count(1)


def make_org(name: str, type: str = OrganisationType.LOCAL_AUTHORITY, **kwargs: Any) -> Organisation:
    return Organisation.objects.create(name=name, type=type, **kwargs)


def make_team(org: Organisation, name: str, parent: Team | None = None) -> Team:
    return Team.objects.create(organisation=org, name=name, parent=parent)


def make_partnership(name: str, la: Organisation, *members: Organisation) -> Partnership:
    partnership = Partnership.objects.create(name=name, local_authority=la)
    partnership.organisations.add(la, *members)
    return partnership


def make_user(
    username: str,
    *,
    org: Organisation | None = None,
    role: str = "",
    team: Team | None = None,
    first_name: str = "Test",
    last_name: str = "",
) -> User:
    user = User.objects.create_user(
        username=username,
        password="correct horse battery staple",
        first_name=first_name,
        last_name=last_name or username.title(),
    )
    if org is not None and role:
        Membership.objects.create(user=user, organisation=org, team=team, role=role)
    return user


def principal_for(user: User, membership: Membership | None = None, channel: str = "WEB") -> Principal:
    membership = membership or user.memberships.select_related("organisation", "team").first()
    return Principal(user=user, membership=membership, channel=channel, request_id="test")


def make_person(
    la: Organisation,
    *,
    given_name: str = "Testchild",
    family_name: str = "Example",
    date_of_birth: dt.date | None = dt.date(2015, 5, 1),
    **kwargs: Any,
) -> Person:
    """A person created directly (no creator involvement): the test decides who is involved."""
    now = timezone.now()
    kwargs.setdefault("nhs_number", synthetic_nhs_number(next(_serial)))
    person = Person.objects.create(
        local_authority=la,
        given_name=given_name,
        family_name=family_name,
        date_of_birth=date_of_birth,
        created_at=now,
        updated_at=now,
        **kwargs,
    )
    people_services.refresh_name_keys(person)
    person.save(update_fields=["search_name"])
    return person


def involve(
    person: Person,
    *,
    user: User | None = None,
    team: Team | None = None,
    kind: str = InvolvementKind.ALLOCATED_WORKER,
    org: Organisation | None = None,
    created_by: User | None = None,
    start_date: dt.date | None = None,
) -> Involvement:
    organisation = org or (team.organisation if team else user.memberships.first().organisation)  # type: ignore[union-attr]
    return Involvement.objects.create(
        person=person,
        kind=kind,
        user=user,
        team=team,
        organisation=organisation,
        start_date=start_date or dt.date(2020, 1, 1),
        created_by=created_by or user or person_creator(),
        created_at=timezone.now(),
    )


def person_creator() -> User:
    user, _ = User.objects.get_or_create(username="system-test-creator")
    return user


def sign_in(client: Any, user: User, membership: Membership | None = None) -> None:
    """Sign a test client in as a user who has completed MFA and chosen a membership."""
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="test", defaults={"confirmed": True})
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[SESSION_SIGNED_IN_AT] = timezone.now().timestamp()
    chosen = membership or user.memberships.first()
    if chosen is not None:
        session[SESSION_MEMBERSHIP] = chosen.id
    session.save()
