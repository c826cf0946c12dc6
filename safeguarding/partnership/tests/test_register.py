"""The accountability register: holdings, vacancies, and history across the NHS reorganisations."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from safeguarding.audit.models import AuditEvent
from safeguarding.partnership import register, services
from safeguarding.partnership.models import AccountableRole, RoleHolding
from tests import factories as f

D = dt.date


def role(code: str) -> AccountableRole:
    return AccountableRole.objects.get(code=code, partnership=None)


def hold(area, code, org, name, starts_on, ends_on=None, *, is_acting=False):
    return services.record_holding(
        principal=f.principal_for(area.manager),
        now=timezone.now(),
        partnership=area.partnership,
        role=role(code),
        organisation=org,
        holder_name=name,
        starts_on=starts_on,
        ends_on=ends_on,
        is_acting=is_acting,
        note="Test appointment letters",
    )


def holders_on(area, code, day):
    return {
        (slot.organisation.name if slot.organisation else "area"): [h.holder_name for h in slot.holdings]
        for slot in register.accountability_on(area.partnership, day)
        if slot.role.code == code
    }


def test_the_default_catalogue_names_each_role_with_its_statutory_source(db):
    dcs = role("director-childrens-services")
    assert "s18" in dcs.statutory_source
    assert "s11" in role("designated-nurse").statutory_source
    codes = set(AccountableRole.objects.values_list("code", flat=True))
    assert {"lead-member", "independent-scrutineer", "designated-doctor", "named-doctor", "named-nurse"} <= codes
    assert {"named-midwife", "named-gp", "safeguarding-lead", "principal-social-worker", "lado"} <= codes


def test_the_load_command_is_idempotent(db):
    before = AccountableRole.objects.count()
    services.load_defaults(principal=None, now=timezone.now())
    services.load_defaults(principal=None, now=timezone.now())
    assert AccountableRole.objects.count() == before
    assert AuditEvent.objects.filter(action="partnership.catalogue.loaded").count() == 2


def test_history_stays_attached_to_each_body_across_the_reorganisations(area):
    hold(area, "designated-nurse", area.pct, "Nurse Testpct", D(2009, 1, 5), D(2013, 3, 31))
    hold(area, "designated-nurse", area.ccg, "Nurse Testccg", D(2013, 4, 1), D(2020, 5, 31))
    hold(area, "designated-nurse", area.ccg, "Nurse Testacting", D(2020, 9, 1), D(2022, 6, 30), is_acting=True)
    hold(area, "designated-nurse", area.icb, "Nurse Testicb", D(2022, 7, 1))

    # Before 2013 only the primary care trust existed: it answered for the area.
    assert holders_on(area, "designated-nurse", D(2012, 6, 1)) == {"Northbridge Primary Care Trust": ["Nurse Testpct"]}
    assert holders_on(area, "designated-nurse", D(2015, 1, 1)) == {"Northbridge CCG": ["Nurse Testccg"]}
    # A gap between holders is a vacancy on those dates; an acting holder fills it.
    assert holders_on(area, "designated-nurse", D(2020, 7, 1)) == {"Northbridge CCG": []}
    assert holders_on(area, "designated-nurse", D(2021, 7, 1)) == {"Northbridge CCG": ["Nurse Testacting"]}
    assert holders_on(area, "designated-nurse", D(2024, 1, 1)) == {"Northbridge ICB": ["Nurse Testicb"]}

    history = register.role_history(area.partnership, role("designated-nurse"))
    assert [h.organisation.name for h in history] == [
        "Northbridge ICB",
        "Northbridge CCG",
        "Northbridge CCG",
        "Northbridge Primary Care Trust",
    ]
    # Nothing was moved to the successor: the trust's holding is still the trust's.
    assert RoleHolding.objects.get(holder_name="Nurse Testpct").organisation == area.pct


def test_a_vacant_statutory_role_raises_an_alert_and_an_acting_holder_clears_it(area):
    today = timezone.localdate()
    slots = register.vacancies(area.partnership, today)
    vacant = {(s.role.code, s.organisation.name if s.organisation else "") for s in slots}
    assert ("designated-doctor", "Northbridge ICB") in vacant
    assert ("named-nurse", "Northbridge Hospitals NHS Trust") in vacant
    assert ("lado", "Northbridge Council") in vacant
    hold(area, "designated-doctor", area.icb, "Doctor Testacting", today, is_acting=True)
    vacant = {s.role.code for s in register.vacancies(area.partnership, today)}
    assert "designated-doctor" not in vacant


@pytest.mark.parametrize(
    ("code", "org_name", "starts_on", "ends_on", "note", "field", "message"),
    [
        ("designated-nurse", "trust", D(2024, 1, 1), None, "x", "organisation", "another type of organisation"),
        ("lado", "other_la", D(2024, 1, 1), None, "x", "organisation", "in this partnership's area"),
        ("lado", "la", D(2024, 1, 1), D(2023, 1, 1), "x", "ends_on", "on or after the start date"),
        ("lado", "la", D(2024, 1, 1), None, "", "note", "Say where the start date comes from"),
    ],
)
def test_invalid_holdings_are_refused_with_their_reason_and_nothing_is_written(
    area, world, code, org_name, starts_on, ends_on, note, field, message
):
    org = {"trust": world.trust, "other_la": world.other_la, "la": world.la}[org_name]
    with pytest.raises(services.PartnershipChangeRefused) as refused:
        services.record_holding(
            principal=f.principal_for(area.manager),
            now=timezone.now(),
            partnership=area.partnership,
            role=role(code),
            organisation=org,
            holder_name="Test Holder",
            starts_on=starts_on,
            ends_on=ends_on,
            note=note,
        )
    assert message in refused.value.errors[field][0]
    assert not RoleHolding.objects.exists()
    assert not AuditEvent.objects.filter(action="partnership.holding.recorded").exists()


def test_two_substantive_holders_at_once_are_refused_until_the_first_is_ended(area, world):
    first = hold(area, "lado", world.la, "Lado Testone", D(2020, 1, 1))
    with pytest.raises(services.PartnershipChangeRefused, match="end that holding first"):
        hold(area, "lado", world.la, "Lado Testtwo", D(2024, 1, 1))
    now = timezone.now()
    services.end_holding(principal=f.principal_for(area.manager), now=now, holding=first, ends_on=D(2023, 12, 31))
    hold(area, "lado", world.la, "Lado Testtwo", D(2024, 1, 1))
    with pytest.raises(services.PartnershipChangeRefused, match="already ended"):
        services.end_holding(principal=f.principal_for(area.manager), now=now, holding=first, ends_on=D(2024, 1, 1))
    assert AuditEvent.objects.filter(action="partnership.holding.ended", object_id=str(first.public_id)).count() == 1


def test_only_a_partnership_manager_may_record_a_holding(area, world):
    from safeguarding.partnership.access import PartnershipRefused

    with pytest.raises(PartnershipRefused):
        services.record_holding(
            principal=f.principal_for(world.manager),
            now=timezone.now(),
            partnership=area.partnership,
            role=role("lado"),
            organisation=world.la,
            holder_name="Test Holder",
            starts_on=timezone.localdate(),
        )
    assert not RoleHolding.objects.exists()
