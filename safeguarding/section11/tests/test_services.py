"""The section 11 flow through its services: standards, self-assessment, moderation, actions, refusals."""

from __future__ import annotations

import datetime as dt

import pytest

from safeguarding.audit.models import AuditEvent
from safeguarding.section11 import access, catalogue, services
from safeguarding.section11.models import ActionStatus, AssessmentStatus, Rating, Standard
from tests import factories as f

from .conftest import NOW, fill

D = dt.date


def test_a_new_cycle_installs_the_eight_default_standards_and_a_blank_assessment_per_member(s11, world):
    standards = list(Standard.objects.filter(partnership=s11.partnership))
    assert [s.title for s in standards] == [t for t, _ in catalogue.DEFAULT_STANDARDS]
    assert all(s.source == catalogue.SOURCE for s in standards)
    assert {a.organisation for a in s11.cycle.assessments.all()} == {world.la, world.trust}
    assert s11.la_assessment.ratings.count() == 8
    assert AuditEvent.objects.filter(action="section11.cycle.opened").count() == 1


def test_standards_are_the_partnership_s_own_and_an_inactive_one_is_left_out_of_the_next_cycle(s11):
    standard = Standard.objects.get(partnership=s11.partnership, number=2)
    services.edit_standard(
        principal=f.principal_for(s11.runner),
        now=NOW,
        standard=standard,
        title="Local statement",
        text="Our own words",
        source="Northbridge procedures",
        is_active=False,
    )
    cycle = services.open_cycle(
        principal=f.principal_for(s11.runner),
        now=NOW,
        partnership=s11.partnership,
        name="2027",
        opens_on=D(2027, 6, 1),
        self_assessment_due_on=D(2027, 9, 1),
        moderation_due_on=D(2027, 10, 1),
    )
    assert cycle.standards.count() == 7
    assert Standard.objects.filter(title="Local statement").count() == 1


def test_cycle_dates_out_of_order_and_a_duplicate_name_are_refused_and_nothing_is_made(s11):
    with pytest.raises(services.Section11ChangeRefused) as refused:
        services.open_cycle(
            principal=f.principal_for(s11.runner),
            now=NOW,
            partnership=s11.partnership,
            name="2026 to 2027",
            opens_on=D(2026, 6, 1),
            self_assessment_due_on=D(2026, 5, 1),
            moderation_due_on=D(2026, 4, 1),
        )
    assert set(refused.value.errors) == {"name", "self_assessment_due_on", "moderation_due_on"}
    assert s11.partnership.section11_cycles.count() == 1


def test_rag_and_moderation_flow_to_an_agreed_rating(s11):
    with pytest.raises(services.Section11ChangeRefused, match="missing: 1, 2, 3"):
        services.submit_assessment(
            principal=f.principal_for(s11.trust_assessor), now=NOW, assessment=s11.trust_assessment
        )
    fill(s11.trust_assessment, s11.trust_assessor, rag="AMBER")
    rating = s11.trust_assessment.ratings.get(standard__number=1)
    with pytest.raises(services.Section11ChangeRefused, match="not submitted"):
        services.moderate_rating(
            principal=f.principal_for(s11.runner), now=NOW, rating=rating, challenge="Show it", agreed_rag=""
        )
    services.submit_assessment(principal=f.principal_for(s11.trust_assessor), now=NOW, assessment=s11.trust_assessment)
    with pytest.raises(services.Section11ChangeRefused, match="can no longer be changed"):
        fill(s11.trust_assessment, s11.trust_assessor, rag="GREEN")
    services.moderate_rating(
        principal=f.principal_for(s11.runner), now=NOW, rating=rating, challenge="Where are the minutes?", agreed_rag=""
    )
    services.respond_to_challenge(
        principal=f.principal_for(s11.trust_assessor), now=NOW, rating=rating, response="Board minutes, May"
    )
    for each in s11.trust_assessment.ratings.all():
        services.moderate_rating(
            principal=f.principal_for(s11.runner), now=NOW, rating=each, challenge="", agreed_rag="RED"
        )
    rating.refresh_from_db()
    s11.trust_assessment.refresh_from_db()
    assert (rating.rag, rating.agreed_rag, rating.final_rag) == ("AMBER", "RED", "RED")
    assert rating.response == "Board minutes, May"
    assert s11.trust_assessment.status == AssessmentStatus.MODERATED
    with pytest.raises(services.Section11ChangeRefused, match="closed"):
        services.respond_to_challenge(
            principal=f.principal_for(s11.trust_assessor), now=NOW, rating=rating, response="x"
        )


