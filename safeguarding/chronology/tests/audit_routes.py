"""The chronology's routes (mounted in the voice namespace) for tests/test_audit_completeness.py."""

PERSON_ROUTES = {
    "voice:chronology",
    "voice:family-chronology",
    "voice:chronology-csv",
    "voice:chronology-pdf",
    "voice:chronology-report",
}
