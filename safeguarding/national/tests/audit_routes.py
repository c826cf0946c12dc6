"""The national connector's routes for tests/test_audit_completeness.py. The status page shows counts and
reasons for the authority, never a child's name or NHS number (test_status_page.py proves it, its refusals
and its audit row)."""

from __future__ import annotations

NO_PERSONAL_DATA = {"national:status"}
