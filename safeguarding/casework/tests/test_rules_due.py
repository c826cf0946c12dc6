"""Due and overdue items across episodes: what a worker or manager would see listed, in constant queries."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from safeguarding.casework import due_lists as due
from safeguarding.casework.codes import Section47Outcome
from safeguarding.casework.models import Episode, Section47Enquiry
from safeguarding.standards.models import LocalStandard, Unit
from safeguarding.work.tests import factories as w
from tests import factories as f

D = dt.date


def _episodes(*episodes: Episode) -> list[Episode]:
    return list(Episode.objects.filter(pk__in=[e.pk for e in episodes]).select_related("person"))


def test_an_assessment_past_the_workers_timescale_is_overdue_with_the_local_maximum_beside_it(world):
    episode = w.make_episode(world.child, worker=world.allocated, team=world.team_a, referral_date=D(2026, 12, 1))
    w.make_assessment(episode, start_date=D(2026, 12, 14), days=15)  # due 7 Jan 2027 (Christmas in between)
    [item] = due.due_items(_episodes(episode), today=D(2027, 1, 10))
    assert (item.what, item.due_on, item.days_overdue) == ("Single assessment", D(2027, 1, 7), 3)
    assert item.person == world.child
    assert "professional judgement" in item.standard_source
    assert "Local maximum 5 Feb 2027" in item.note


def test_the_local_maximum_binds_when_the_worker_set_a_longer_timescale(world):
    episode = w.make_episode(world.child, worker=world.allocated, team=world.team_a, referral_date=D(2026, 12, 1))
    w.make_assessment(episode, start_date=D(2026, 12, 1), days=60)
    [item] = due.due_items(_episodes(episode), today=D(2027, 2, 8))
    assert item.due_on == D(2027, 2, 5) and item.days_overdue == 3
    assert item.standard_title.startswith("Single assessment, local maximum from referral (45 working days)")
    assert "no longer than 45 working days" in item.standard_source


def test_a_local_variation_of_the_maximum_is_used_and_said(world):
    LocalStandard.objects.create(
        local_authority=world.la,
        code="ASSESSMENT_MAXIMUM",
        amount=30,
        unit=Unit.WORKING_DAYS,
        updated_at=timezone.now(),
    )
    episode = w.make_episode(world.child, worker=world.allocated, team=world.team_a, referral_date=D(2026, 12, 1))
    w.make_assessment(episode, start_date=D(2026, 12, 1), days=40)
    [item] = due.due_items(_episodes(episode), today=D(2026, 12, 1))
    assert item.is_local_variation and "(30 working days)" in item.standard_title
    assert not item.is_overdue


def test_a_completed_assessment_awaits_authorisation_and_then_is_not_due(world):
    episode = w.make_episode(world.child, worker=world.allocated, team=world.team_a)
    assessment = w.make_assessment(episode, start_date=D(2026, 11, 2), completed_on=D(2026, 11, 20))
    [item] = due.due_items(_episodes(episode), today=D(2027, 1, 1))
    assert (item.kind, item.due_on, item.is_overdue) == (due.AUTHORISATION, D(2026, 11, 20), False)
    assessment.authorised_on, assessment.authorised_by = D(2026, 11, 21), world.manager
    assessment.save()
    assert due.due_items(_episodes(episode), today=D(2027, 1, 1)) == []


def test_an_icpc_is_due_15_working_days_after_the_strategy_discussion_until_it_is_held(world):
    episode = w.make_episode(world.child, worker=world.allocated, team=world.team_a)
    discussion = w.make_strategy(episode, held_on=D(2027, 3, 19))
    [item] = due.due_items(_episodes(episode), today=D(2027, 4, 14))
    assert (item.kind, item.due_on, item.days_overdue) == (due.ICPC, D(2027, 4, 13), 1)
    assert "15 working days" in item.standard_title
    # The section 47 enquiry decides no conference is needed: nothing due.
    Section47Enquiry.objects.create(
        episode=episode,
        strategy_discussion=discussion,
        start_date=D(2027, 3, 19),
        completed_on=D(2027, 3, 30),
        outcome=Section47Outcome.NOT_SUBSTANTIATED,
        recorded_at=timezone.now(),
        recorded_by=world.allocated,
    )
    assert due.due_items(_episodes(episode), today=D(2027, 4, 14)) == []


def test_a_held_icpc_clears_the_item_and_the_plan_brings_core_group_and_review(world):
    episode = w.make_episode(world.child, worker=world.allocated, team=world.team_a)
    w.make_strategy(episode, held_on=D(2026, 12, 1))
    plan = w.make_cp_plan(episode, start_date=D(2026, 12, 18))
    items = due.due_items(_episodes(episode), today=D(2027, 1, 8))
    assert [(i.kind, i.due_on, i.days_overdue) for i in items] == [
        (due.FIRST_CORE_GROUP, D(2027, 1, 6), 2),
        (due.REVIEW_CONFERENCE, D(2027, 3, 18), 0),
    ]
    w.make_core_group(plan, held_on=D(2027, 1, 5))
    w.make_review_conference(plan, held_on=D(2027, 3, 10))
    [review] = due.due_items(_episodes(episode), today=D(2027, 3, 11))
    assert review.due_on == D(2027, 9, 10) and "6 months" in review.standard_title


def test_a_cin_plan_review_is_due_three_months_after_the_last_review(world):
    episode = w.make_episode(world.child, worker=world.allocated, team=world.team_a)
    plan = w.make_cin_plan(episode, start_date=D(2026, 8, 31))
    [item] = due.due_items(_episodes(episode), today=D(2026, 12, 1))
    assert (item.due_on, item.days_overdue) == (D(2026, 11, 30), 1)
    w.make_cin_review(plan, held_on=D(2026, 11, 25))
    [item] = due.due_items(_episodes(episode), today=D(2026, 12, 1))
    assert item.due_on == D(2027, 2, 25) and not item.is_overdue


def test_overdue_items_come_first_then_by_due_date(world):
    late = w.make_episode(world.child, worker=world.allocated, team=world.team_a)
    w.make_cin_plan(late, start_date=D(2026, 6, 1))  # review due 1 Sep: overdue
    soon = w.make_episode(world.sibling, worker=world.allocated, team=world.team_a)
    w.make_assessment(soon, start_date=D(2026, 11, 30), days=2)  # due 2 Dec
    items = due.due_items(_episodes(late, soon), today=D(2026, 12, 1))
    assert [i.person for i in items] == [world.child, world.sibling]
    assert due.overdue_count(items) == 1


def test_closed_episodes_have_nothing_due(world):
    episode = w.make_episode(world.child, worker=world.allocated, team=world.team_a)
    w.make_cin_plan(episode, start_date=D(2026, 6, 1))
    Episode.objects.filter(pk=episode.pk).update(closure_date=D(2026, 11, 30), closure_reason="RC7")
    assert due.due_items(_episodes(episode), today=D(2026, 12, 1)) == []


def test_the_query_count_does_not_grow_with_the_episodes(world, django_assert_max_num_queries):
    def add_journey(n: int) -> None:
        child = f.make_person(world.la, given_name=f"Duechild{n}", family_name="Example")
        episode = w.make_episode(child, worker=world.allocated, team=world.team_a)
        w.make_assessment(episode, start_date=D(2026, 11, 2))
        w.make_strategy(episode, held_on=D(2026, 11, 10))
        w.make_cp_plan(episode, start_date=D(2026, 11, 20))
        w.make_cin_plan(episode, start_date=D(2026, 6, 1))

    add_journey(0)
    few = list(Episode.objects.select_related("person"))
    with django_assert_max_num_queries(6) as small:
        due.due_items(few, today=D(2026, 12, 1))
    for n in range(1, 8):
        add_journey(n)
    many = list(Episode.objects.select_related("person"))
    with django_assert_max_num_queries(len(small.captured_queries)):
        items = due.due_items(many, today=D(2026, 12, 1))
    assert len(items) == 8 * 4  # assessment, first core group, review conference, CIN plan review