def test_an_invalid_rag_changes_nothing(s11):
    rating = s11.la_assessment.ratings.first()
    with pytest.raises(services.Section11ChangeRefused):
        services.save_self_assessment(
            principal=f.principal_for(s11.la_assessor),
            now=NOW,
            assessment=s11.la_assessment,
            entries={rating.id: ("Evidence", "PURPLE")},
        )
    rating.refresh_from_db()
    assert (rating.evidence, rating.rag) == ("", "")


@pytest.mark.parametrize("who", ["trust_assessor", "runner", "other_runner", "health", "other_la", "outsider"])
def test_only_the_organisation_s_own_assessors_can_change_its_self_assessment(s11, world, who):
    user = getattr(s11, who, None) or world.personas()[who]
    with pytest.raises(access.Section11Refused):
        fill(s11.la_assessment, user)
    assert not Rating.objects.filter(assessment=s11.la_assessment).exclude(rag="").exists()


@pytest.mark.parametrize("who", ["la_assessor", "trust_assessor", "other_runner", "auditor", "admin"])
def test_only_the_partnership_s_roles_moderate(s11, world, who):
    fill(s11.la_assessment, s11.la_assessor)
    services.submit_assessment(principal=f.principal_for(s11.la_assessor), now=NOW, assessment=s11.la_assessment)
    user = getattr(s11, who, None) or world.personas()[who]
    rating = s11.la_assessment.ratings.first()
    with pytest.raises(access.Section11Refused):
        services.moderate_rating(
            principal=f.principal_for(user), now=NOW, rating=rating, challenge="x", agreed_rag="RED"
        )
    rating.refresh_from_db()
    assert (rating.challenge, rating.agreed_rag) == ("", "")


def test_an_action_is_tracked_to_completion_with_evidence_and_not_completed_in_the_future(s11):
    action = services.add_action(
        principal=f.principal_for(s11.runner),
        now=NOW,
        assessment=s11.trust_assessment,
        description="Publish the whistleblowing policy",
        owner="Named nurse",
        due_on=D(2026, 7, 1),
    )
    assessor = f.principal_for(s11.trust_assessor)
    with pytest.raises(services.Section11ChangeRefused, match="evidence"):
        services.update_action(principal=assessor, now=NOW, action=action, evidence="", completed_on=D(2026, 6, 1))
    with pytest.raises(services.Section11ChangeRefused, match="future"):
        services.update_action(
            principal=assessor, now=NOW, action=action, evidence="Web page", completed_on=D(2026, 6, 2)
        )
    services.update_action(principal=assessor, now=NOW, action=action, evidence="On the intranet", completed_on=None)
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN and action.evidence == "On the intranet"
    services.update_action(principal=assessor, now=NOW, action=action, evidence="Published", completed_on=D(2026, 6, 1))
    action.refresh_from_db()
    assert (action.status, action.completed_on) == (ActionStatus.COMPLETE, D(2026, 6, 1))
    with pytest.raises(access.Section11Refused):
        services.add_action(
            principal=f.principal_for(s11.la_assessor),
            now=NOW,
            assessment=s11.trust_assessment,
            description="x",
            owner="y",
            due_on=D(2026, 7, 1),
        )


def test_the_command_installs_defaults_once_and_keeps_a_partnership_s_own_set(world):
    from django.core.management import call_command

    call_command("load_section11_standards")
    call_command("load_section11_standards")
    assert Standard.objects.filter(partnership__name__startswith="Southmere").count() == 8
