"""The chronology app's routes for tests/test_audit_completeness.py."""

PERSON_ROUTES = {
    "chronology:events",
    "chronology:family",
    "chronology:csv",
    "chronology:pdf",
    "chronology:report",
}
