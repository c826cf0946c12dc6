"""The partnership routes for tests/test_audit_completeness.py (ADR 0020).

They show staff, organisations and training, never a child's record, so they are NO_PERSONAL_DATA; they
are audited anyway (partnership.*.view, and DENIED on refusal), as test_pages.py checks route by route.
"""

NO_PERSONAL_DATA = {
    "partnership:dashboard",
    "partnership:register",
    "partnership:accountable-on",
    "partnership:role",
    "partnership:role-new",
    "partnership:holding-new",
    "partnership:holding-end",
    "partnership:training",
    "partnership:training-new",
    "partnership:training-import",
    "partnership:training-export",
    "partnership:actions",
    "partnership:actions-export",
}
