"""Each step writes its record, moves the stage, audits and adds to the chronology in one transaction;
dates and codes are checked; the model's constraints come back as plain refusals."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from safeguarding.audit import services as audit_services
from safeguarding.audit.models import AuditEvent
from safeguarding.casework import services
from safeguarding.casework.codes import Stage
from safeguarding.casework.models import ChildProtectionPlan, Episode
from safeguarding.chronology.models import ChronologyEntry

from . import factories as cf


def _written(action: str, world: Any) -> tuple[AuditEvent, ChronologyEntry]:
    event = AuditEvent.objects.filter(action=action, person=world.child).latest("id")
    entry = ChronologyEntry.objects.filter(person=world.child, source_id=event.object_id).latest("id")
    return event, entry


def test_every_step_to_a_plan_is_audited_and_in_the_chronology(world):
    episode = cf.on_plan(world)
    for action in [
        "episode.opened",
        "assessment.started",
        "strategy-discussion.held",
        "section47.started",
        "section47.completed",
        "conference.initial-held",
    ]:
        event, entry = _written(action, world)
        assert event.outcome == "ALLOWED" and event.details["episode"] == str(episode.public_id)
        assert entry.source_type == event.object_type
    assert AuditEvent.objects.filter(action="cp-plan.started", person=world.child).exists()
    assert episode.stage == Stage.CHILD_PROTECTION


def test_a_step_whose_audit_row_fails_writes_nothing(world, monkeypatch):
    def broken(**kwargs: Any) -> None:
        raise RuntimeError("audit table unavailable")

    monkeypatch.setattr(audit_services, "record", broken)
    with pytest.raises(RuntimeError):
        cf.referral(world)
    assert not Episode.objects.exists()
    assert not ChronologyEntry.objects.filter(person=world.child).exists()


def test_the_initial_conference_starts_the_plan_on_its_date_with_its_category(world):
    episode = cf.on_plan(world, category="EMO")
    plan = ChildProtectionPlan.objects.get(episode=episode)
    conference = episode.conferences.get()
    assert plan.start_date == conference.held_on and conference.plan == plan
    assert plan.initial_category == plan.latest_category == "EMO"
    _, entry = _written("conference.initial-held", world)
    assert entry.significance == "CRITICAL" and "emotional abuse" in entry.summary


def test_a_child_in_need_plan_ends_when_a_child_protection_plan_starts(world):
    episode = cf.assessed(world, ago=60)
    p = cf.principal(world.allocated)
    services.start_cin_plan(
        episode=episode, principal=p, now=cf.now(), start_date=cf.days_ago(45), outcomes="x", backdated_reason="late"
    )
    services.hold_strategy_discussion(
        episode=episode,
        principal=p,
        now=cf.now(),
        held_on=cf.days_ago(40),
        agencies="Police",
        outcome="S47",
        rationale="New disclosure",
        backdated_reason="late",
    )
    services.start_section47(
        episode=episode, principal=p, now=cf.now(), start_date=cf.days_ago(40), backdated_reason="late"
    )
    services.complete_section47(
        enquiry=episode.section47s.get(),
        principal=p,
        now=cf.now(),
        completed_on=cf.days_ago(35),
        outcome="ICPC",
        backdated_reason="late",
    )
    services.hold_initial_conference(
        episode=episode,
        principal=p,
        now=cf.now(),
        held_on=cf.days_ago(30),
        decision="PLAN",
        category="NEG",
        rationale="r",
        backdated_reason="late",
    )
    assert episode.cin_plans.get().end_date == cf.days_ago(30)


def test_review_conference_continues_changes_category_or_ends_the_plan(world):
    episode = cf.on_plan(world, ago=200)
    plan = episode.cp_plans.get()
    p = cf.principal(world.allocated)
    services.hold_review_conference(
        plan=plan,
        principal=p,
        now=cf.now(),
        held_on=cf.days_ago(100),
        decision="PLAN",
        category="MUL",
        rationale="Emotional harm as well",
        backdated_reason="late",
    )
    plan.refresh_from_db()
    assert plan.latest_category == "MUL" and plan.initial_category == "NEG"
    assert plan.category_changes.count() == 1
    services.hold_review_conference(
        plan=plan, principal=p, now=cf.now(), held_on=cf.days_ago(1), decision="END_PLAN", rationale="Safe now"
    )
    plan.refresh_from_db()
    assert plan.end_date == cf.days_ago(1)
    assert Episode.objects.get(pk=episode.pk).stage == Stage.CHILD_IN_NEED


def test_a_review_conference_cannot_decide_no_plan(world):
    plan = cf.on_plan(world).cp_plans.get()
    with pytest.raises(services.StepRefused, match="continues the plan or ends it"):
        services.hold_review_conference(
            plan=plan,
            principal=cf.principal(world.allocated),
            now=cf.now(),
            held_on=cf.days_ago(0),
            decision="NO_PLAN",
            rationale="r",
        )


def test_change_of_category_updates_the_latest_category(world):
    plan = cf.on_plan(world).cp_plans.get()
    services.change_category(
        plan=plan,
        principal=cf.principal(world.allocated),
        now=cf.now(),
        changed_on=cf.days_ago(0),
        category="PHY",
        reason="Injury",
    )
    plan.refresh_from_db()
    assert plan.latest_category == "PHY"
    with pytest.raises(services.StepRefused, match="already under the category"):
        services.change_category(
            plan=plan,
            principal=cf.principal(world.allocated),
            now=cf.now(),
            changed_on=cf.days_ago(0),
            category="PHY",
            reason="Again",
        )


def test_a_plan_cannot_end_on_the_day_it_started(world):
    episode = cf.on_plan(world, ago=15)  # the conference (and plan start) is today
    with pytest.raises(services.StepRefused, match="at least a day after it started"):
        services.end_cp_plan(
            plan=episode.cp_plans.get(),
            principal=cf.principal(world.allocated),
            now=cf.now(),
            end_date=cf.days_ago(0),
            end_reason="Moved away",
        )


@pytest.mark.parametrize(
    ("factors", "message"),
    [
        ([], "Choose the factors"),
        (["21", "3B"], "cannot be chosen with other factors"),
        (["99Z"], "Unknown factor code"),
    ],
)
def test_assessment_factors_are_checked(world, factors, message):
    episode = cf.assessing(world)
    with pytest.raises(services.StepRefused, match=message):
        services.complete_assessment(
            assessment=episode.assessments.get(),
            principal=cf.principal(world.allocated),
            now=cf.now(),
            completed_on=cf.days_ago(0),
            factors=factors,
            outcome="NFA",
        )
    assert episode.assessments.get().completed_on is None


def test_no_factors_identified_alone_is_accepted(world):
    episode = cf.assessing(world)
    a = services.complete_assessment(
        assessment=episode.assessments.get(),
        principal=cf.principal(world.allocated),
        now=cf.now(),
        completed_on=cf.days_ago(0),
        factors=["21"],
        outcome="NFA",
    )
    assert a.factors == ["21"]


def test_only_a_manager_authorises_an_assessment(world):
    episode = cf.assessed(world)
    assessment = episode.assessments.get()
    with pytest.raises(services.StepRefused, match="Only a team manager"):
        services.authorise_assessment(
            assessment=assessment, principal=cf.principal(world.allocated), now=cf.now(), authorised_on=cf.days_ago(0)
        )
    services.authorise_assessment(
        assessment=assessment, principal=cf.principal(world.manager), now=cf.now(), authorised_on=cf.days_ago(0)
    )
    assessment.refresh_from_db()
    assert assessment.authorised_on == cf.days_ago(0) and assessment.authorised_by == world.manager


def test_the_timescale_is_the_workers_and_is_not_capped_at_the_local_maximum(world):
    episode = cf.referral(world, ago=0)
    a = services.start_assessment(
        episode=episode,
        principal=cf.principal(world.allocated),
        now=cf.now(),
        start_date=cf.days_ago(0),
        timescale_working_days=60,  # beyond the 45-day local maximum: shown, not enforced
        timescale_reason="Specialist parenting assessment needed",
    )
    assert a.timescale_working_days == 60


def test_closing_rc8_or_rc9_needs_an_assessment(world):
    episode = cf.referral(world)
    for reason in ("RC8", "RC9"):
        with pytest.raises(services.StepRefused, match="needs a completed assessment"):
            services.close_episode(
                episode=episode,
                principal=cf.principal(world.allocated),
                now=cf.now(),
                closure_date=cf.days_ago(0),
                reason=reason,
            )
    assert Episode.objects.get(pk=episode.pk).is_open


def test_closing_while_a_plan_runs_is_refused_unless_it_ends_the_plan(world):
    episode = cf.on_plan(world, ago=60)
    p = cf.principal(world.allocated)
    services.complete_assessment(
        assessment=episode.assessments.get(),
        principal=p,
        now=cf.now(),
        completed_on=cf.days_ago(1),
        factors=["16A"],
        outcome="CONTINUE",
    )
    with pytest.raises(services.StepRefused, match="A plan is still running"):
        services.close_episode(episode=episode, principal=p, now=cf.now(), closure_date=cf.days_ago(0), reason="RC5")
    closed = services.close_episode(
        episode=episode, principal=p, now=cf.now(), closure_date=cf.days_ago(0), reason="RC5", end_open_plans=True
    )
    assert closed.stage == Stage.CLOSED and not closed.referral_nfa
    assert episode.cp_plans.get().end_date == cf.days_ago(0)


def test_rc9_closure_after_assessment_is_left_for_early_help_to_pick_up(world):
    episode = cf.assessed(world, outcome="EARLY_HELP")
    closed = services.close_episode(
        episode=episode,
        principal=cf.principal(world.allocated),
        now=cf.now(),
        closure_date=cf.days_ago(0),
        reason="RC9",
    )
    assert closed.closure_reason == "RC9" and not closed.referral_nfa


def test_a_role_without_casework_cannot_record_a_step(world):
    episode = cf.referral(world)
    with pytest.raises(services.StepRefused, match="cannot record social care casework"):
        services.hold_strategy_discussion(
            episode=episode,
            principal=cf.principal(world.health),
            now=cf.now(),
            held_on=cf.days_ago(0),
            agencies="x",
            outcome="S47",
            rationale="x",
        )


def test_another_authority_cannot_open_a_referral(world):
    with pytest.raises(services.StepRefused, match="own local authority"):
        services.open_referral(
            person=world.child,
            principal=cf.principal(world.other_la_worker),
            now=cf.now(),
            referral_date=cf.days_ago(0),
            referral_source="2A",
        )


def test_closing_ends_the_episode_holders_access_after_the_local_period(world):
    from safeguarding.access import policy
    from safeguarding.standards.rules import add_months

    episode = cf.referral(world, ago=90)
    services.close_episode(
        episode=episode,
        principal=cf.principal(world.allocated),
        now=cf.now(),
        closure_date=cf.days_ago(0),
        reason="RC1",
    )
    held = world.child.involvements.filter(kind__in=["ALLOCATED_WORKER", "TEAM"])
    assert {i.end_date for i in held} == {add_months(cf.days_ago(0), 1)}  # a month to finish the record
    later = cf.now() + dt.timedelta(days=40)
    for name in ("allocated", "colleague", "manager"):
        user = getattr(world, name)
        assert policy.basis_for(cf.principal(user), world.child, now=cf.now()) is not None, name
        assert policy.basis_for(cf.principal(user), world.child, now=later) is None, name
    # the health partner's involvement is theirs: the closure does not end it
    assert policy.basis_for(cf.principal(world.health), world.child, now=later) is not None


def test_access_ends_a_month_after_a_backdated_closure_and_a_new_referral_restores_it(world):
    from safeguarding.access import policy

    episode = cf.referral(world, ago=120)
    services.close_episode(
        episode=episode,
        principal=cf.principal(world.allocated),
        now=cf.now(),
        closure_date=cf.days_ago(60),
        reason="RC1",
        backdated_reason=cf.BACKDATED,
    )
    assert policy.basis_for(cf.principal(world.allocated), world.child, now=cf.now()) is None
    cf.referral(world, ago=0)
    assert policy.basis_for(cf.principal(world.allocated), world.child, now=cf.now()) is not None
