import datetime as dt

import pytest

from safeguarding.standards.catalogue import CATALOGUE
from safeguarding.standards.models import LocalStandard
from safeguarding.standards.rules import add_months, due_date, standard_for
from safeguarding.standards.working_days import add_working_days, is_working_day, working_days_between
from tests import factories as f


def test_it_skips_weekends():
    friday = dt.date(2026, 11, 20)
    assert add_working_days(friday, 1) == dt.date(2026, 11, 23)


def test_it_skips_bank_holidays_including_substitute_days():
    christmas_eve = dt.date(2026, 12, 24)  # Thursday; 25th Fri, 28th is Boxing Day (observed)
    assert not is_working_day(dt.date(2026, 12, 28))
    assert add_working_days(christmas_eve, 1) == dt.date(2026, 12, 29)


def test_it_skips_easter():
    maundy_thursday = dt.date(2026, 4, 2)
    assert add_working_days(maundy_thursday, 1) == dt.date(2026, 4, 7)


def test_forty_five_working_days_over_christmas():
    referral = dt.date(2026, 12, 1)
    due = add_working_days(referral, 45)
    assert working_days_between(referral, due) == 45
    assert due == dt.date(2027, 2, 5)


def test_it_refuses_negative_days():
    with pytest.raises(ValueError):
        add_working_days(dt.date(2026, 1, 5), -1)


def test_months_clamp_to_the_end_of_short_months():
    assert add_months(dt.date(2026, 11, 30), 3) == dt.date(2027, 2, 28)


@pytest.mark.django_db
def test_a_local_authority_can_vary_a_standard():
    la = f.make_org("Northbridge Council", dfe_la_code="991")
    default = standard_for(la.id, "ASSESSMENT_MAXIMUM")
    assert (default.amount, default.is_local_variation) == (45, False)
    LocalStandard.objects.create(
        local_authority=la,
        code="ASSESSMENT_MAXIMUM",
        amount=35,
        unit="WORKING_DAYS",
        updated_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    )
    local = standard_for(la.id, "ASSESSMENT_MAXIMUM")
    assert (local.amount, local.is_local_variation) == (35, True)
    assert due_date(local, dt.date(2026, 11, 2)) == add_working_days(dt.date(2026, 11, 2), 35)


def test_every_standard_cites_its_source():
    assert all(d.source for d in CATALOGUE.values())
