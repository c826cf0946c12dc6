from __future__ import annotations

import pytest
from django.utils import timezone

from safeguarding.voice import services
from tests import factories as f


@pytest.fixture
def say(world):
    """Record the child's words as the allocated worker: say(worries="...", ...)."""

    def _say(person=None, **kwargs):
        now = kwargs.pop("now", timezone.now())
        data = {"recorded_on": now.date(), "gathered": "OWN_WORDS"} | kwargs
        if not any(k in data for k in ("worries", "good_things", "wishes", "want_to_happen", "words")):
            data["worries"] = "When the shouting starts"
        return services.record_voice(
            person=person or world.child, principal=f.principal_for(world.allocated), now=now, **data
        )

    return _say


@pytest.fixture
def visit(world):
    def _visit(**kwargs):
        now = kwargs.pop("now", timezone.now())
        data = {"visited_on": now.date(), "place": "HOME", "is_seen": True} | kwargs
        return services.record_visit(person=world.child, principal=f.principal_for(world.allocated), now=now, **data)

    return _visit
