"""Early help routes for tests/test_audit_completeness.py (see docs/adr/0018)."""

from __future__ import annotations

from typing import Any

from . import factories as eh

PERSON_ROUTES = {"earlyhelp:offer"}
# The list shows the user's early help and, with a search, the children they may offer it to.
LIST_ROUTES = {"earlyhelp:list": {"find-name": "Testchild Example"}}
# POST-only actions that answer with a redirect (they show nothing). The rows they act on are listed,
# and audited, by earlyhelp:list; the actions are audited by earlyhelp.queries.open_for_pick_up.
NO_PERSONAL_DATA = {"earlyhelp:pick-up", "earlyhelp:step-down"}


def _kwargs(episode: Any) -> dict[str, Any]:
    return {"public_id": episode.person.public_id, "episode": episode.public_id}


def _member_left(world: Any) -> dict[str, Any]:
    episode = eh.offered(world)
    return {**_kwargs(episode), "member": eh.member(world, episode).public_id}


RECORD_ROUTES = {
    "earlyhelp:episode": lambda world: _kwargs(eh.planned(world)),
    "earlyhelp:consent": lambda world: _kwargs(eh.offered(world)),
    "earlyhelp:assessment-start": lambda world: _kwargs(eh.consented(world)),
    "earlyhelp:assessment-complete": lambda world: _kwargs(eh.assessing(world)),
    "earlyhelp:lead": lambda world: _kwargs(eh.offered(world)),
    "earlyhelp:member-add": lambda world: _kwargs(eh.offered(world)),
    "earlyhelp:member-left": _member_left,
    "earlyhelp:plan-start": lambda world: _kwargs(eh.assessed(world)),
    "earlyhelp:outcome-add": lambda world: _kwargs(eh.planned(world)),
    "earlyhelp:review": lambda world: _kwargs(eh.planned(world)),
    "earlyhelp:step-up": lambda world: _kwargs(eh.planned(world)),
    "earlyhelp:close": lambda world: _kwargs(eh.planned(world)),
}
