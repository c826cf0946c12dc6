"""Route classification for the audit-completeness test: My work's and the oversight pages.

The oversight routes (casework.urls_oversight) are classified here because the collector reads
only `<app>/tests/audit_routes.py` and casework's is another helper's file.
"""

from __future__ import annotations

from typing import Any

from safeguarding.work.tests import factories as w


def _episode(world: Any) -> dict[str, Any]:
    episode = w.make_episode(world.child, worker=world.allocated, team=world.team_a)
    return {"public_id": world.child.public_id, "episode": episode.public_id}


RECORD_ROUTES = {
    "oversight:episode": _episode,
    "oversight:transfer": _episode,
    "oversight:decision-new": _episode,
    "oversight:supervision-new": _episode,
}


def _team_caseload(world: Any) -> dict[str, str]:
    w.make_episode(world.child, worker=world.allocated, team=world.team_a)
    return {}


# The team dashboard is a manager's list: the shared test signs in as world.manager.
MANAGER_LIST_ROUTES = {"work:team": _team_caseload}
