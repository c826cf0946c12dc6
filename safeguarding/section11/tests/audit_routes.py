"""The section 11 routes for tests/test_audit_completeness.py (ADR 0023).

They hold organisations' self-assessments of their arrangements, never a child's record, so they are
NO_PERSONAL_DATA; every page is audited anyway (section11.*, and DENIED on refusal), as test_pages.py checks.
"""

NO_PERSONAL_DATA = {
    "section11:home",
    "section11:standards",
    "section11:standard-edit",
    "section11:cycle-new",
    "section11:cycle",
    "section11:assessment",
    "section11:action-new",
    "section11:rating-moderate",
    "section11:rating-respond",
    "section11:actions",
    "section11:action",
    "section11:compare",
}
