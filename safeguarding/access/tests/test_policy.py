from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from conftest import ALLOWED_TO_OPEN, REFUSED_TO_OPEN
from safeguarding.access import queries, services
from safeguarding.access.models import BreakGlassReason, Involvement
from safeguarding.access.policy import accessible_people, basis_for
from safeguarding.audit.models import AuditEvent
from safeguarding.people.models import Person
from tests import factories as f


@pytest.mark.parametrize("persona", sorted(ALLOWED_TO_OPEN | REFUSED_TO_OPEN))
def test_it_opens_a_record_only_with_a_legitimate_relationship(world, persona):
    user = world.personas()[persona]
    principal = f.principal_for(user)
    now = timezone.now()
    allowed = basis_for(principal, world.child, now=now) is not None
    assert allowed == (persona in ALLOWED_TO_OPEN)
    # The list filter used by "My work" agrees with the single-record decision.
    listed = Person.objects.filter(accessible_people(principal, now=now), pk=world.child.pk).exists()
    assert listed == allowed


def test_it_audits_an_allowed_read_in_the_same_transaction(world):
    principal = f.principal_for(world.allocated)
    with transaction.atomic():
        opened = queries.open_person(principal, world.child.public_id, now=timezone.now())
    assert opened.person == world.child
    event = AuditEvent.objects.get(action="person.view")
    assert (event.actor, event.person, event.outcome, event.basis) == (
        world.allocated,
        world.child,
        "ALLOWED",
        "own-involvement",
    )
    assert event.role == "SOCIAL_WORKER" and event.organisation == world.la


def test_it_audits_a_refusal(world):
    principal = f.principal_for(world.other_team)
    with pytest.raises(queries.Refused) as refused, transaction.atomic():
        queries.open_person(principal, world.child.public_id, now=timezone.now())
    assert refused.value.visible is True
    queries.record_refusal(refused.value, now=timezone.now())
    event = AuditEvent.objects.get(action="person.view")
    assert (event.actor, event.person, event.outcome) == (world.other_team, world.child, "DENIED")


def test_a_user_of_another_authority_cannot_learn_the_record_exists(world):
    principal = f.principal_for(world.other_la_worker)
    with pytest.raises(queries.Refused) as refused:
        queries.open_person(principal, world.child.public_id, now=timezone.now())
    assert refused.value.visible is False


def test_an_ended_involvement_no_longer_grants_access(world):
    Involvement.objects.filter(user=world.allocated).update(end_date=dt.date(2021, 1, 1))
    Involvement.objects.filter(team=world.team_a).update(end_date=dt.date(2021, 1, 1))
    assert basis_for(f.principal_for(world.allocated), world.child, now=timezone.now()) is None


def test_break_glass_grants_time_limited_access_and_alerts_auditors(world):
    principal = f.principal_for(world.other_team)
    now = timezone.now()
    grant = services.break_glass(
        person=world.child,
        principal=principal,
        reason_code=BreakGlassReason.EMERGENCY,
        reason="Police called about the child tonight",
        now=now,
    )
    assert basis_for(principal, world.child, now=now) == "break-glass"
    assert basis_for(principal, world.child, now=grant.expires_at + dt.timedelta(seconds=1)) is None
    assert grant.alerts.filter(organisation=world.la).exists()


def test_break_glass_needs_a_real_reason(world):
    with pytest.raises(services.AccessChangeRefused):
        services.break_glass(
            person=world.child,
            principal=f.principal_for(world.other_team),
            reason_code=BreakGlassReason.EMERGENCY,
            reason="x",
            now=timezone.now(),
        )


def test_restricted_records_are_open_only_to_named_users(world):
    now = timezone.now()
    services.restrict_record(
        person=world.child, principal=f.principal_for(world.manager), reason="Adoption placement", now=now
    )
    world.child.refresh_from_db()
    assert basis_for(f.principal_for(world.allocated), world.child, now=now) == "named-access"
    assert basis_for(f.principal_for(world.colleague), world.child, now=now) is None
    assert basis_for(f.principal_for(world.health), world.child, now=now) is None
    result = queries.search_people(f.principal_for(world.other_team), now=now, name="Testchild Example")
    assert world.child not in [h.person for h in result.hits]
