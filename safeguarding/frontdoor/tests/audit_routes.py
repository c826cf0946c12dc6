"""Front door routes for tests/test_audit_completeness.py (ADR 0018)."""

from __future__ import annotations

from typing import Any

from .factories import make_contact, make_request


def _contact(world: Any) -> dict[str, Any]:
    contact = make_contact(world)
    return {"public_id": world.child.public_id, "contact": contact.public_id}


def _request(world: Any) -> dict[str, Any]:
    contact = make_contact(world)
    request = make_request(world, contact)
    return {"public_id": world.child.public_id, "contact": contact.public_id, "request_id": request.public_id}


def _decided(world: Any) -> dict[str, Any]:
    from django.utils import timezone

    from safeguarding.frontdoor import services
    from tests import factories as f

    contact = make_contact(world)
    services.decide_contact(
        contact=contact,
        principal=f.principal_for(world.manager),
        now=timezone.now(),
        decision="ADVICE",
        rationale="Advice to the school",
    )
    return {"public_id": world.child.public_id, "contact": contact.public_id}


RECORD_ROUTES = {
    "frontdoor:contact": _contact,
    "frontdoor:contact-screen": _contact,
    "frontdoor:information-new": _contact,
    "frontdoor:information-answer": _request,
    "frontdoor:contact-decide": _contact,
    "frontdoor:contact-feedback": _decided,
}
# frontdoor:contact-new shows only search results (audited by person.search) until a child is chosen; choosing
# one is audited as contact.person-chosen (tests/test_pages.py), like people:create's pregnant person.
NO_PERSONAL_DATA = {"frontdoor:contact-new"}


def _awaiting_decision(world: Any) -> dict[str, str]:
    make_contact(world)
    return {}


# The front door list is for screening and deciding roles: the shared test signs in as world.manager.
MANAGER_LIST_ROUTES = {"frontdoor:list": _awaiting_decision}
