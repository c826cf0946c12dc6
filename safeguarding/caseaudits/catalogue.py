"""The shared default grading scales and audit tool, written for this project (ADR 0026).

The data migration installs them; `install` is idempotent so tests and the synthetic data can call it too.
Partnerships copy the tool to make their own. The questions are our own words, not any published tool's.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

DEFAULT_SCALE = "Four-point practice grade"
SCALES: dict[str, tuple[str, ...]] = {
    DEFAULT_SCALE: ("Outstanding", "Good", "Requires improvement", "Inadequate"),
    "Three-point local grade": ("Strong", "Adequate", "Weak"),
}

DEFAULT_TOOL = "Multi-agency case audit (partnership default)"
DEFAULT_TOOL_DESCRIPTION = (
    "A whole-system look at one child's journey: each agency's auditor reads their own agency's record and the "
    "shared record, grades each question and says what made the difference for the child."
)
# (domain, question, guidance)
QUESTIONS: tuple[tuple[str, str, str], ...] = (
    (
        "Voice of the child",
        "Was the child seen, and seen alone where appropriate, often enough for the level of concern?",
        "Look for dates, who saw the child and where; for babies and non-verbal children, observation counts.",
    ),
    (
        "Voice of the child",
        "Are the child's wishes, feelings and daily experience recorded in their own words and acted on?",
        "Quotes, drawings, Three Houses work; was anything changed because of what the child said?",
    ),
    (
        "Quality of assessment",
        "Does the assessment analyse the child's history and the family's strengths, not only describe them?",
        "A chronology used to find patterns; past concerns weighed; protective factors named.",
    ),
    (
        "Quality of assessment",
        "Were the needs arising from identity, culture, disability and language understood and addressed?",
        "Interpreters used where needed; faith and culture considered without assumptions.",
    ),
    (
        "Quality of assessment",
        "Were risks from adults in and around the household (including fathers and partners) assessed?",
        "Every significant adult identified, checked and spoken to, or a reason recorded why not.",
    ),
    (
        "Multi-agency information sharing",
        "Did each agency share what it knew promptly, and was it received and used?",
        "Referrals and requests for information answered in time; nothing held back that mattered.",
    ),
    (
        "Multi-agency information sharing",
        "Were the right agencies at strategy discussions, conferences and core groups, and did they contribute?",
        "Attendance, written reports, and whether challenge between agencies was raised and resolved.",
    ),
    (
        "Management oversight",
        "Is there evidence of timely management decisions with a clear rationale?",
        "Decisions at key points recorded with reasons; drift challenged.",
    ),
    (
        "Management oversight",
        "Did supervision (in each agency) reflect on the case and change what happened next?",
        "Reflective supervision notes with actions that were followed up.",
    ),
    (
        "Plan progress",
        "Is the plan specific, measurable and focused on what needs to change for the child?",
        "Outcomes in plain language the family understands; who does what, by when.",
    ),
    (
        "Plan progress",
        "Has the plan been reviewed on time and progress measured, with contingency when things did not improve?",
        "Reviews and core groups on time; escalation where there was no change.",
    ),
    (
        "Outcomes",
        "Is the child safer and are their circumstances better as a result of the help given?",
        "Evidence of change in the child's daily life, not only completed tasks.",
    ),
)


def install(apps: Any = None, *, now: dt.datetime | None = None) -> None:
    """Create the shared scales and the default tool if they are missing (usable from a migration)."""
    if apps is None:
        from django.apps import apps as live_apps

        apps = live_apps
    scale_model = apps.get_model("caseaudits", "GradingScale")
    grade_model = apps.get_model("caseaudits", "Grade")
    tool_model = apps.get_model("caseaudits", "AuditTool")
    question_model = apps.get_model("caseaudits", "Question")
    now = now or dt.datetime.now(dt.UTC)
    scales = {}
    for name, labels in SCALES.items():
        scale = scale_model.objects.filter(partnership=None, name=name).first()
        if scale is None:
            scale = scale_model.objects.create(partnership=None, name=name, created_at=now)
            grade_model.objects.bulk_create(
                [grade_model(scale=scale, rank=rank, label=label) for rank, label in enumerate(labels, 1)]
            )
        scales[name] = scale
    if not tool_model.objects.filter(partnership=None, name=DEFAULT_TOOL).exists():
        tool = tool_model.objects.create(
            partnership=None,
            name=DEFAULT_TOOL,
            description=DEFAULT_TOOL_DESCRIPTION,
            scale=scales[DEFAULT_SCALE],
            created_at=now,
        )
        question_model.objects.bulk_create(
            [
                question_model(tool=tool, number=n, domain=domain, text=text, guidance=guidance)
                for n, (domain, text, guidance) in enumerate(QUESTIONS, 1)
            ]
        )
