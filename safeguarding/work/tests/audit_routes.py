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
# The team dashboard lists children, but the shared list-route test signs in as a social worker, who may
# not see it. work/tests/test_team_dashboard.py checks that a manager's view is audited with every row
# shown and that everyone else is refused with a DENIED row.
NO_PERSONAL_DATA = {"work:team"}
