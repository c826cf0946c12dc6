"""Reads for the case audit pages: progress, the case grid, moderation, distributions and themes (ADR 0026).

None of them returns a child's personal data; each is a fixed number of queries whatever the audit's size.
Only submitted gradings count towards moderation and the distributions.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from .models import Action, Answer, Assignment, AuditCase, CaseAudit, Finding, Grade, Moderation, Question, Theme

SPREAD = 1  # grades further apart than this need moderation


@dataclass
class Distribution:
    label: str
    grades: list[Grade]
    counts: Counter[int] = field(default_factory=Counter)  # grade id -> count

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def cells(self) -> list[tuple[Grade, int, int]]:
        """(grade, count, percent of the total) in the scale's order."""
        total = self.total or 1
        return [(g, self.counts[g.pk], round(100 * self.counts[g.pk] / total)) for g in self.grades]


def grades_of(audit: CaseAudit) -> list[Grade]:
    return list(Grade.objects.filter(scale_id=audit.tool.scale_id).order_by("rank"))


def _submitted_answers(**filters: object) -> list[tuple[int, int, int, int]]:
    """(case id, question id, grade id, grade rank) of every graded answer in a submitted grading."""
    return list(
        Answer.objects.filter(assignment__submitted_at__isnull=False, grade__isnull=False, **filters).values_list(
            "assignment__case_id", "question_id", "grade_id", "grade__rank"
        )
    )


def _spread_over(rows: list[tuple[int, int, int, int]]) -> set[tuple[int, int]]:
    ranks: dict[tuple[int, int], list[int]] = defaultdict(list)
    for case_id, question_id, _grade, rank in rows:
        ranks[(case_id, question_id)].append(rank)
    return {key for key, found in ranks.items() if max(found) - min(found) > SPREAD}


def moderation_needed(case: AuditCase) -> set[int]:
    """Question ids of the case whose submitted grades are more than one grade apart (moderated or not)."""
    return {q for _c, q in _spread_over(_submitted_answers(assignment__case=case))}


def pending_moderations(audit: CaseAudit) -> int:
    """How many (case, question) pairs still need a moderated grade, ignoring excluded cases."""
    needed = _spread_over(_submitted_answers(assignment__case__audit=audit, assignment__case__excluded_at__isnull=True))
    done = set(Moderation.objects.filter(case__audit=audit).values_list("case_id", "question_id"))
    return len(needed - done)


@dataclass
class CaseProgress:
    case: AuditCase
    assignments: list[Assignment]
    to_moderate: int

    @property
    def submitted(self) -> int:
        return sum(1 for a in self.assignments if a.submitted_at)

    @property
    def agencies(self) -> list[str]:
        return sorted({a.organisation.name for a in self.assignments})


def cases_with_progress(audit: CaseAudit) -> list[CaseProgress]:
    cases = list(audit.cases.order_by("number"))
    by_case: dict[int, list[Assignment]] = defaultdict(list)
    for assignment in Assignment.objects.filter(case__audit=audit).select_related(
        "auditor", "organisation", "overall_grade"
    ):
        by_case[assignment.case_id].append(assignment)
    needed = _spread_over(_submitted_answers(assignment__case__audit=audit))
    done = set(Moderation.objects.filter(case__audit=audit).values_list("case_id", "question_id"))
    pending = Counter(case_id for case_id, _q in needed - done)
    for case in cases:
        case.audit = audit  # the reference needs it; avoids a query per case
    return [CaseProgress(c, by_case[c.pk], pending[c.pk]) for c in cases]


@dataclass
class GridRow:
    question: Question
    answers: list[Answer | None]  # one per assignment, in the assignments' order
    needs_moderation: bool
    moderation: Moderation | None


