"""The data quality routes for tests/test_audit_completeness.py (ADR 0021)."""

from __future__ import annotations

from typing import Any

from safeguarding.dataquality.tests.factories import on_plan, without_nhs_number


def _child_on_a_plan_without_a_number(world: Any) -> dict[str, str]:
    on_plan(world, without_nhs_number(world.child))
    return {}


# For VIEW_RETURNS roles (analysts, managers): the shared test signs in as world.manager and refuses the
# allocated worker and the auditor.
MANAGER_LIST_ROUTES = {"dataquality:nhs-numbers": _child_on_a_plan_without_a_number}
