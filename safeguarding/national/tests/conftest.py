from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from safeguarding.flags.tests.factories import contact
from safeguarding.national.adapters import FileAdapter
from safeguarding.national.simulator import NationalSimulator


@dataclass
class Exchange:
    world: Any
    root: Path
    adapter: FileAdapter
    national: NationalSimulator


@pytest.fixture
def exchange(world: Any, tmp_path: Path, settings: Any) -> Exchange:
    """The world with the file adapter configured on a temporary directory, and the simulator on the other side."""
    settings.OSG_NATIONAL_ADAPTER = "file"
    settings.OSG_NATIONAL_DIR = str(tmp_path)
    contact(world)
    return Exchange(world=world, root=tmp_path, adapter=FileAdapter(tmp_path), national=NationalSimulator(tmp_path))
