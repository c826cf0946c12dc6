"""The learning routes for tests/test_audit_completeness.py (ADR 0022).

They are partnership pages, audited as learning.* (DENIED on refusal; test_pages.py checks every route).
No page lists a child; the incident page shows a linked child's name only after access.queries.open_person
allows and audits it (test_privacy.py), so none of them is a person or record route in the shared sense.
"""

NO_PERSONAL_DATA = {
    "learning:list",
    "learning:new",
    "learning:actions",
    "learning:incident",
    "learning:step",
    "learning:action-new",
    "learning:action-update",
}
