"""The journey's due dates: working days without England bank holidays, months, local variations."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from safeguarding.casework import rules
from safeguarding.casework.models import (
    Assessment,
    ChildInNeedPlan,
    ChildProtectionPlan,
    Episode,
    StrategyDiscussion,
)
from safeguarding.standards.models import LocalStandard, Unit
from tests import factories as f

D = dt.date


def _episode(la_id: int = 1) -> Episode:
    return Episode(local_authority_id=la_id, referral_date=D(2026, 12, 1))


def _defaults(la_id: int = 1) -> dict[str, rules.Standard]:
    """The national defaults, without a query (as a list page would pass them)."""
    from safeguarding.standards.catalogue import CATALOGUE

    return {
        code: rules.Standard(code, d.title, d.amount, d.unit, d.source, False)
        for code, d in CATALOGUE.items()
        if code in rules.JOURNEY_STANDARDS
    }


S = _defaults()


def test_assessment_due_is_the_workers_timescale_in_working_days_across_christmas():
    # Mon 14 Dec 2026 + 15 working days skips Christmas Day, Boxing Day (observed, Mon 28th) and New Year's Day.
    assessment = Assessment(start_date=D(2026, 12, 14), timescale_working_days=15)
    assert rules.assessment_due(assessment) == D(2027, 1, 7)


def test_assessment_due_zero_days_is_the_start_day():
    assert rules.assessment_due(Assessment(start_date=D(2026, 3, 2), timescale_working_days=0)) == D(2026, 3, 2)


def test_local_maximum_is_45_working_days_from_referral_not_from_assessment_start():
    # 1 Dec 2026 + 45 working days: 3 bank holidays in the way (25, 28 Dec, 1 Jan).
    assert rules.assessment_local_maximum(_episode(), S["ASSESSMENT_MAXIMUM"]) == D(2027, 2, 5)


def test_conference_due_15_working_days_after_strategy_discussion_across_easter():
    # Fri 19 Mar 2027: Good Friday 26 Mar and Easter Monday 29 Mar are not working days.
    discussion = StrategyDiscussion(episode=_episode(), held_on=D(2027, 3, 19))
    assert rules.conference_due(discussion, S["ICPC_AFTER_STRATEGY"]) == D(2027, 4, 13)


def test_first_core_group_10_working_days_after_the_icpc_across_christmas():
    plan = ChildProtectionPlan(episode=_episode(), start_date=D(2026, 12, 18))
    # 21-24 Dec (4), 29-31 Dec (7), 4-6 Jan (10).
    assert rules.first_core_group_due(plan, S["FIRST_CORE_GROUP"]) == D(2027, 1, 6)


def test_first_review_within_three_months_of_the_icpc_then_every_six_months():
    plan = ChildProtectionPlan(episode=_episode(), start_date=D(2026, 11, 30))
    first, subsequent = S["FIRST_REVIEW_CONFERENCE"], S["SUBSEQUENT_REVIEW_CONFERENCE"]
    # Month end: 30 Nov + 3 months is 28 Feb (no 30 Feb).
    assert rules.next_review_conference_due(plan, None, first=first, subsequent=subsequent) == D(2027, 2, 28)
    # The ICPC itself is not a review: still the first review's timescale.
    assert rules.next_review_conference_due(plan, plan.start_date, first=first, subsequent=subsequent) == D(2027, 2, 28)
    # After the first review on 31 Aug 2027, the next is due 29 Feb 2028 (leap year month end).
    later = rules.next_review_conference_due(plan, D(2027, 8, 31), first=first, subsequent=subsequent)
    assert later == D(2028, 2, 29)


def test_cin_plan_review_from_start_then_from_last_review():
    plan = ChildInNeedPlan(episode=_episode(), start_date=D(2026, 10, 31))
    assert rules.cin_plan_review_due(plan, None, S["CIN_PLAN_REVIEW"]) == D(2027, 1, 31)
    assert rules.cin_plan_review_due(plan, D(2027, 1, 20), S["CIN_PLAN_REVIEW"]) == D(2027, 4, 20)


def test_a_standard_of_the_wrong_name_is_refused():
    with pytest.raises(ValueError, match="ICPC_AFTER_STRATEGY"):
        rules.conference_due(StrategyDiscussion(episode=_episode(), held_on=D(2026, 1, 5)), S["FIRST_CORE_GROUP"])


def test_days_overdue_counts_calendar_days_after_the_due_date():
    assert rules.days_overdue(D(2026, 12, 24), D(2026, 12, 24)) == 0
    assert rules.days_overdue(D(2026, 12, 24), D(2026, 12, 23)) == 0
    assert rules.days_overdue(D(2026, 12, 24), D(2027, 1, 2)) == 9


@pytest.mark.django_db
def test_without_a_standard_the_authoritys_local_variation_applies():
    la = f.make_org("Rulesbury Council", dfe_la_code="993")
    other = f.make_org("Defaultshire Council", dfe_la_code="994")
    LocalStandard.objects.create(
        local_authority=la, code="ICPC_AFTER_STRATEGY", amount=10, unit=Unit.WORKING_DAYS, updated_at=timezone.now()
    )
    LocalStandard.objects.create(
        local_authority=la, code="CIN_PLAN_REVIEW", amount=6, unit=Unit.CALENDAR_DAYS, updated_at=timezone.now()
    )
    held = D(2026, 12, 21)
    assert rules.conference_due(StrategyDiscussion(episode=_episode(la.pk), held_on=held)) == D(2027, 1, 7)
    assert rules.conference_due(StrategyDiscussion(episode=_episode(other.pk), held_on=held)) == D(2027, 1, 14)
    plan = ChildInNeedPlan(episode=_episode(la.pk), start_date=D(2026, 12, 28))
    assert rules.cin_plan_review_due(plan, None) == D(2027, 1, 3)


@pytest.mark.django_db
def test_standards_for_reads_every_authoritys_standards_in_one_query(django_assert_num_queries):
    la = f.make_org("Rulesbury Council", dfe_la_code="993")
    other = f.make_org("Defaultshire Council", dfe_la_code="994")
    LocalStandard.objects.create(
        local_authority=la, code="ASSESSMENT_MAXIMUM", amount=35, unit=Unit.WORKING_DAYS, updated_at=timezone.now()
    )
    with django_assert_num_queries(1):
        found = rules.standards_for({la.pk, other.pk})
    assert found[la.pk]["ASSESSMENT_MAXIMUM"].amount == 35
    assert found[la.pk]["ASSESSMENT_MAXIMUM"].is_local_variation
    assert found[other.pk]["ASSESSMENT_MAXIMUM"].amount == 45
    assert not found[other.pk]["ASSESSMENT_MAXIMUM"].is_local_variation
    assert "Working Together" in found[other.pk]["ICPC_AFTER_STRATEGY"].source
    with django_assert_num_queries(0):
        rules.assessment_local_maximum(_episode(la.pk), found[la.pk]["ASSESSMENT_MAXIMUM"])