def case_grid(
    case: AuditCase, assignments: list[Assignment], *, show_unsubmitted_of: int | None = None
) -> list[GridRow]:
    """Questions × auditors. Grades of a grading not yet submitted are shown only to its own auditor."""
    questions = list(case.audit.tool.questions.order_by("number"))
    answers = {
        (a.assignment_id, a.question_id): a
        for a in Answer.objects.filter(assignment__case=case).select_related("grade")
    }
    visible = {a.pk for a in assignments if a.submitted_at or a.auditor_id == show_unsubmitted_of}
    needed = moderation_needed(case)
    moderations = {
        m.question_id: m for m in Moderation.objects.filter(case=case).select_related("agreed_grade", "moderated_by")
    }
    return [
        GridRow(
            q,
            [answers.get((a.pk, q.pk)) if a.pk in visible else None for a in assignments],
            q.pk in needed,
            moderations.get(q.pk),
        )
        for q in questions
    ]


def domain_distributions(audit: CaseAudit) -> list[Distribution]:
    """Every submitted grade of the audit (excluded cases left out), by the question's domain."""
    grades = grades_of(audit)
    out: dict[str, Distribution] = {}
    for q in audit.tool.questions.order_by("number"):
        out.setdefault(q.domain, Distribution(q.domain, grades))
    rows = Answer.objects.filter(
        assignment__case__audit=audit,
        assignment__case__excluded_at__isnull=True,
        assignment__submitted_at__isnull=False,
        grade__isnull=False,
    ).values_list("question__domain", "grade_id")
    for domain, grade_id in rows:
        out.setdefault(domain, Distribution(domain, grades)).counts[grade_id] += 1
    return list(out.values())


def overall_by_agency(audit: CaseAudit) -> list[Distribution]:
    """Each agency's overall grades of the cases it audited."""
    grades = grades_of(audit)
    out: dict[str, Distribution] = {}
    rows = (
        Assignment.objects.filter(case__audit=audit, case__excluded_at__isnull=True, submitted_at__isnull=False)
        .values_list("organisation__name", "overall_grade_id")
        .order_by("organisation__name")
    )
    for name, grade_id in rows:
        out.setdefault(name, Distribution(name, grades)).counts[grade_id] += 1
    return list(out.values())


@dataclass
class ThemeRow:
    theme: Theme
    findings: list[Finding]
    by_agency: list[tuple[str, int]]
    distribution: Distribution
    actions: list[Action]

    @property
    def distribution_rows(self) -> list[Distribution]:
        return [self.distribution]


def themes(audit: CaseAudit) -> tuple[list[ThemeRow], list[Finding]]:
    """Each theme with its findings, counts per agency and the grades behind its findings; and ungrouped findings.

    A finding's grade is the one its auditor gave the question it was raised against (when it names one).
    """
    grades = grades_of(audit)
    findings = list(
        Finding.objects.filter(assignment__case__audit=audit)
        .select_related("assignment__organisation", "assignment__case", "question")
        .order_by("tag", "id")
    )
    for finding in findings:
        finding.assignment.case.audit = audit
    graded = {
        (a, q): g
        for a, q, g in Answer.objects.filter(assignment__case__audit=audit, grade__isnull=False).values_list(
            "assignment_id", "question_id", "grade_id"
        )
    }
    actions: dict[int, list[Action]] = defaultdict(list)
    for action in Action.objects.filter(theme__audit=audit).select_related("owner_organisation"):
        actions[action.theme_id].append(action)
    rows = []
    for theme in Theme.objects.filter(audit=audit).order_by("id"):
        mine = [f for f in findings if f.theme_id == theme.pk]
        distribution = Distribution(theme.title, grades)
        for f in mine:
            grade = graded.get((f.assignment_id, f.question_id)) if f.question_id else None
            if grade:
                distribution.counts[grade] += 1
        agencies = Counter(f.assignment.organisation.name for f in mine)
        rows.append(ThemeRow(theme, mine, sorted(agencies.items()), distribution, actions[theme.pk]))
    return rows, [f for f in findings if f.theme_id is None]
