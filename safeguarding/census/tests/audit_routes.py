"""The census routes for tests/test_audit_completeness.py (ADR 0018)."""

# census:returns lists records to fix by census id (LAchildID), never by name, and only for roles with
# VIEW_RETURNS (analysts, team managers): LIST_ROUTES signs in as a social worker, who is refused. Its
# audit of the rows shown (census.returns.view, details.shown) and of refusals is tested in test_returns.py.
NO_PERSONAL_DATA = {"census:returns"}
