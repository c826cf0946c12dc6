"""Every page for every persona: who sees it, who is refused (403) and who may not learn it exists (404),
each refusal audited; then a whole audit run through the pages, with free text escaped."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from safeguarding.audit.models import AuditEvent, Outcome
from safeguarding.caseaudits import services
from safeguarding.caseaudits.codes import AuditStatus
from safeguarding.caseaudits.models import Action, Assignment, AuditTool, CaseAudit, Finding, Moderation, Theme
from tests import factories as f

from . import audit_routes
from .factories import NOW, TODAY, ago, assign, case_of, sampled

pytestmark = pytest.mark.django_db

XSS = '<script>alert("x")</script>'
NO_CAPABILITY = ["allocated", "colleague", "other_team", "health", "health_other", "auditor", "admin", "other_la"]
READ_PAGES = {"caseaudits:tools", "caseaudits:tool", "caseaudits:audit", "caseaudits:themes"}
MANAGE_PAGES = {
    "caseaudits:audit-new",
    "caseaudits:scale-new",
    "caseaudits:tool-copy",
    "caseaudits:question-new",
    "caseaudits:audit-sample",
    "caseaudits:audit-close",
    "caseaudits:theme-new",
    "caseaudits:theme-group",
    "caseaudits:action-new",
    "caseaudits:action",
    "caseaudits:case-exclude",
    "caseaudits:case-assign",
    "caseaudits:case-withdraw",
    "caseaudits:moderate",
}
GRADE_PAGES = {"caseaudits:grade", "caseaudits:finding-new"}
# Pages about one of Northbridge's audits (another partnership gets 404); the tool pages show the shared tool.
OBJECT_PAGES = {
    "caseaudits:audit",
    "caseaudits:audit-sample",
    "caseaudits:audit-close",
    "caseaudits:themes",
    "caseaudits:theme-new",
    "caseaudits:theme-group",
    "caseaudits:action-new",
    "caseaudits:action",
    "caseaudits:case",
    "caseaudits:case-exclude",
    "caseaudits:case-assign",
    "caseaudits:case-withdraw",
    "caseaudits:grade",
    "caseaudits:finding-new",
    "caseaudits:moderate",
}


@pytest.fixture
def urls(ca, world):
    audit = sampled(ca.pm, sample_size=6)
    case = case_of(audit, world.child)
    police = assign(ca.pm, case, ca.police_lead)
    other = assign(ca.pm, case, ca.named)
    p = f.principal_for(ca.pm)
    theme = services.create_theme(audit_=audit, principal=p, now=NOW, title="Fathers")
    action = services.add_action(
        theme=theme,
        principal=p,
        now=NOW,
        description="Briefing",
        owner_organisation=ca.police,
        owner_name="DI Example",
        due_on=TODAY,
    )
    tool = AuditTool.objects.get(partnership=None)
    a, c = audit.public_id, case.public_id
    return {
        "caseaudits:home": reverse("caseaudits:home"),
        "caseaudits:audit-new": reverse("caseaudits:audit-new"),
        "caseaudits:tools": reverse("caseaudits:tools"),
        "caseaudits:scale-new": reverse("caseaudits:scale-new"),
        "caseaudits:tool": reverse("caseaudits:tool", args=[tool.public_id]),
        "caseaudits:tool-copy": reverse("caseaudits:tool-copy", args=[tool.public_id]),
        "caseaudits:question-new": reverse("caseaudits:question-new", args=[tool.public_id]),
        "caseaudits:audit": reverse("caseaudits:audit", args=[a]),
        "caseaudits:audit-sample": reverse("caseaudits:audit-sample", args=[a]),
        "caseaudits:audit-close": reverse("caseaudits:audit-close", args=[a]),
        "caseaudits:themes": reverse("caseaudits:themes", args=[a]),
        "caseaudits:theme-new": reverse("caseaudits:theme-new", args=[a]),
        "caseaudits:theme-group": reverse("caseaudits:theme-group", args=[a, theme.public_id]),
        "caseaudits:action-new": reverse("caseaudits:action-new", args=[a, theme.public_id]),
        "caseaudits:action": reverse("caseaudits:action", args=[a, action.public_id]),
        "caseaudits:case": reverse("caseaudits:case", args=[a, c]),
        "caseaudits:case-exclude": reverse("caseaudits:case-exclude", args=[a, c]),
        "caseaudits:case-assign": reverse("caseaudits:case-assign", args=[a, c]),
        "caseaudits:case-withdraw": reverse("caseaudits:case-withdraw", args=[a, c, other.public_id]),
        "caseaudits:grade": reverse("caseaudits:grade", args=[a, c]),
        "caseaudits:finding-new": reverse("caseaudits:finding-new", args=[a, c]),
        "caseaudits:moderate": reverse("caseaudits:moderate", args=[a, c, 1]),
        "_police": police,
    }


ROUTES = sorted(audit_routes.NO_PERSONAL_DATA)


def test_every_route_is_tested_here_and_classified_for_the_audit_test(urls):
    from django.urls import get_resolver

    ours = {
        f"caseaudits:{name}"
        for name in get_resolver().namespace_dict["caseaudits"][1].reverse_dict
        if isinstance(name, str)
    }
    assert ours == set(ROUTES) == {k for k in urls if not k.startswith("_")}
    assert READ_PAGES | MANAGE_PAGES | GRADE_PAGES | {"caseaudits:home", "caseaudits:case"} == set(ROUTES)


def _get(client, user, url):
    f.sign_in(client, user)
    return client.get(url)


def _denied(user, status):
    rows = AuditEvent.objects.filter(actor=user, outcome=Outcome.DENIED, action__startswith="caseaudits.")
    return rows.count()


def _expect(name: str, *, reads: bool, manages: bool, assigned: bool) -> int:
    if name in GRADE_PAGES:
        return 200 if assigned else (403 if reads else 404)
    if name == "caseaudits:case":
        return 200 if reads or assigned else 404
    if name == "caseaudits:home":
        return 200
    if name in MANAGE_PAGES:
        return 200 if manages else 403
    return 200 if reads else 403


@pytest.mark.parametrize("name", ROUTES)
def test_each_partnership_role_sees_what_its_capabilities_allow_and_refusals_are_audited(client, ca, world, urls, name):
    cases = [
        (ca.pm, True, True, False),  # partnership manager
        (ca.reader, True, False, False),  # partnership member: reads only
        (ca.named, True, False, True),  # named professional: reads, and audits this case
        (ca.police_lead, False, False, True),  # partner agency lead: audits this case only
        (world.manager, False, False, False),  # team manager: an auditor, but not of this case
    ]
    for user, reads, manages, assigned in cases:
        before = _denied(user, 0)
        response = _get(client, user, urls[name])
        expected = _expect(name, reads=reads, manages=manages, assigned=assigned)
        assert response.status_code == expected, (user.username, response.status_code)
        if expected == 200:
            assert AuditEvent.objects.filter(
                actor=user, outcome=Outcome.ALLOWED, action__startswith="caseaudits."
            ).exists()
        else:
            assert _denied(user, 0) == before + 1, user.username
        assert b"Testchild" not in response.content or user == ca.named or user == ca.police_lead


@pytest.mark.parametrize("name", ROUTES)
def test_roles_without_a_case_audit_capability_are_refused_every_page_and_audited(client, world, urls, name):
    for persona in NO_CAPABILITY:
        user = world.personas()[persona]
        response = _get(client, user, urls[name])
        assert response.status_code == 403, persona
        assert b"Testchild" not in response.content and b"NEG-26" not in response.content
        assert _denied(user, 0) == 1, persona


@pytest.mark.parametrize("name", ROUTES)
def test_a_signed_in_user_with_no_organisation_gets_nothing(client, world, urls, name):
    response = _get(client, world.outsider, urls[name])
    assert response.status_code in (302, 403)
    assert b"NEG-26" not in response.content


@pytest.mark.parametrize("name", sorted(OBJECT_PAGES))
def test_another_partnerships_roles_may_not_know_the_audit_exists(client, ca, urls, name):
    response = _get(client, ca.pm_other, urls[name])
    assert response.status_code == 404
    assert b"NEG-26" not in response.content
    assert AuditEvent.objects.filter(actor=ca.pm_other, outcome=Outcome.DENIED).count() == 1


def test_another_partnerships_manager_sees_only_their_own_audits(client, ca, urls):
    content = _get(client, ca.pm_other, urls["caseaudits:home"]).content.decode()
    assert "Southmere" in content and "NEG-26" not in content


def test_a_refused_post_changes_nothing(client, ca, world, urls):
    f.sign_in(client, ca.reader)
    assert client.post(urls["caseaudits:case-exclude"], {"reason": "x"}).status_code == 403
    assert client.post(urls["caseaudits:theme-new"], {"title": "T"}).status_code == 403
    f.sign_in(client, ca.pm_other)
    assert client.post(urls["caseaudits:audit-close"], {"summary": "x"}).status_code == 404
    assert not Theme.objects.filter(title="T").exists()
    assert CaseAudit.objects.get().status == AuditStatus.IN_PROGRESS
    assert not CaseAudit.objects.get().cases.filter(excluded_at__isnull=False).exists()


def _date(prefix: str, day: dt.date) -> dict[str, str]:
    return {f"{prefix}_0": str(day.day), f"{prefix}_1": str(day.month), f"{prefix}_2": str(day.year)}


def test_a_whole_audit_runs_through_the_pages(client, ca, world):
    f.sign_in(client, ca.pm)
    tool = AuditTool.objects.get(partnership=None)
    r = client.post(
        reverse("caseaudits:audit-new"),
        {
            "reference": "NEG-X",
            "title": XSS,
            "theme": "neglect",
            "tool": tool.pk,
            "cohort": "CP_PLAN",
            "category": "NEG",
            "sample_size": "3",
            **_date("from_on", ago(150)),
            **_date("to_on", ago(1)),
            **_date("ends_on", TODAY + dt.timedelta(days=30)),
        },
    )
    audit = CaseAudit.objects.get(reference="NEG-X")
    assert r.status_code == 302 and r.url == reverse("caseaudits:audit", args=[audit.public_id])
    assert client.post(reverse("caseaudits:audit-sample", args=[audit.public_id]), {"seed": "7"}).status_code == 302
    audit.refresh_from_db()
    assert (audit.seed, audit.cases.count()) == (7, 3)
    page = client.get(reverse("caseaudits:audit", args=[audit.public_id])).content.decode()
    assert "3 of 6 eligible children drawn at random" in page and "seed 7" in page
    assert "<script>alert" not in page and "&lt;script&gt;" in page

    case = audit.cases.order_by("number").first()
    case_url = reverse("caseaudits:case", args=[audit.public_id, case.public_id])
    for user in (ca.police_lead, ca.named):
        r = client.post(reverse("caseaudits:case-assign", args=[audit.public_id, case.public_id]), {"auditor": user.pk})
        assert r.status_code == 302, r.content.decode()[:3000]
    assert Assignment.objects.filter(case=case).count() == 2

    questions = list(audit.tool.questions.order_by("number"))
    grades = {g.label: g.pk for g in audit.tool.scale.grades.all()}

    def grading(label, first=None):
        data = {"overall_grade": grades[label], "agency_view": XSS}
        for q in questions:
            data[f"grade_{q.pk}"] = grades[first if (first and q.number == 1) else label]
            data[f"comment_{q.pk}"] = XSS
        return data

    f.sign_in(client, ca.police_lead)
    grade_url = reverse("caseaudits:grade", args=[audit.public_id, case.public_id])
    r = client.post(grade_url, {"action": "submit", "overall_grade": grades["Good"]})
    assert r.status_code == 200 and b"Grade question 1 before submitting" in r.content
    assert client.post(grade_url, {**grading("Good", first="Inadequate"), "action": "save"}).status_code == 302
    assert client.post(grade_url, {**grading("Good", first="Inadequate"), "action": "submit"}).status_code == 302
    r = client.post(
        reverse("caseaudits:finding-new", args=[audit.public_id, case.public_id]),
        {"kind": "IMPROVE", "tag": "Father not seen", "text": XSS, "question": questions[4].pk},
    )
    assert r.status_code == 302
    f.sign_in(client, ca.named)
    assert client.post(grade_url, {**grading("Good"), "action": "submit"}).status_code == 302

    f.sign_in(client, ca.pm)
    content = client.get(case_url).content.decode()
    assert "Grades differ by more than one" in content and "<script>alert" not in content
    close_url = reverse("caseaudits:audit-close", args=[audit.public_id])
    r = client.post(close_url, {"summary": "Done"})
    assert r.status_code == 200 and b"Moderate the 1 grade" in r.content
    r = client.post(
        reverse("caseaudits:moderate", args=[audit.public_id, case.public_id, 1]),
        {"agreed_grade": grades["Requires improvement"], "rationale": "Agreed at panel"},
    )
    assert r.status_code == 302 and Moderation.objects.get().agreed_grade_id == grades["Requires improvement"]

    finding = Finding.objects.get()
    r = client.post(
        reverse("caseaudits:theme-new", args=[audit.public_id]),
        {"title": "Men in the child's life", "summary": XSS, "findings": [finding.pk]},
    )
    assert r.status_code == 302
    theme = Theme.objects.get(audit=audit)
    r = client.post(
        reverse("caseaudits:action-new", args=[audit.public_id, theme.public_id]),
        {
            "description": XSS,
            "owner_organisation": ca.police.pk,
            "owner_name": "DI Example",
            **_date("due_on", TODAY + dt.timedelta(days=20)),
        },
    )
    assert r.status_code == 302
    action = Action.objects.get()
    action_url = reverse("caseaudits:action", args=[audit.public_id, action.public_id])
    r = client.post(action_url, {"status": "DONE", **_date("completed_on", TODAY)})
    assert r.status_code == 200 and b"Enter the evidence" in r.content
    assert (
        client.post(
            action_url, {"status": "DONE", "evidence": "Briefing notes", **_date("completed_on", TODAY)}
        ).status_code
        == 302
    )
    themes = client.get(reverse("caseaudits:themes", args=[audit.public_id])).content.decode()
    assert "Men in the child&#x27;s life" in themes and "Northbridge Police" in themes and "<script>alert" not in themes

    assert client.post(close_url, {"summary": "Fathers are not assessed"}).status_code == 302
    audit.refresh_from_db()
    assert audit.status == AuditStatus.CLOSED
    for assignment in Assignment.objects.filter(case=case).select_related("involvement"):
        # Assigned and closed on the same day: access lasts to the end of that day, and no longer.
        assert assignment.involvement.end_date == assignment.involvement.start_date


def test_the_audit_page_takes_a_fixed_number_of_queries_whatever_the_sample(client, ca, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    small = sampled(ca.pm, reference="S-2", sample_size=2, seed=1)
    large = sampled(ca.pm, reference="S-6", sample_size=6, seed=1)
    for audit in (small, large):
        for case in audit.cases.all():
            assign(ca.pm, case, ca.police_lead)
    f.sign_in(client, ca.pm)
    counts = []
    for audit in (small, large):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("caseaudits:audit", args=[audit.public_id])).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
