"""The voice app's routes for tests/test_audit_completeness.py: every page is about one child."""

PERSON_ROUTES = {"voice:person", "voice:record", "voice:visit-new"}
