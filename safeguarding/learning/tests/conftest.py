from __future__ import annotations

import pytest

from safeguarding.accounts.models import User

from .factories import make_partnership_manager


@pytest.fixture
def pm(world) -> User:
    """A partnership manager of Northbridge (the world's local authority)."""
    return make_partnership_manager(world.la)


@pytest.fixture
def pm_other(world) -> User:
    """A partnership manager of Southmere: another partnership."""
    return make_partnership_manager(world.other_la, "pip")
