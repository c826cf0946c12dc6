"""Every section 11 page: who may see it, what is audited, the forms' flow, XSS and bad input changing nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from safeguarding.audit.models import AuditEvent, Outcome
from safeguarding.section11 import services
from safeguarding.section11.models import Action, AssessmentStatus, Cycle, Rating, Standard
from tests import factories as f

from .conftest import NOW, fill

XSS = '<script>alert("x")</script>'


@pytest.fixture
def action(s11):
    return services.add_action(
        principal=f.principal_for(s11.runner),
        now=NOW,
        assessment=s11.la_assessment,
        description="Refresh the safer recruitment policy",
        owner="Head of HR",
        due_on=dt.date(2026, 7, 1),
    )


def urls(s11, action) -> dict[str, str]:
    rating = s11.la_assessment.ratings.first()
    standard = Standard.objects.get(partnership=s11.partnership, number=1)
    return {
        "section11:home": reverse("section11:home"),
        "section11:standards": reverse("section11:standards"),
        "section11:standard-edit": reverse("section11:standard-edit", kwargs={"standard": standard.public_id}),
        "section11:cycle-new": reverse("section11:cycle-new"),
        "section11:cycle": reverse("section11:cycle", kwargs={"cycle": s11.cycle.public_id}),
        "section11:assessment": reverse("section11:assessment", kwargs={"assessment": s11.la_assessment.public_id}),
        "section11:action-new": reverse("section11:action-new", kwargs={"assessment": s11.la_assessment.public_id}),
        "section11:rating-moderate": reverse("section11:rating-moderate", kwargs={"rating": rating.public_id}),
        "section11:rating-respond": reverse("section11:rating-respond", kwargs={"rating": rating.public_id}),
        "section11:actions": reverse("section11:actions"),
        "section11:action": reverse("section11:action", kwargs={"action": action.public_id}),
        "section11:compare": reverse("section11:compare"),
    }


LA_RECORD_PAGES = {"section11:assessment", "section11:action-new", "section11:rating-respond", "section11:action"}
RUN_ONLY = {"section11:standard-edit", "section11:cycle-new", "section11:rating-moderate", "section11:compare"}


def test_every_page_tested_here_is_every_route_classified_for_the_audit_test(s11, action):
    from safeguarding.section11.tests.audit_routes import NO_PERSONAL_DATA

    assert set(urls(s11, action)) == NO_PERSONAL_DATA


def _refused(client, user, url) -> None:
    f.sign_in(client, user)
    before = AuditEvent.objects.filter(outcome=Outcome.DENIED).count()
    response = client.get(url)
    assert response.status_code == 403, url
    assert AuditEvent.objects.filter(outcome=Outcome.DENIED, actor=user).count() == before + 1, url
    client.logout()


@pytest.mark.parametrize("persona", ["allocated", "health", "health_other", "auditor", "admin", "other_la", "outsider"])
def test_practitioners_and_other_roles_are_refused_every_page_and_it_is_audited(client, world, s11, action, persona):
    for url in urls(s11, action).values():
        _refused(client, world.personas()[persona], url)


def test_another_partnership_s_manager_sees_nothing_of_ours(client, s11, action):
    f.sign_in(client, s11.other_runner)
    for name, url in urls(s11, action).items():
        response = client.get(url)
        assert response.status_code in (200, 404), name
        assert b"Northbridge" not in response.content, name


def test_an_assessor_who_is_not_a_partnership_reader_sees_only_their_own_organisation(client, s11, action):
    # world.manager assesses for the council (a team manager: COMPLETE_SECTION11 without VIEW_PARTNERSHIP).
    trust_action = services.add_action(
        principal=f.principal_for(s11.runner),
        now=NOW,
        assessment=s11.trust_assessment,
        description="Trust task",
        owner="Named nurse",
        due_on=dt.date(2026, 8, 1),
    )
    trust_rating = s11.trust_assessment.ratings.first()
    trust_pages = {
        "section11:assessment": reverse("section11:assessment", kwargs={"assessment": s11.trust_assessment.public_id}),
        "section11:action-new": reverse("section11:action-new", kwargs={"assessment": s11.trust_assessment.public_id}),
        "section11:rating-respond": reverse("section11:rating-respond", kwargs={"rating": trust_rating.public_id}),
        "section11:action": reverse("section11:action", kwargs={"action": trust_action.public_id}),
    }
    for url in trust_pages.values():
        _refused(client, s11.la_assessor, url)
    for name in RUN_ONLY:
        _refused(client, s11.la_assessor, urls(s11, action)[name])
    f.sign_in(client, s11.la_assessor)
    assert b"Trust task" not in client.get(reverse("section11:actions")).content
    cycle_page = client.get(reverse("section11:cycle", kwargs={"cycle": s11.cycle.public_id}))
    assert b"Northbridge Council" in cycle_page.content and b"Northbridge Hospitals" not in cycle_page.content


def test_the_partnership_manager_sees_every_page_and_each_view_is_audited(client, s11, action):
    f.sign_in(client, s11.runner)
    for name, url in urls(s11, action).items():
        if name == "section11:rating-respond":
            continue  # only the organisation's own assessors respond
        before = AuditEvent.objects.filter(actor=s11.runner, outcome=Outcome.ALLOWED).count()
        assert client.get(url).status_code == 200, name
        assert AuditEvent.objects.filter(actor=s11.runner, outcome=Outcome.ALLOWED).count() == before + 1, name


def _form(assessment, rag="GREEN", evidence="Board minutes") -> dict[str, str]:
    data = {}
    for rating in assessment.ratings.all():
        data[f"evidence_{rating.id}"], data[f"rag_{rating.id}"] = evidence, rag
    return data


def test_an_assessor_saves_a_draft_then_submits_and_the_page_escapes_evidence(client, s11):
    f.sign_in(client, s11.la_assessor)
    url = reverse("section11:assessment", kwargs={"assessment": s11.la_assessment.public_id})
    assert b"Save and submit" in client.get(url).content
    response = client.post(url, {**_form(s11.la_assessment, evidence=XSS), "save": ""}, follow=True)
    assert b"Your draft was saved" in response.content
    assert XSS.encode() not in response.content and b"&lt;script&gt;" in response.content
    s11.la_assessment.refresh_from_db()
    assert s11.la_assessment.status == AssessmentStatus.DRAFT
    response = client.post(url, {**_form(s11.la_assessment), "submit": ""}, follow=True)
    assert b"Your self-assessment was submitted" in response.content
    s11.la_assessment.refresh_from_db()
    assert s11.la_assessment.status == AssessmentStatus.SUBMITTED
    assert b"Save and submit" not in client.get(url).content


def test_submitting_with_a_standard_unrated_shows_why_and_changes_nothing(client, s11):
    f.sign_in(client, s11.la_assessor)
    url = reverse("section11:assessment", kwargs={"assessment": s11.la_assessment.public_id})
    data = _form(s11.la_assessment)
    first = s11.la_assessment.ratings.order_by("standard__number").first()
    data[f"rag_{first.id}"] = ""
    response = client.post(url, {**data, "submit": ""})
    assert response.status_code == 400
    assert b"There is a problem" in response.content and b"missing: 1" in response.content
    assert not Rating.objects.filter(assessment=s11.la_assessment).exclude(evidence="").exists()
    response = client.post(url, {**_form(s11.la_assessment, rag="PURPLE"), "save": ""})
    assert response.status_code == 400 and b"Select red, amber or green" in response.content
    assert not Rating.objects.filter(assessment=s11.la_assessment).exclude(rag="").exists()


def test_moderation_and_response_through_the_pages(client, s11):
    fill(s11.la_assessment, s11.la_assessor)
    services.submit_assessment(principal=f.principal_for(s11.la_assessor), now=NOW, assessment=s11.la_assessment)
    rating = s11.la_assessment.ratings.order_by("standard__number").first()
    f.sign_in(client, s11.runner)
    moderate = reverse("section11:rating-moderate", kwargs={"rating": rating.public_id})
    response = client.post(moderate, {"challenge": "", "agreed_rag": ""})
    assert response.status_code == 400 and b"Enter a challenge or select the agreed RAG rating" in response.content
    client.post(moderate, {"challenge": XSS, "agreed_rag": ""})
    client.logout()
    f.sign_in(client, s11.la_assessor)
    page = client.get(reverse("section11:assessment", kwargs={"assessment": s11.la_assessment.public_id}))
    assert b"Respond to the challenge" in page.content and XSS.encode() not in page.content
    respond = reverse("section11:rating-respond", kwargs={"rating": rating.public_id})
    client.post(respond, {"response": "Minutes of 3 May"})
    client.logout()
    f.sign_in(client, s11.runner)
    client.post(moderate, {"challenge": XSS, "agreed_rag": "AMBER"})
    rating.refresh_from_db()
    assert (rating.response, rating.agreed_rag) == ("Minutes of 3 May", "AMBER")


def test_actions_are_listed_overdue_first_and_completed_through_the_page(client, s11, action):
    later = services.add_action(
        principal=f.principal_for(s11.runner),
        now=NOW,
        assessment=s11.la_assessment,
        description="Later task",
        owner="Owner",
        due_on=dt.date(2030, 1, 1),
    )
    overdue = services.add_action(
        principal=f.principal_for(s11.runner),
        now=NOW,
        assessment=s11.la_assessment,
        description="Lapsed task",
        owner="Owner",
        due_on=dt.date(2020, 1, 1),
    )
    f.sign_in(client, s11.la_assessor)
    body = client.get(reverse("section11:actions")).content.decode()
    assert body.index("Lapsed task") < body.index("Refresh the safer") < body.index("Later task")
    assert "Overdue</strong>" in body
    url = reverse("section11:action", kwargs={"action": overdue.public_id})
    response = client.post(
        url, {"evidence": "", "completed_on_0": "1", "completed_on_1": "1", "completed_on_2": "2026"}
    )
    assert response.status_code == 400 and b"Enter the evidence" in response.content
    client.post(url, {"evidence": "Done", "completed_on_0": "1", "completed_on_1": "1", "completed_on_2": "2026"})
    overdue.refresh_from_db()
    assert overdue.status == "COMPLETE"
    body = client.get(reverse("section11:actions")).content.decode()
    assert body.index("Refresh the safer") < body.index("Later task") < body.index("Lapsed task")
    assert later.status == "OPEN"


def test_adding_an_action_needs_what_who_and_when(client, s11):
    f.sign_in(client, s11.la_assessor)
    url = reverse("section11:action-new", kwargs={"assessment": s11.la_assessment.public_id})
    response = client.post(url, {"description": "", "owner": ""})
    assert response.status_code == 400 and b"Enter what needs to be done" in response.content
    assert not Action.objects.exists()
    client.post(url, {"description": XSS, "owner": "Lead", "due_on_0": "1", "due_on_1": "9", "due_on_2": "2026"})
    assert Action.objects.get().description == XSS
    assert XSS.encode() not in client.get(reverse("section11:actions")).content


def test_the_comparison_shows_the_matrix_and_a_chart_with_its_table(client, s11):
    fill(s11.la_assessment, s11.la_assessor, rag="RED")
    fill(s11.trust_assessment, s11.trust_assessor, rag="GREEN")
    f.sign_in(client, s11.runner)
    body = client.get(reverse("section11:compare")).content.decode()
    assert body.count("govuk-tag--red") == 8 and body.count("govuk-tag--green") == 8
    assert 'role="img"' in body and "Ratings by organisation: Northbridge Council: 8 red" in body
    assert "style=" not in body
    assert "(the chart's figures)" in body


def test_opening_a_cycle_through_the_page_and_bad_dates_change_nothing(client, s11):
    f.sign_in(client, s11.runner)
    url = reverse("section11:cycle-new")
    bad = {"name": "2027", "opens_on_0": "1", "opens_on_1": "6", "opens_on_2": "2027"}
    bad |= {"self_assessment_due_on_0": "1", "self_assessment_due_on_1": "5", "self_assessment_due_on_2": "2027"}
    bad |= {"moderation_due_on_0": "1", "moderation_due_on_1": "7", "moderation_due_on_2": "2027"}
    response = client.post(url, bad)
    assert response.status_code == 400 and b"on or after the day the cycle opens" in response.content
    assert Cycle.objects.count() == 1
    good = bad | {"self_assessment_due_on_1": "6"}
    assert client.post(url, good).status_code == 302
    assert Cycle.objects.count() == 2
