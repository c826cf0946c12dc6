"""The early help workflow: consent before assessment, the plan after it, reviews, closure; every
invalid step refused with a message that says why and what is allowed, and nothing changed."""

from __future__ import annotations

import datetime as dt

import pytest

from safeguarding.access.models import Involvement, InvolvementKind
from safeguarding.access.policy import basis_for
from safeguarding.audit.models import AuditEvent
from safeguarding.chronology.models import ChronologyEntry
from safeguarding.earlyhelp import services, workflow
from safeguarding.earlyhelp.codes import Status
from safeguarding.earlyhelp.models import EarlyHelpAssessment, EarlyHelpEpisode, LeadProfessional
from tests import factories as f

from . import factories as eh


def _p(world):
    return f.principal_for(world.manager)


def test_the_assessment_cannot_start_without_the_familys_consent(world):
    episode = eh.offered(world)
    with pytest.raises(
        services.StepRefused, match="cannot start without the family's consent: early help is voluntary"
    ):
        services.start_assessment(episode=episode, principal=_p(world), now=eh.now(), started_on=eh.now().date())
    assert not EarlyHelpAssessment.objects.exists()
    assert EarlyHelpEpisode.objects.get(pk=episode.pk).status == Status.OFFERED


def test_refusing_consent_ends_early_help_as_declined(world):
    episode = eh.offered(world)
    services.record_consent(
        episode=episode,
        principal=_p(world),
        now=eh.now(),
        decision="REFUSED",
        by_whom="Testparent Example",
        relationship="PARENT",
        decided_on=eh.now().date(),
        note="They have support from family",
    )
    episode.refresh_from_db()
    assert (episode.status, episode.closure_outcome, episode.closure_date) == ("DECLINED", "DECLINED", eh.now().date())
    with pytest.raises(services.StepRefused, match="this early help has ended"):
        services.start_assessment(episode=episode, principal=_p(world), now=eh.now(), started_on=eh.now().date())


def test_withdrawn_consent_after_a_refusal_still_blocks_and_the_latest_decision_counts(world):
    episode = eh.consented(world)
    assert services.current_consent(episode).decision == "GIVEN"
    services.start_assessment(episode=episode, principal=_p(world), now=eh.now(), started_on=eh.now().date())
    assert EarlyHelpEpisode.objects.get(pk=episode.pk).status == Status.ASSESSMENT


def test_the_assessment_cannot_start_before_consent_was_given(world):
    episode = eh.consented(world)
    with pytest.raises(services.StepRefused, match="before the family gave consent"):
        services.start_assessment(
            episode=episode,
            principal=_p(world),
            now=eh.now(),
            started_on=eh.now().date() - dt.timedelta(days=3),
            backdated_reason="late",
        )


def test_completing_the_assessment_needs_strengths_needs_and_the_childs_view(world):
    episode = eh.assessing(world)
    with pytest.raises(services.StepRefused, match="record strengths, the child's view"):
        services.complete_assessment(
            episode=episode,
            principal=_p(world),
            now=eh.now(),
            completed_on=eh.now().date(),
            strengths=" ",
            needs="Routines",
            child_view="",
        )
    assert EarlyHelpAssessment.objects.get(episode=episode).completed_on is None


def test_the_plan_needs_a_completed_assessment(world):
    episode = eh.assessing(world)
    with pytest.raises(services.StepRefused, match="Complete the early help assessment first"):
        services.start_plan(
            episode=episode,
            principal=_p(world),
            now=eh.now(),
            started_on=eh.now().date(),
            first_review_on=eh.now().date() + dt.timedelta(days=30),
            change="x",
            due_on=eh.now().date(),
            who="y",
        )
    assert EarlyHelpEpisode.objects.get(pk=episode.pk).status == Status.ASSESSMENT


def test_a_review_rates_every_outcome_and_updates_their_progress(world):
    episode = eh.planned(world)
    second = services.add_outcome(
        episode=episode,
        principal=_p(world),
        now=eh.now(),
        change="Calmer bedtimes",
        due_on=eh.now().date(),
        who="Parent",
    )
    first = episode.plan.outcomes.exclude(pk=second.pk).get()
    with pytest.raises(services.StepRefused, match=r"Rate progress on every outcome \(1 not rated\)"):
        services.record_review(
            episode=episode,
            principal=_p(world),
            now=eh.now(),
            held_on=eh.now().date(),
            progress={first.pk: ("GREEN", "")},
            next_review_on=None,
        )
    services.record_review(
        episode=episode,
        principal=_p(world),
        now=eh.now(),
        held_on=eh.now().date(),
        progress={first.pk: ("GREEN", "On time all week"), second.pk: ("RED", "")},
        next_review_on=eh.now().date() + dt.timedelta(days=28),
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.rag, second.rag) == ("GREEN", "RED")
    assert ChronologyEntry.objects.filter(
        summary__startswith="Early help plan reviewed (1 green, 0 amber, 1 red)"
    ).exists()


@pytest.mark.parametrize(
    ("make", "step"),
    [
        (eh.offered, "complete_assessment"),
        (eh.offered, "start_plan"),
        (eh.offered, "review"),
        (eh.consented, "add_outcome"),
        (eh.assessing, "start_assessment"),
        (eh.assessing, "review"),
        (eh.planned, "start_assessment"),
        (eh.planned, "start_plan"),
    ],
)
def test_every_invalid_step_is_refused_with_what_is_allowed(world, make, step):
    episode = make(world)
    message = workflow.refusal(episode.status, step)
    assert message and "You can:" in message
    assert workflow.STEPS[step][0] in message


