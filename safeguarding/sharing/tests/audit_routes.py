"""The sharing routes for tests/test_audit_completeness.py (ADR 0021).

sharing:counts shows counts per agency only (no child is named): its audit and refusals are tested in
test_pages.py."""

from __future__ import annotations

from typing import Any

from safeguarding.sharing.tests.factories import make_decision

PERSON_ROUTES = {"sharing:person", "sharing:record"}
NO_PERSONAL_DATA = {"sharing:counts"}


def _decision_about_the_child(world: Any) -> dict[str, str]:
    make_decision(world.child, world.allocated, recipient_organisation=world.trust)
    return {}


# The authority's list is a manager's list: the shared test signs in as world.manager.
MANAGER_LIST_ROUTES = {"sharing:authority": _decision_about_the_child}
