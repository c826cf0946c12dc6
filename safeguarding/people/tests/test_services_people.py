"""The rules in people.services that the pages rely on, tested at the service."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from safeguarding.access.models import NamedAccess
from safeguarding.audit.models import AuditEvent
from safeguarding.people import services
from safeguarding.people.models import Address, MergeRecord, Person, PersonDisability, Relationship
from tests import factories as f

TODAY = dt.date(2026, 6, 15)


@pytest.mark.parametrize(
    ("kind", "born", "due", "expected"),
    [
        ("CHILD", dt.date(2016, 1, 1), None, {}),
        ("CHILD", None, None, {}),
        ("CHILD", TODAY, None, {}),
        ("CHILD", TODAY + dt.timedelta(1), None, {"date_of_birth": "Date of birth must be today or in the past"}),
        ("ADULT", dt.date(1899, 12, 31), None, {"date_of_birth": "Date of birth must be after 1 January 1900"}),
        ("UNBORN", None, TODAY + dt.timedelta(100), {}),
        ("UNBORN", None, TODAY - dt.timedelta(60), {}),
        ("UNBORN", None, None, {"expected_due_date": "Enter the expected due date for an unborn child"}),
        ("UNBORN", None, TODAY - dt.timedelta(61), {"expected_due_date": "more than 60 days ago"}),
        ("UNBORN", None, TODAY + dt.timedelta(301), {"expected_due_date": "within the next 10 months"}),
        ("UNBORN", TODAY, TODAY, {"date_of_birth": "no date of birth yet"}),
    ],
)
def test_date_errors(kind, born, due, expected):
    errors = services.date_errors(kind=kind, date_of_birth=born, expected_due_date=due, today=TODAY)
    assert errors.keys() == expected.keys()
    for name, text in expected.items():
        assert text in errors[name]


def _create(world, user=None, **kwargs):
    principal = f.principal_for(user or world.allocated)
    defaults = {"local_authority": world.la, "data": {"given_name": "Newperson"}}
    return services.create_person(principal=principal, now=timezone.now(), **(defaults | kwargs))


def test_create_person_records_the_first_address_and_the_creators_involvement(world):
    person = _create(world, first_address={"line_1": "1 Road", "line_2": "", "town": "", "postcode": "ab1 2cd"})
    assert Address.objects.get(person=person).postcode == "AB1 2CD"
    assert person.involvements.get().user == world.allocated
    assert AuditEvent.objects.filter(person=person, action="person.address-added").exists()


@pytest.mark.parametrize(
    ("persona", "authority", "message"),
    [
        ("allocated", "other_la", "only create records held by your own local authority"),
        ("allocated", "trust", "held by a local authority"),
        ("health", "la", "Your role cannot create records"),
        ("auditor", "la", "Your role cannot create records"),
    ],
)
def test_create_person_refuses(world, persona, authority, message):
    before = Person.objects.count()
    with pytest.raises(services.PersonChangeRefused, match=message):
        _create(world, user=world.personas()[persona], local_authority=getattr(world, authority))
    assert Person.objects.count() == before


def test_only_an_unborn_child_names_a_pregnant_person(world):
    with pytest.raises(services.PersonChangeRefused, match="Only an unborn child"):
        _create(world, pregnant_person=world.parent)
    due = timezone.localdate() + dt.timedelta(days=90)
    unborn = _create(world, data={"kind": "UNBORN", "expected_due_date": due}, pregnant_person=world.parent)
    assert unborn.pregnant_person == world.parent
    with pytest.raises(services.PersonChangeRefused, match="Choose the record of the pregnant person"):
        _create(world, data={"kind": "UNBORN", "expected_due_date": due}, pregnant_person=unborn)


@pytest.mark.parametrize(
    "change",
    [
        lambda p, w, now: services.update_person(person=w.child, principal=p, now=now, data={"given_name": "X"}),
        lambda p, w, now: services.add_address(person=w.child, principal=p, now=now, line_1="1 Road"),
        lambda p, w, now: services.add_other_name(
            person=w.child, principal=p, now=now, kind="ALIAS", given_name="X", family_name=""
        ),
        lambda p, w, now: services.add_relationship(
            principal=p, now=now, from_person=w.parent, to_person=w.child, type="PARENT"
        ),
    ],
)
def test_changes_need_the_capability_to_change_records(world, change):
    with pytest.raises(services.PersonChangeRefused, match="Your role cannot change people's records"):
        change(f.principal_for(world.health), world, timezone.now())
    assert not AuditEvent.objects.exists()


def test_an_address_on_the_day_the_current_one_began_replaces_it(world):
    principal, now = f.principal_for(world.allocated), timezone.now()
    first = services.add_address(person=world.child, principal=principal, now=now, line_1="1 Wrong Road")
    services.add_address(person=world.child, principal=principal, now=now, line_1="1 Right Road")
    first.refresh_from_db()
    assert first.valid_to == first.valid_from == timezone.localdate(now)
    assert Address.objects.filter(person=world.child, valid_to__isnull=True).get().line_1 == "1 Right Road"


def test_an_ended_relationship_is_not_recorded_again(world):
    principal, now = f.principal_for(world.allocated), timezone.now()
    rel = services.add_relationship(
        principal=principal, now=now, from_person=world.parent, to_person=world.child, type="CARER"
    )
    services.end_relationship(relationship=rel, principal=principal, end_date=timezone.localdate(now), now=now)
    with pytest.raises(services.PersonChangeRefused, match="recorded before and has ended"):
        services.add_relationship(
            principal=principal, now=now, from_person=world.parent, to_person=world.child, type="CARER"
        )


def _merge(world, duplicate, survivor=None):
    return services.merge_people(
        survivor=survivor or world.child,
        duplicate=duplicate,
        principal=f.principal_for(world.manager),
        reason="Same child",
        now=timezone.now(),
    )


def test_merging_keeps_one_grant_for_a_user_named_on_both_records(world):
    duplicate = f.make_person(world.la, given_name="Testchild", family_name="Exampel")
    now = timezone.now()
    for person in (world.child, duplicate):
        NamedAccess.objects.create(person=person, user=world.colleague, granted_by=world.manager, granted_at=now)
    NamedAccess.objects.create(person=duplicate, user=world.allocated, granted_by=world.manager, granted_at=now)
    _merge(world, duplicate)
    open_grants = NamedAccess.objects.filter(person=world.child, revoked_at__isnull=True)
    assert sorted(open_grants.values_list("user__username", flat=True)) == ["alex", "bea"]
    assert NamedAccess.objects.filter(person=duplicate, user=world.colleague).exists()  # kept, not deleted


def test_merging_moves_unborn_children_earlier_merges_disabilities_and_skips_repeated_relationships(world):
    duplicate = f.make_person(world.la, given_name="Testparent", family_name="Exampel", kind="ADULT")
    older = f.make_person(world.la, given_name="Testparent", family_name="Example", kind="ADULT")
    older.merged_into = duplicate
    older.save()
    due = timezone.localdate() + dt.timedelta(days=30)
    unborn = f.make_person(world.la, given_name="", kind="UNBORN", expected_due_date=due, pregnant_person=duplicate)
    PersonDisability.objects.create(person=duplicate, code="MOB")
    PersonDisability.objects.create(person=world.parent, code="NONE")
    Relationship.objects.create(from_person=world.parent, to_person=world.child, type="PARENT")
    Relationship.objects.create(from_person=duplicate, to_person=world.child, type="PARENT")
    Relationship.objects.create(from_person=duplicate, to_person=world.sibling, type="PARENT")
    _merge(world, duplicate, survivor=world.parent)
    unborn.refresh_from_db()
    older.refresh_from_db()
    assert unborn.pregnant_person == world.parent and older.merged_into == world.parent
    assert list(world.parent.disabilities.values_list("code", flat=True)) == ["MOB"]
    assert Relationship.objects.filter(from_person=world.parent, type="PARENT").count() == 2
    assert Relationship.objects.filter(from_person=duplicate, to_person=world.child).exists()  # kept on the duplicate


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda w, d: setattr(d, "merged_into", w.sibling), "already been merged"),
        (lambda w, d: setattr(d, "local_authority", w.other_la), "different local authorities"),
        (lambda w, d: None, None),
    ],
)
def test_merge_refusals(world, setup, message):
    duplicate = f.make_person(world.la, given_name="Testchild", family_name="Exampel")
    setup(world, duplicate)
    duplicate.save()
    if message is None:
        _merge(world, duplicate)
        assert MergeRecord.objects.count() == 1
        return
    with pytest.raises(services.PersonChangeRefused, match=message):
        _merge(world, duplicate)
    assert not MergeRecord.objects.exists()


def test_an_unborn_record_is_merged_into_the_born_childs_not_the_other_way_round(world):
    due = timezone.localdate() + dt.timedelta(days=30)
    unborn = f.make_person(world.la, given_name="", kind="UNBORN", expected_due_date=due, date_of_birth=None)
    with pytest.raises(services.PersonChangeRefused, match="into the record of the born child"):
        _merge(world, world.child, survivor=unborn)
    _merge(world, unborn)
    unborn.refresh_from_db()
    assert unborn.merged_into == world.child


def test_merging_needs_a_team_manager(world):
    duplicate = f.make_person(world.la, given_name="Testchild", family_name="Exampel")
    with pytest.raises(services.PersonChangeRefused, match="Only a team manager"):
        services.merge_people(
            survivor=world.child,
            duplicate=duplicate,
            principal=f.principal_for(world.allocated),
            reason="Same",
            now=timezone.now(),
        )