def test_an_ended_episode_refuses_every_step(world):
    episode = eh.planned(world)
    services.close(
        episode=episode, principal=_p(world), now=eh.now(), closure_date=eh.now().date(), outcome="NEEDS_MET"
    )
    for step in workflow.STEPS:
        assert "this early help has ended" in workflow.refusal("CLOSED", step)
    with pytest.raises(services.StepRefused, match="ended"):
        services.add_outcome(
            episode=episode, principal=_p(world), now=eh.now(), change="x", due_on=eh.now().date(), who="y"
        )


def test_closing_needs_a_chosen_outcome_and_a_note_for_other(world):
    episode = eh.planned(world)
    for outcome, message in [
        ("STEPPED_UP", "Step up to social care"),
        ("DECLINED", "consent decision"),
        ("OTHER", "Say why"),
    ]:
        with pytest.raises(services.StepRefused, match=message):
            services.close(
                episode=episode, principal=_p(world), now=eh.now(), closure_date=eh.now().date(), outcome=outcome
            )
    assert EarlyHelpEpisode.objects.get(pk=episode.pk).is_open
    services.close(
        episode=episode,
        principal=_p(world),
        now=eh.now(),
        closure_date=eh.now().date(),
        outcome="MOVED_AWAY",
        note="Moved to Southmere",
    )
    episode.refresh_from_db()
    assert (episode.status, episode.closure_outcome) == ("CLOSED", "MOVED_AWAY")
    assert ChronologyEntry.objects.filter(
        summary="Early help closed: the family moved away. Moved to Southmere"
    ).exists()


def test_a_lead_professional_who_uses_the_system_can_open_the_record_until_they_hand_over(world, eh_worker):
    episode = eh.offered(world)
    assert basis_for(f.principal_for(eh_worker), world.child, now=eh.now()) is None
    services.appoint_lead_professional(
        episode=episode,
        principal=_p(world),
        now=eh.now(),
        started_on=eh.now().date(),
        user=eh_worker,
        role="Family support worker",
    )
    assert Involvement.objects.filter(user=eh_worker, kind=InvolvementKind.KEY_PROFESSIONAL, end_date=None).exists()
    assert basis_for(f.principal_for(eh_worker), world.child, now=eh.now()) is not None
    services.appoint_lead_professional(
        episode=episode,
        principal=_p(world),
        now=eh.now(),
        started_on=eh.now().date(),
        name="Ms Testname",
        organisation_name="Northbridge Primary School",
        role="SENCO",
    )
    old, new = LeadProfessional.objects.order_by("id")
    assert old.ended_on == eh.now().date() and new.ended_on is None
    assert not Involvement.objects.filter(user=eh_worker, end_date=None).exists()
    assert ChronologyEntry.objects.filter(summary__contains="taking over from Ellie Earlyhelp").exists()


def test_a_team_around_the_family_member_who_uses_the_system_gets_partner_access(world):
    episode = eh.offered(world)
    member = eh.member(world, episode, user=world.health_other)
    assert Involvement.objects.filter(user=world.health_other, kind=InvolvementKind.PARTNER_PROFESSIONAL).exists()
    assert basis_for(f.principal_for(world.health_other), world.child, now=eh.now()) is not None
    with pytest.raises(services.StepRefused, match="already in the team"):
        eh.member(world, episode, user=world.health_other)
    services.taf_member_left(member=member, principal=_p(world), now=eh.now(), left_on=eh.now().date())
    later = eh.now() + dt.timedelta(days=1)
    assert basis_for(f.principal_for(world.health_other), world.child, now=later) is None


def test_closing_stands_down_the_lead_and_the_team_around_the_family(world, eh_worker):
    episode = eh.planned(world)
    eh.member(world, episode, user=world.health_other)
    services.appoint_lead_professional(
        episode=episode, principal=_p(world), now=eh.now(), started_on=eh.now().date(), user=eh_worker
    )
    services.close(
        episode=episode, principal=_p(world), now=eh.now(), closure_date=eh.now().date(), outcome="NEEDS_MET"
    )
    assert not Involvement.objects.filter(user__in=[eh_worker, world.health_other], end_date=None).exists()
    assert not episode.taf_members.filter(left_on=None).exists()
    assert AuditEvent.objects.filter(action="earlyhelp.ended", person=world.child).exists()


def test_an_outsider_to_the_system_needs_a_name_and_an_organisation(world):
    episode = eh.offered(world)
    with pytest.raises(services.StepRefused, match="give the name"):
        services.add_taf_member(
            episode=episode, principal=_p(world), now=eh.now(), joined_on=eh.now().date(), role="Nurse"
        )
    with pytest.raises(services.StepRefused, match="organisation"):
        services.add_taf_member(
            episode=episode, principal=_p(world), now=eh.now(), joined_on=eh.now().date(), role="Nurse", name="A Nurse"
        )
    assert not episode.taf_members.exists()


def test_every_step_is_audited_and_in_the_childs_chronology(world):
    eh.planned(world)
    actions = set(AuditEvent.objects.filter(person=world.child).values_list("action", flat=True))
    assert {
        "earlyhelp.offered",
        "earlyhelp.consent-recorded",
        "earlyhelp.assessment-started",
        "earlyhelp.assessment-completed",
        "earlyhelp.plan-started",
    } <= actions
    summaries = list(
        ChronologyEntry.objects.filter(person=world.child, category="Early help").values_list("summary", flat=True)
    )
    assert any(s.startswith("Early help offered") for s in summaries)
    assert any(s.startswith("Consent given") for s in summaries)
    assert any(s.startswith("Early help plan started") for s in summaries)
