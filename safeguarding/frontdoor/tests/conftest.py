from __future__ import annotations

from typing import Any

import pytest

from .factories import make_mash


@pytest.fixture
def mash(world: Any) -> Any:
    """(team, officer): the test authority's front door."""
    return make_mash(world)
