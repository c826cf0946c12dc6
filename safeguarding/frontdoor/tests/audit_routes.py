"""Front door routes for tests/test_audit_completeness.py (ADR 0018)."""

from __future__ import annotations

from typing import Any

from .factories import make_contact, make_referral, make_request


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


def _referral(world: Any) -> dict[str, Any]:
    return {"referral": make_referral(world).public_id, "public_id": world.child.public_id}


RECORD_ROUTES = {
    # Confirming a partner referral's match opens the child through choose_person (contact.person-chosen).
    "frontdoor:referral-match": _referral,
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
# Partner referrals (ADR 0025) hold a child's details as a partner gave them, before they are on any record, so
# the shared test (LA personas, a child's public id) cannot drive them. Each page audits its read
# (referral.list, referral.view, referral.review with the referral's id) and its refusals (DENIED), and
# tests/test_referrals.py checks both for every persona: the partner's pages show a referral only to its
# submitter; the front door's review (and its audited person.search) only to the SCREEN_CONTACTS roles of the
# authority it was sent to. referral-new shows nothing until sent; referral-new-person is POST-only (redirects).
NO_PERSONAL_DATA |= {
    "frontdoor:referral-new",
    "frontdoor:referrals",
    "frontdoor:referral",
    "frontdoor:referral-review",
    "frontdoor:referral-new-person",
}


def _awaiting_decision(world: Any) -> dict[str, str]:
    make_contact(world)
    return {}


# The front door list is for screening and deciding roles: the shared test signs in as world.manager.
MANAGER_LIST_ROUTES = {"frontdoor:list": _awaiting_decision}
