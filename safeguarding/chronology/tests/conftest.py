from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from safeguarding.chronology import services
from tests import factories as f


@pytest.fixture
def event(world):
    """Add a chronology entry for a person (default the child), recorded by the allocated worker."""

    def _event(person=None, *, summary="Something happened", days_ago=0, **kwargs):
        now = timezone.now()
        return services.add_entry(
            person=person or world.child,
            principal=f.principal_for(world.allocated),
            occurred_on=now.date() - dt.timedelta(days=days_ago),
            category=kwargs.pop("category", "Test"),
            summary=summary,
            source_type="test.event",
            source_id="1",
            now=now,
            **kwargs,
        )

    return _event
