"""The organisation services: validation, scope and audit rows (every write audited, nothing saved on error)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from safeguarding.accounts.models import User
from safeguarding.audit.models import AuditEvent
from safeguarding.organisations import services
from safeguarding.organisations.models import Organisation, OrganisationType, Succession
from tests import factories as f


def _data(**overrides):
    return {"name": "Eastvale Council", "type": OrganisationType.LOCAL_AUTHORITY} | overrides


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"dfe_la_code": "12"}, "dfe_la_code"),
        ({"dfe_la_code": "12a"}, "dfe_la_code"),
        ({"dfe_la_code": "991"}, "dfe_la_code"),  # already Northbridge's
        ({"ods_code": "R!"}, "ods_code"),
        ({"ods_code": "AB"}, "ods_code"),
        ({"ods_code": "ABCDEFGHIJK"}, "ods_code"),
        ({"school_urn": "12345", "type": OrganisationType.SCHOOL}, "school_urn"),
        ({"school_urn": "123456"}, "school_urn"),  # a council has no URN
        ({"valid_from": dt.date(2020, 4, 1), "valid_to": dt.date(2019, 3, 31)}, "valid_to"),
        ({"name": "  "}, "name"),
    ],
)
def test_it_refuses_bad_organisations_with_a_clear_error_and_saves_nothing(world, overrides, field):
    principal = f.principal_for(world.admin)
    before = Organisation.objects.count()
    with pytest.raises(services.AdminChangeRefused) as refused:
        services.create_organisation(
            principal=principal,
            now=timezone.now(),
            data=_data(**overrides),
            partnerships=[world.la.partnerships.first()],
        )
    assert field in refused.value.errors and refused.value.errors[field][0]
    assert Organisation.objects.count() == before
    assert not AuditEvent.objects.filter(action="admin.organisation-created").exists()


def test_it_accepts_good_identifiers_and_audits_what_was_set(world):
    org = services.create_organisation(
        principal=f.principal_for(world.admin),
        now=timezone.now(),
        data=_data(dfe_la_code="993", valid_from=dt.date(1974, 4, 1), out_of_hours_phone="01632 960 999"),
        partnerships=[world.la.partnerships.first()],
    )
    event = AuditEvent.objects.get(action="admin.organisation-created")
    assert event.object_id == str(org.public_id) and event.actor == world.admin
    assert event.details["fields"]["dfe_la_code"] == "993" and event.details["fields"]["valid_from"] == "1974-04-01"


def test_an_update_audits_only_what_changed(world):
    services.update_organisation(
        principal=f.principal_for(world.admin),
        now=timezone.now(),
        organisation=world.trust,
        data={"out_of_hours_phone": "01632 960 111"},
    )
    event = AuditEvent.objects.get(action="admin.organisation-updated")
    assert event.details["changed"] == {"out_of_hours_phone": ["", "01632 960 111"]}


def test_only_administrators_within_their_partnerships_may_manage(world):
    with pytest.raises(services.AdminRefused):
        services.create_team(
            principal=f.principal_for(world.manager), now=timezone.now(), organisation=world.la, name="Shadow team"
        )
    with pytest.raises(services.AdminRefused):
        services.create_team(
            principal=f.principal_for(world.admin), now=timezone.now(), organisation=world.other_la, name="Shadow team"
        )


def test_a_succession_keeps_both_organisations_and_their_history(world):
    principal, now = f.principal_for(world.admin), timezone.now()
    pct = f.make_org(
        "Northbridge PCT", OrganisationType.PRIMARY_CARE_TRUST, ods_code="5AA", valid_from=dt.date(2002, 4, 1)
    )
    ccg = f.make_org("Northbridge CCG", OrganisationType.CLINICAL_COMMISSIONING_GROUP, ods_code="00A")
    icb = f.make_org("Northbridge ICB", OrganisationType.INTEGRATED_CARE_BOARD, ods_code="QAA")
    world.la.partnerships.first().organisations.add(pct, ccg, icb)
    services.record_succession(
        principal=principal, now=now, predecessor=pct, successor=ccg, effective_date=dt.date(2013, 4, 1)
    )
    services.record_succession(
        principal=principal, now=now, predecessor=ccg, successor=icb, effective_date=dt.date(2022, 7, 1)
    )
    pct.refresh_from_db()
    ccg.refresh_from_db()
    assert pct.valid_to == dt.date(2013, 3, 31) and ccg.valid_to == dt.date(2022, 6, 30)
    assert [s.successor for s in Succession.objects.filter(predecessor=pct)] == [ccg]
    assert AuditEvent.objects.filter(action="admin.succession-recorded").count() == 2
    with pytest.raises(services.AdminChangeRefused):  # a loop: ICB cannot precede the PCT
        services.record_succession(
            principal=principal, now=now, predecessor=icb, successor=pct, effective_date=dt.date(2023, 1, 1)
        )


def test_a_succession_keeps_an_existing_closing_date(world):
    old = f.make_org("Old Trust", OrganisationType.NHS_TRUST, ods_code="ROLD1", valid_to=dt.date(2020, 12, 31))
    world.la.partnerships.first().organisations.add(old)
    services.record_succession(
        principal=f.principal_for(world.admin),
        now=timezone.now(),
        predecessor=old,
        successor=world.trust,
        effective_date=dt.date(2021, 4, 1),
    )
    old.refresh_from_db()
    assert old.valid_to == dt.date(2020, 12, 31)


def test_a_user_needs_a_password_that_passes_the_validators_and_it_is_never_audited(world):
    principal, now = f.principal_for(world.admin), timezone.now()
    kwargs = {
        "principal": principal,
        "now": now,
        "organisation": world.la,
        "username": "pat",
        "first_name": "Pat",
        "last_name": "Patel",
        "email": "pat@example.org",
        "job_title": "",
        "role": "SOCIAL_WORKER",
    }
    with pytest.raises(services.AdminChangeRefused) as refused:
        services.create_user(password="password", **kwargs)
    assert any("too common" in m for m in refused.value.errors["password"])
    assert not User.objects.filter(username="pat").exists()
    user = services.create_user(password="Tulips in the rain at 7", **kwargs)
    assert user.check_password("Tulips in the rain at 7")
    for event in AuditEvent.objects.filter(action__startswith="admin."):
        assert "Tulips" not in str(event.details) and "password" not in event.details


def test_an_administrator_cannot_end_their_own_role_or_deactivate_themself(world):
    principal, now = f.principal_for(world.admin), timezone.now()
    with pytest.raises(services.AdminChangeRefused):
        services.end_membership(principal=principal, now=now, membership=principal.membership)
    with pytest.raises(services.AdminChangeRefused):
        services.set_user_active(principal=principal, now=now, user=world.admin, active=False)
