"""The case audit routes for tests/test_audit_completeness.py (ADR 0026).

They are partnership pages, audited as caseaudits.* (DENIED on refusal; test_pages.py checks every route).
Cases are shown by reference; a page names a child only after access.queries.open_person allows and audits
it (test_privacy.py), so none of them is a person or record route in the shared sense.
"""

NO_PERSONAL_DATA = {
    "caseaudits:home",
    "caseaudits:audit-new",
    "caseaudits:tools",
    "caseaudits:scale-new",
    "caseaudits:tool",
    "caseaudits:tool-copy",
    "caseaudits:question-new",
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
