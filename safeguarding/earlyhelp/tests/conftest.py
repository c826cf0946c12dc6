from __future__ import annotations

from typing import Any

import pytest

from safeguarding.accounts.roles import Role
from tests import factories as f


@pytest.fixture
def eh_team(world: Any) -> Any:
    return f.make_team(world.la, "Early Help North")


@pytest.fixture
def eh_worker(world: Any, eh_team: Any) -> Any:
    """An early help practitioner in the child's local authority, not (yet) involved with the child."""
    return f.make_user(
        "ellie", org=world.la, role=Role.EARLY_HELP, team=eh_team, first_name="Ellie", last_name="Earlyhelp"
    )
