"""Flag routes. None is a PERSON_ROUTE of the ordinary kind: the look-up is by NHS number for roles with
QUERY_CP_FLAGS (no legitimate relationship, as in CP-IS), and a GET of the page shows only the form.
Their audit is proven in test_lookup.py, test_fhir.py and test_notifications.py (every look-up, refused
or not, writes a row; the inbox audits the children it shows)."""

from __future__ import annotations

from typing import Any

NO_PERSONAL_DATA = {"flags:lookup", "flags:inbox", "fhir:flag-search", "fhir:metadata"}


def _notification(world: Any) -> dict[str, Any]:
    from .factories import notification_for

    notification = notification_for(world, world.child)
    return {"public_id": world.child.public_id, "notification": notification.public_id}


RECORD_ROUTES = {"flags:notification": _notification}
