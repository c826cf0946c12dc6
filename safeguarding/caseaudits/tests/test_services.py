"""Tools, sampling, the auditors' time-limited access, grading and moderation, themes and actions."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from safeguarding.access import policy
from safeguarding.access.models import Involvement, InvolvementKind
from safeguarding.audit.models import AuditEvent
from safeguarding.caseaudits import catalogue, sampling, services
from safeguarding.caseaudits.codes import ActionStatus, AuditStatus
from safeguarding.caseaudits.models import AuditCase, AuditTool, CaseAudit, GradingScale, Question
from safeguarding.caseaudits.queries import moderation_needed, pending_moderations, themes
from safeguarding.caseaudits.tracker import load_section
from safeguarding.partnership import actions as tracker
from safeguarding.partnership import sections
from tests import factories as f

from .factories import NOW, TODAY, ago, assign, case_of, grade_all, grades, make_audit, on_cp_plan, sampled

pytestmark = pytest.mark.django_db


def _p(user):
    return f.principal_for(user)


# -- tools ---------------------------------------------------------------------------------------------


def test_the_default_tool_has_questions_in_every_domain_on_a_four_point_scale(ca):
    tool = AuditTool.objects.get(partnership=None, name=catalogue.DEFAULT_TOOL)
    domains = list(dict.fromkeys(tool.questions.values_list("domain", flat=True)))
    assert domains == [
        "Voice of the child",
        "Quality of assessment",
        "Multi-agency information sharing",
        "Management oversight",
        "Plan progress",
        "Outcomes",
    ]
    assert [g.label for g in tool.scale.grades.all()] == ["Outstanding", "Good", "Requires improvement", "Inadequate"]
    catalogue.install()  # idempotent: the migration and the tests may both run it
    assert AuditTool.objects.filter(partnership=None).count() == 1


def test_a_partnership_copies_the_default_tool_onto_its_own_scale_and_adds_a_question(ca):
    p = _p(ca.pm)
    scale = services.create_scale(
        partnership=ca.partnership, principal=p, now=NOW, name="Local", labels=["Strong", "", "Weak"]
    )
    default = AuditTool.objects.get(partnership=None)
    tool = services.copy_tool(partnership=ca.partnership, principal=p, now=NOW, tool=default, name="Ours", scale=scale)
    assert tool.questions.count() == default.questions.count() and tool.scale == scale
    services.add_question(tool=tool, principal=p, now=NOW, domain="Education", text="Was the school involved?")
    assert tool.questions.order_by("number").last().number == default.questions.count() + 1
    with pytest.raises(services.CaseAuditError, match="shared or already used"):
        services.add_question(tool=default, principal=p, now=NOW, domain="X", text="Y")
    with pytest.raises(services.CaseAuditError, match="between 2 and 7 grades"):
        services.create_scale(partnership=ca.partnership, principal=p, now=NOW, name="One", labels=["Only"])
    assert GradingScale.objects.filter(name="One").count() == 0


def test_a_tool_used_by_an_audit_keeps_its_questions(ca):
    p = _p(ca.pm)
    tool = services.copy_tool(
        partnership=ca.partnership, principal=p, now=NOW, tool=AuditTool.objects.get(partnership=None), name="Ours"
    )
    make_audit(ca.pm, tool=tool)
    with pytest.raises(services.CaseAuditError, match="already used by an audit"):
        services.add_question(tool=tool, principal=p, now=NOW, domain="X", text="Y")


def test_another_partnerships_tool_cannot_be_used(ca, world):
    p = _p(ca.pm_other)
    southmere = ca.pm_other.memberships.first().organisation.led_partnerships.get()
    theirs = services.copy_tool(
        partnership=southmere, principal=p, now=NOW, tool=AuditTool.objects.get(partnership=None), name="Theirs"
    )
    with pytest.raises(services.CaseAuditError, match="tool of this partnership"):
        make_audit(ca.pm, tool=theirs)


# -- sampling ------------------------------------------------------------------------------------------


def test_the_sample_is_reproducible_from_its_seed_and_explained_by_its_criteria(ca):
    first = sampled(ca.pm, reference="A1", seed=2026)
    second = sampled(ca.pm, reference="A2", seed=2026)
    drawn = list(first.cases.order_by("number").values_list("person_id", flat=True))
    assert drawn == list(second.cases.order_by("number").values_list("person_id", flat=True))
    eligible = sorted(c.pk for c in ca.children)
    assert first.eligible_count == 6 and first.seed == 2026 and first.status == AuditStatus.IN_PROGRESS
    assert drawn == random.Random(2026).sample(eligible, 4)  # the documented draw, so anyone can check it
    row = AuditEvent.objects.get(action="caseaudits.sample.drawn", object_id=str(first.public_id))
    assert row.details == {"seed": 2026, "eligible": 6, "drawn": 4} and row.person is None


def test_a_sample_without_a_seed_gets_one_recorded(ca):
    audit = make_audit(ca.pm)
    services.draw_sample(audit_=audit, principal=_p(ca.pm), now=NOW)
    audit.refresh_from_db()
    assert audit.seed is not None and audit.cases.count() == 4
    with pytest.raises(services.CaseAuditError, match="already been drawn"):
        services.draw_sample(audit_=audit, principal=_p(ca.pm), now=NOW)


def test_only_children_meeting_the_criteria_in_the_partnerships_area_are_eligible(ca, world):
    partnership = ca.partnership
    restricted = f.make_person(world.la, given_name="Sealed")
    on_cp_plan(restricted)
    restricted.is_restricted = True
    restricted.save(update_fields=["is_restricted"])
    elsewhere = f.make_person(world.other_la, given_name="Elsewhere")
    on_cp_plan(elsewhere)
    ended = f.make_person(world.la, given_name="Ended")
    on_cp_plan(ended, start=ago(400), end=ago(200))
    physical = f.make_person(world.la, given_name="Physical")
    on_cp_plan(physical, category="PHY")
    ids = sampling.eligible(partnership, cohort="CP_PLAN", from_on=ago(150), to_on=ago(1))
    assert set(ids) == {c.pk for c in ca.children} | {physical.pk}
    neglect = sampling.eligible(partnership, cohort="CP_PLAN", from_on=ago(150), to_on=ago(1), category="NEG")
    assert set(neglect) == {c.pk for c in ca.children}
    assert sampling.eligible(partnership, cohort="OPEN_EPISODE", from_on=ago(150), to_on=ago(1)) == sorted(
        ids + [ended.pk]
    )


def test_nothing_to_sample_is_refused_and_changes_nothing(ca):
    audit = make_audit(ca.pm, cohort="CIN_PLAN")
    with pytest.raises(services.CaseAuditError, match="nothing to sample"):
        services.draw_sample(audit_=audit, principal=_p(ca.pm), now=NOW, seed=1)
    audit.refresh_from_db()
    assert audit.status == AuditStatus.PLANNED and audit.seed is None and not audit.cases.exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"to_on": TODAY + dt.timedelta(days=1)}, "cannot end in the future"),
        ({"from_on": ago(1), "to_on": ago(5)}, "on or after its start"),
        ({"sample_size": 0}, "Sample between 1 and"),
        ({"ends_on": ago(1)}, "end date cannot be in the past"),
        ({"cohort": "OPEN_EPISODE", "category": "NEG"}, "only to children on a child protection plan"),
        ({"theme": " "}, "theme"),
    ],
)
def test_bad_audit_details_are_refused(ca, change, message):
    with pytest.raises(services.CaseAuditError, match=message):
        make_audit(ca.pm, **change)
    assert not CaseAudit.objects.exists()


# -- access for auditors -------------------------------------------------------------------------------


def test_assigning_an_auditor_grants_need_to_know_until_the_audit_ends(ca, world):
    audit = sampled(ca.pm, sample_size=6)
    case = case_of(audit, world.child)
    police = _p(ca.police_lead)
    assert policy.basis_for(police, world.child, now=NOW) is None
    assignment = assign(ca.pm, case, ca.police_lead)
    involvement = assignment.involvement
    assert (involvement.kind, involvement.user, involvement.organisation) == (
        InvolvementKind.PARTNER_PROFESSIONAL,
        ca.police_lead,
        ca.police,
    )
    assert (involvement.start_date, involvement.end_date) == (NOW.date(), audit.ends_on)
    assert policy.basis_for(police, world.child, now=NOW) == policy.Basis.OWN_INVOLVEMENT
    # Only the audited child, and not after the audit's end date.
    assert policy.basis_for(police, world.sibling, now=NOW) is None
    after = NOW + (audit.ends_on - NOW.date()) + dt.timedelta(days=1)
    assert policy.basis_for(police, world.child, now=after) is None
    # The grant itself is audited against the child, by access.services.
    assert AuditEvent.objects.filter(action="involvement.recorded", person=world.child, actor=ca.pm).exists()


def test_closing_the_audit_ends_every_auditors_access(ca, world):
    assigned_at = NOW - dt.timedelta(days=10)
    audit = make_audit(ca.pm, from_on=ago(150), to_on=ago(11))
    services.draw_sample(audit_=audit, principal=_p(ca.pm), now=assigned_at, seed=3)
    case = AuditCase.objects.filter(audit=audit).first()
    assignment = assign(ca.pm, case, ca.named, now=assigned_at)
    grade_all(assignment, "Good")
    services.close_audit(audit_=audit, principal=_p(ca.pm), now=NOW, summary="Mostly good")
    assignment.involvement.refresh_from_db()
    assert assignment.involvement.end_date == NOW.date() - dt.timedelta(days=1)
    assert policy.basis_for(_p(ca.named), case.person, now=NOW) is None
    with pytest.raises(services.CaseAuditError, match="closed"):
        assign(ca.pm, case, ca.police_lead)


def test_excluding_a_case_or_withdrawing_an_auditor_ends_their_access(ca, world):
    audit = sampled(ca.pm, sample_size=6)
    case = case_of(audit, world.child)
    first = assign(ca.pm, case, ca.police_lead, now=NOW - dt.timedelta(days=2))
    second = assign(ca.pm, case, ca.named, now=NOW - dt.timedelta(days=2))
    services.withdraw_assignment(assignment=first, principal=_p(ca.pm), now=NOW)
    assert policy.basis_for(_p(ca.police_lead), world.child, now=NOW) is None
    with pytest.raises(services.CaseAuditError, match="Say why"):
        services.exclude_case(case=case, principal=_p(ca.pm), now=NOW, reason=" ")
    services.exclude_case(case=case, principal=_p(ca.pm), now=NOW, reason="Moved away")
    assert policy.basis_for(_p(ca.named), world.child, now=NOW) is None
    second.involvement.refresh_from_db()
    assert second.involvement.end_date == NOW.date() - dt.timedelta(days=1)


def test_an_auditor_must_be_an_independent_case_auditor_of_the_partnership(ca, world):
    audit = sampled(ca.pm, sample_size=6)
    case = case_of(audit, world.child)
    for user, message in [
        (world.health, "Choose a case auditor"),  # no CONDUCT_CASE_AUDIT
        (world.auditor, "Choose a case auditor"),  # the information-governance auditor
        (f.make_user("sue", org=world.other_la, role="TEAM_MANAGER"), "Choose a case auditor"),  # another area
    ]:
        with pytest.raises(services.CaseAuditError, match=message):
            assign(ca.pm, case, user)
    f.involve(world.child, user=ca.named, org=world.trust, kind=InvolvementKind.PARTNER_PROFESSIONAL)
    with pytest.raises(services.CaseAuditError, match="works with this child"):
        assign(ca.pm, case, ca.named)
    assign(ca.pm, case, world.manager)  # the manager's line covers the child, but they hold no involvement
    with pytest.raises(services.CaseAuditError, match="already auditing"):
        assign(ca.pm, case, world.manager)
    assert Involvement.objects.filter(user=ca.named, end_date__isnull=True).count() == 1


# -- grading and moderation ----------------------------------------------------------------------------


def test_submitting_needs_every_grade_and_the_agencys_view(ca, world):
    audit = sampled(ca.pm, sample_size=6)
    assignment = assign(ca.pm, case_of(audit, world.child), ca.police_lead)
    question = audit.tool.questions.first()
    good = grades(audit)["Good"]
    draft = services.save_grading(
        assignment=assignment,
        principal=_p(ca.police_lead),
        now=NOW,
        answers={question.pk: (good.pk, "Seen twice")},
        overall_grade_id=None,
        agency_view="",
    )
    assert draft.submitted_at is None and draft.answers.get().comment == "Seen twice"
    with pytest.raises(services.CaseAuditError, match="Grade question 2 before submitting"):
        services.save_grading(
            assignment=assignment,
            principal=_p(ca.police_lead),
            now=NOW,
            answers={question.pk: (good.pk, "")},
            overall_grade_id=good.pk,
            agency_view="View",
            submit=True,
        )
    with pytest.raises(services.CaseAuditError, match="Only the assigned auditor"):
        services.save_grading(
            assignment=assignment,
            principal=_p(ca.named),
            now=NOW,
            answers={},
            overall_grade_id=None,
            agency_view="",
        )
    grade_all(assignment, "Good")
    with pytest.raises(services.CaseAuditError, match="already submitted"):
        grade_all(assignment, "Good")


def test_grades_more_than_one_apart_need_moderation_before_the_audit_closes(ca, world):
    audit = sampled(ca.pm, sample_size=6)
    case = case_of(audit, world.child)
    grade_all(assign(ca.pm, case, ca.police_lead), "Good", overrides={1: "Inadequate", 2: "Requires improvement"})
    grade_all(assign(ca.pm, case, ca.named), "Good")
    q1, q2 = (Question.objects.get(tool=audit.tool, number=n) for n in (1, 2))
    assert moderation_needed(case) == {q1.pk}  # Good v Inadequate; Good v Requires improvement is within one
    assert pending_moderations(audit) == 1
    with pytest.raises(services.CaseAuditError, match="Moderate the 1 grade"):
        services.close_audit(audit_=audit, principal=_p(ca.pm), now=NOW, summary="S")
    with pytest.raises(services.CaseAuditError, match="no moderation is needed"):
        services.moderate(
            case=case, principal=_p(ca.pm), now=NOW, question=q2, agreed_grade=grades(audit)["Good"], rationale="R"
        )
    services.moderate(
        case=case,
        principal=_p(ca.pm),
        now=NOW,
        question=q1,
        agreed_grade=grades(audit)["Requires improvement"],
        rationale="The child was seen, but not alone",
    )
    assert pending_moderations(audit) == 0
    closed = services.close_audit(audit_=audit, principal=_p(ca.pm), now=NOW, summary="Seen, not alone")
    assert closed.status == AuditStatus.CLOSED


# -- themes, actions and the partnership's tracker -----------------------------------------------------


def _themed(ca, world):
    audit = sampled(ca.pm, sample_size=6)
    police = assign(ca.pm, case_of(audit, world.child), ca.police_lead)
    health = assign(ca.pm, case_of(audit, ca.children[1]), ca.named)
    grade_all(police, "Requires improvement")
    grade_all(health, "Inadequate")
    q5 = Question.objects.get(tool=audit.tool, number=5)
    found = [
        services.add_finding(
            assignment=a,
            principal=_p(a.auditor),
            now=NOW,
            kind="IMPROVE",
            tag=" Father not seen ",
            text="T",
            question=q5,
        )
        for a in (police, health)
    ]
    other = services.add_finding(
        assignment=police, principal=_p(ca.police_lead), now=NOW, kind="STRENGTH", tag="prompt sharing", text="S"
    )
    theme = services.create_theme(
        audit_=audit, principal=_p(ca.pm), now=NOW, title="Men in the child's life", findings=found
    )
    return audit, theme, other


def test_findings_aggregate_into_themes_with_counts_per_agency_and_grades(ca, world):
    audit, theme, other = _themed(ca, world)
    rows, ungrouped = themes(audit)
    (row,) = rows
    assert row.by_agency == [("Northbridge Hospitals NHS Trust", 1), ("Northbridge Police", 1)]
    assert {g.label: n for g, n, _pc in row.distribution.cells} == {
        "Outstanding": 0,
        "Good": 0,
        "Requires improvement": 1,
        "Inadequate": 1,
    }
    assert [f.tag for f in row.findings] == ["father not seen", "father not seen"]
    assert ungrouped == [other]


def test_theme_actions_appear_in_the_partnerships_action_tracker(ca, world):
    audit, theme, _ = _themed(ca, world)
    p = _p(ca.pm)
    late = services.add_action(
        theme=theme,
        principal=p,
        now=NOW,
        description="Fathers briefing",
        owner_organisation=ca.police,
        owner_name="DI Example",
        due_on=ago(3),
    )
    soon = services.add_action(
        theme=theme,
        principal=p,
        now=NOW,
        description="Re-audit",
        owner_organisation=world.trust,
        owner_name="Dr Named",
        due_on=TODAY + dt.timedelta(days=30),
    )
    with pytest.raises(services.CaseAuditError, match="agency of this partnership"):
        services.add_action(
            theme=theme,
            principal=p,
            now=NOW,
            description="D",
            owner_organisation=world.other_la,
            owner_name="N",
            due_on=TODAY,
        )
    rows = [r for r in tracker.all_actions(ca.partnership, TODAY) if r.source == "Case audit"]
    assert [r.description for r in rows] == [
        "NEG-26 (Men in the child's life): Fathers briefing",
        "NEG-26 (Men in the child's life): Re-audit",
    ]
    assert rows[0].is_overdue_on(TODAY) and rows[0].owner == "Northbridge Police (DI Example)"
    assert rows[0].url.endswith(f"/actions/{late.public_id}")
    with pytest.raises(services.CaseAuditError, match="evidence that the action is done"):
        services.update_action(action=soon, principal=p, now=NOW, status=ActionStatus.DONE, completed_on=TODAY)
    services.update_action(
        action=soon, principal=p, now=NOW, status=ActionStatus.DONE, evidence="Done", completed_on=TODAY
    )
    done = [r for r in tracker.all_actions(ca.partnership, TODAY) if r.source == "Case audit"][-1]
    assert done.completed_on == TODAY
    assert tracker.all_actions(world.other_la.led_partnerships.get(), TODAY) == []


def test_the_dashboard_section_shows_themes_and_nothing_about_children(ca, world):
    audit, theme, _ = _themed(ca, world)
    assert any(s.key == "case-audit-themes" for s in sections._REGISTRY.values())
    context = load_section(_p(ca.pm), ca.partnership, TODAY)
    assert context is not None
    assert [(t["title"], t["findings"]) for t in context["themes"]] == [("Men in the child's life", 2)]
    assert "Testchild" not in str(context)
    assert load_section(_p(ca.pm_other), world.other_la.led_partnerships.get(), TODAY) is None


def test_the_audit_trail_names_the_audit_or_case_never_the_child(ca, world):
    _themed(ca, world)
    rows = AuditEvent.objects.filter(action__startswith="caseaudits.")
    assert rows.exists()
    for row in rows:
        assert row.person is None
        assert "Testchild" not in str(row.details) and str(world.child.public_id) not in str(row.details)


def test_the_tracker_rows_and_the_dashboard_section_take_a_fixed_number_of_queries(ca, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from safeguarding.caseaudits.tracker import action_rows

    audit, theme, _ = _themed(ca, world)

    def add(n):
        for i in range(n):
            services.add_action(
                theme=theme,
                principal=_p(ca.pm),
                now=NOW,
                description=f"Action {i}",
                owner_organisation=ca.police,
                owner_name="DI Example",
                due_on=TODAY,
            )

    def count():
        with CaptureQueriesContext(connection) as rows:
            action_rows(ca.partnership)
        with CaptureQueriesContext(connection) as section:
            load_section(_p(ca.pm), ca.partnership, TODAY)
        return len(rows), len(section)

    add(1)
    one = count()
    add(4)
    assert count() == one
