"""Step order, dates and the action tracker, through the services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from safeguarding.audit.models import AuditEvent
from safeguarding.learning import services
from safeguarding.learning.codes import ActionStatus, ReviewDecision
from safeguarding.learning.models import Action
from tests import factories as f

from .factories import make_incident, partnership_of

pytestmark = pytest.mark.django_db


def _p(user):
    return f.principal_for(user)


def _today():
    return timezone.localdate()


def test_a_rapid_review_cannot_be_recorded_before_the_notification(pm):
    incident = make_incident(pm)
    with pytest.raises(services.StepRefused, match="Record the notification to the national panel first"):
        services.record_rapid_review(
            incident=incident, principal=_p(pm), now=timezone.now(), held_on=_today(), agencies="Police"
        )
    incident.refresh_from_db()
    assert incident.rapid_review_held_on is None


@pytest.mark.parametrize(
    ("to", "call", "message"),
    [
        ("notified", "decision", "Record the rapid review first"),
        ("reviewed", "sent", "Record the rapid review and its decision first"),
        ("decided", "commission", "Send the rapid review to the panel first"),
        ("decided", "publish", "Send the rapid review to the panel before publishing"),
        ("notified", "recommendation", "Record the rapid review first"),
        ("recorded", "notified_twice", "already been notified"),
    ],
)
def test_each_step_out_of_order_is_refused_with_its_message(pm, to, call, message):
    incident = make_incident(pm, to="notified" if call == "notified_twice" else to)
    p, now, today = _p(pm), timezone.now(), _today()
    calls = {
        "decision": lambda: services.record_decision(
            incident=incident, principal=p, now=now, decision=ReviewDecision.LCSPR, rationale="x"
        ),
        "sent": lambda: services.record_sent_to_panel(incident=incident, principal=p, now=now, sent_on=today),
        "commission": lambda: services.commission_review(
            incident=incident, principal=p, now=now, commissioned_on=today, reviewer="A Reviewer"
        ),
        "publish": lambda: services.publish(
            incident=incident, principal=p, now=now, published_on=today, learning_briefing="x", report_url=""
        ),
        "recommendation": lambda: services.add_recommendation(incident=incident, principal=p, now=now, text="x"),
        "notified_twice": lambda: services.record_notification(
            incident=incident, principal=p, now=now, notified_on=today
        ),
    }
    before = AuditEvent.objects.count()
    with pytest.raises(services.StepRefused, match=message):
        calls[call]()
    assert AuditEvent.objects.count() == before


def test_a_local_review_is_refused_when_the_rapid_review_decided_none_is_needed(pm):
    incident = make_incident(pm, to="sent", decision=ReviewDecision.NO_LCSPR)
    with pytest.raises(services.StepRefused, match="only when the rapid review decided one is needed"):
        services.commission_review(
            incident=incident, principal=_p(pm), now=timezone.now(), commissioned_on=_today(), reviewer="R"
        )
    # Without a local review the learning briefing can be published with no report link.
    services.publish(
        incident=incident, principal=_p(pm), now=timezone.now(), published_on=_today(), learning_briefing="Brief"
    )


def test_a_commissioned_review_needs_its_report_link_to_publish(pm):
    incident = make_incident(pm, to="sent")
    now, today = timezone.now(), _today()
    services.commission_review(incident=incident, principal=_p(pm), now=now, commissioned_on=today, reviewer="R")
    with pytest.raises(services.StepRefused, match="link to the published report"):
        services.publish(incident=incident, principal=_p(pm), now=now, published_on=today, learning_briefing="B")


def test_future_dates_are_refused_and_late_ones_need_a_reason(pm):
    now, today = timezone.now(), _today()
    partnership = partnership_of(pm.memberships.first().organisation)
    kwargs = {"partnership": partnership, "principal": _p(pm), "now": now, "reference": "SI-9", "summary": "x"}
    with pytest.raises(services.StepRefused, match="cannot be in the future"):
        services.record_incident(aware_on=today + dt.timedelta(days=1), **kwargs)
    with pytest.raises(services.StepRefused, match="being recorded late"):
        services.record_incident(aware_on=today - dt.timedelta(days=10), **kwargs)
    incident = services.record_incident(aware_on=today - dt.timedelta(days=10), backdated_reason="Paper file", **kwargs)
    assert incident.backdated_reasons == {"aware": "Paper file"}
    with pytest.raises(services.StepRefused, match="cannot be before the partnership became aware"):
        services.record_notification(incident=incident, principal=_p(pm), now=now, notified_on=today - dt.timedelta(11))


def test_children_of_another_authority_cannot_be_linked(world, pm):
    stranger = f.make_person(world.other_la, given_name="Faraway")
    with pytest.raises(services.StepRefused, match="Link only children of this partnership"):
        make_incident(pm, children=[stranger])


def _action(world, pm, due_on):
    incident = make_incident(pm, to="reviewed")
    now = timezone.now()
    rec = services.add_recommendation(incident=incident, principal=_p(pm), now=now, text="Share records sooner")
    return services.add_action(
        recommendation=rec,
        principal=_p(pm),
        now=now,
        description="Audit information sharing",
        owner_organisation=world.trust,
        owner_name="Dr Test Named",
        due_on=due_on,
    )


def test_an_action_is_tracked_to_closure_and_needs_evidence_to_be_done(world, pm):
    action = _action(world, pm, _today() + dt.timedelta(days=30))
    now, today = timezone.now(), _today()
    services.update_action(action=action, principal=_p(pm), now=now, status=ActionStatus.IN_PROGRESS)
    with pytest.raises(services.StepRefused, match="evidence that the action is done"):
        services.update_action(action=action, principal=_p(pm), now=now, status=ActionStatus.DONE, completed_on=today)
    services.update_action(
        action=action, principal=_p(pm), now=now, status=ActionStatus.DONE, evidence="Audit report", completed_on=today
    )
    action.refresh_from_db()
    assert (action.status, action.evidence, action.completed_on) == (ActionStatus.DONE, "Audit report", today)
    with pytest.raises(services.StepRefused, match="This action is closed"):
        services.update_action(action=action, principal=_p(pm), now=now, status=ActionStatus.OPEN)
    assert AuditEvent.objects.filter(action="learning.action.updated").count() == 2


def test_an_action_owner_must_be_an_agency_of_the_partnership(world, pm):
    incident = make_incident(pm, to="reviewed")
    rec = services.add_recommendation(incident=incident, principal=_p(pm), now=timezone.now(), text="R")
    with pytest.raises(services.StepRefused, match="agency of this partnership"):
        services.add_action(
            recommendation=rec,
            principal=_p(pm),
            now=timezone.now(),
            description="D",
            owner_organisation=world.other_la,
            owner_name="N",
            due_on=_today(),
        )
    assert not Action.objects.exists()


def test_the_learning_records_follow_the_rapid_review(pm):
    incident = make_incident(pm, to="reviewed")
    now, p = timezone.now(), _p(pm)
    services.add_practice_episode(
        incident=incident, principal=p, now=now, occurred_on=_today(), what_happened="A", why_it_made_sense="B"
    )
    services.add_finding(
        incident=incident, principal=p, now=now, pattern="TOOLS", statement="The form hides history", evidence="E"
    )
    rca = services.add_root_cause_analysis(
        incident=incident,
        principal=p,
        now=now,
        problem="P",
        domain="COMMUNICATION",
        whys=["a", "", "b"],
        root_cause="R",
    )
    assert rca.whys == ["a", "b"]
    with pytest.raises(services.StepRefused, match="why it made sense"):
        services.add_practice_episode(
            incident=incident, principal=p, now=now, occurred_on=_today(), what_happened="A", why_it_made_sense=" "
        )


def test_the_services_themselves_refuse_anyone_but_the_partnerships_manager(world, pm, pm_other):
    from safeguarding.accounts.roles import Role
    from safeguarding.learning.models import SeriousIncident

    reader = f.make_user("rhea", org=world.la, role=Role.PARTNERSHIP_MEMBER)
    incident = make_incident(pm)
    for who in (reader, pm_other, world.allocated):
        with pytest.raises(services.StepRefused, match="Only the partnership's manager"):
            services.record_incident(
                partnership=partnership_of(world.la),
                principal=_p(who),
                now=timezone.now(),
                reference=f"SI-{who.username}",
                aware_on=_today(),
                summary="A child was seriously harmed",
            )
        with pytest.raises(services.StepRefused, match="Only the partnership's manager"):
            services.record_notification(incident=incident, principal=_p(who), now=timezone.now(), notified_on=_today())
    assert list(SeriousIncident.objects.values_list("reference", flat=True)) == ["SI-1"]
    incident.refresh_from_db()
    assert incident.notified_on is None
