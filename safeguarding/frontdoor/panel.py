"""The child's-page section for the front door: the child's most recent contacts and how many there are.

Called by the child's page after it has opened and audited the record (people.panels). One query, whatever
the record holds: the total comes from a window over the same rows, not a second COUNT.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Window

from safeguarding.accounts.roles import Capability
from safeguarding.people.codes import PersonKind

from .models import Contact

if TYPE_CHECKING:
    from safeguarding.accounts.principal import Principal
    from safeguarding.people.models import Person

PANEL_LIMIT = 10
SHOWN = ("public_id", "received_at", "referrer_name", "referrer_agency", "rag", "decision")
STATUS = ("decided_at", "feedback_sent_at", "screened_at")  # Contact.status


def contacts_for_person(person: Person) -> tuple[list[Contact], int]:
    """The child's most recent contacts and how many there are (one query; only call after open_person)."""
    contacts: list[Contact] = list(
        Contact.objects.filter(person=person)
        .only(*SHOWN, *STATUS)
        .annotate(total=Window(Count("id")))
        .order_by("-received_at", "-id")[:PANEL_LIMIT]
    )
    return contacts, contacts[0].total if contacts else 0  # type: ignore[attr-defined]


def load(principal: Principal, person: Person, now: dt.datetime) -> dict[str, Any] | None:
    """The child's contacts, and a link to record one for roles that may."""
    if person.kind == PersonKind.ADULT:
        return None
    contacts, count = contacts_for_person(person)
    can_record = principal.can(Capability.RECORD_CONTACT)
    if not contacts and not can_record:
        return None
    return {"contacts": contacts, "count": count, "person": person, "can_record": can_record}
