"""Makers for the case audit tests: children on plans, an audit at a given stage, and gradings."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from safeguarding.accounts.models import User
from safeguarding.caseaudits import catalogue, services
from safeguarding.caseaudits.models import Assignment, AuditCase, AuditTool, CaseAudit, Grade
from safeguarding.casework.models import ChildProtectionPlan, Episode
from safeguarding.organisations.models import Organisation, Partnership
from safeguarding.people.models import Person
from tests import factories as f

NOW = timezone.now()
TODAY = timezone.localdate(NOW)


def ago(days: int) -> dt.date:
    return TODAY - dt.timedelta(days=days)


def default_tool() -> AuditTool:
    catalogue.install()
    return AuditTool.objects.get(partnership=None, name=catalogue.DEFAULT_TOOL)


def on_cp_plan(
    person: Person, *, start: dt.date | None = None, category: str = "NEG", end: dt.date | None = None
) -> ChildProtectionPlan:
    recorder = f.person_creator()
    start = start or ago(100)
    episode = Episode.objects.create(
        person=person,
        local_authority=person.local_authority,
        referral_date=start - dt.timedelta(days=40),
        referral_source="2A",
        recorded_at=NOW,
        recorded_by=recorder,
    )
    return ChildProtectionPlan.objects.create(
        episode=episode,
        start_date=start,
        end_date=end,
        initial_category=category,
        latest_category=category,
        recorded_at=NOW,
        recorded_by=recorder,
    )


def children_on_plans(la: Organisation, n: int, *, category: str = "NEG") -> list[Person]:
    out = []
    for i in range(n):
        child = f.make_person(la, given_name=f"Sample{chr(65 + i)}", family_name="Audited")
        on_cp_plan(child, category=category)
        out.append(child)
    return out


def make_audit(pm: User, *, reference: str = "NEG-26", sample_size: int = 4, **kwargs: Any) -> CaseAudit:
    p = f.principal_for(pm)
    partnership = Partnership.objects.get(local_authority=p.membership.organisation)  # type: ignore[union-attr]
    values: dict[str, Any] = {
        "reference": reference,
        "title": "Neglect: children on plans",
        "theme": "neglect",
        "tool": default_tool(),
        "cohort": "CP_PLAN",
        "from_on": ago(150),
        "to_on": ago(1),
        "sample_size": sample_size,
        "ends_on": TODAY + dt.timedelta(days=60),
    }
    values.update(kwargs)
    return services.create_audit(partnership=partnership, principal=p, now=NOW, **values)


def sampled(pm: User, *, seed: int = 42, **kwargs: Any) -> CaseAudit:
    audit = make_audit(pm, **kwargs)
    services.draw_sample(audit_=audit, principal=f.principal_for(pm), now=NOW, seed=seed)
    audit.refresh_from_db()
    return audit


def case_of(audit: CaseAudit, person: Person) -> AuditCase:
    return AuditCase.objects.get(audit=audit, person=person)


def assign(pm: User, case: AuditCase, auditor: User, now: dt.datetime = NOW) -> Assignment:
    return services.assign_auditor(case=case, principal=f.principal_for(pm), now=now, auditor=auditor)


def grades(audit: CaseAudit) -> dict[str, Grade]:
    return {g.label: g for g in Grade.objects.filter(scale=audit.tool.scale)}


def grade_all(
    assignment: Assignment, label: str, *, overrides: dict[int, str] | None = None, submit: bool = True
) -> Assignment:
    """Grade every question `label` (question number → label in overrides) and submit."""
    audit = assignment.case.audit
    by_label = grades(audit)
    answers = {}
    for q in audit.tool.questions.all():
        chosen = (overrides or {}).get(q.number, label)
        answers[q.pk] = (by_label[chosen].pk, f"Comment on {q.number}")
    return services.save_grading(
        assignment=assignment,
        principal=f.principal_for(assignment.auditor),
        now=NOW,
        answers=answers,
        overall_grade_id=by_label[label].pk,
        agency_view="Our agency shared information promptly.",
        submit=submit,
    )
