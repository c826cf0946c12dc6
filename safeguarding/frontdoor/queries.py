"""Reads at the front door. The contact page and the child's-page panel read only after
access.queries.open_person; the front door list and the choice of a child for a new contact are
scoped here by access.policy and audited with what they show.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from safeguarding.access import queries as access_queries
from safeguarding.access.policy import accessible_people, visible_in_search
from safeguarding.accounts.principal import Principal
from safeguarding.accounts.roles import Capability
from safeguarding.audit import services as audit
from safeguarding.people.models import Person

from .models import Contact, InformationRequest

LIST_LIMIT = 200


def choose_person(principal: Principal, public_id: Any, *, now: dt.datetime) -> Person:
    """The child a new contact is about, audited like a read (action contact.person-chosen).

    Whoever may open the record may choose it. The front door (SCREEN_CONTACTS) may also choose any child
    it can find in search, whether or not it is involved yet: a concern must land on the child's one
    record, never on a duplicate, and receiving concerns is the front door's job. Everyone else is
    refused as open_person refuses (404 or 403)."""
    action = "contact.person-chosen"
    try:
        return access_queries.open_person(principal, public_id, now=now, action=action).person
    except access_queries.Refused as refused:
        person = refused.person
        if person is None or not principal.can(Capability.SCREEN_CONTACTS):
            raise
        if not Person.objects.filter(visible_in_search(principal), pk=person.pk).exists():
            raise
        audit.record(principal=principal, action=action, at=now, person=person, basis="front-door")
        return person


def contact_of(person: Person, contact_id: Any) -> Contact | None:
    """One contact about an opened person, with what its page shows (only call after open_person)."""
    requests = InformationRequest.objects.select_related("organisation", "requested_by", "recorded_by")
    return (
        Contact.objects.filter(person=person, public_id=contact_id)
        .select_related(
            "recorded_by", "referrer_organisation", "screened_by", "decided_by", "feedback_sent_by", "episode"
        )
        .prefetch_related(Prefetch("information_requests", queryset=requests))
        .first()
    )


def information_request_of(contact: Contact, request_id: Any) -> InformationRequest | None:
    return InformationRequest.objects.filter(contact=contact, public_id=request_id).first()


@dataclass(frozen=True)
class Row:
    contact: Contact
    overdue_requests: int
    open_requests: int
    decision_overdue: bool


def may_see_front_door(principal: Principal) -> bool:
    return principal.membership is not None and (
        principal.can(Capability.SCREEN_CONTACTS) or principal.can(Capability.DECIDE_CONTACTS)
    )


class NotFrontDoor(Exception):
    """The principal's role does not work at the front door."""


def front_door_list(principal: Principal, *, now: dt.datetime) -> list[Row]:
    """Contacts still needing the front door (undecided, or feedback not sent) about children the principal may
    open: overdue information requests first, then overdue decisions, then red, then the oldest.

    Minimal details only (no worries); audited with the children shown. Three queries, however long the list."""
    if not may_see_front_door(principal):
        raise NotFrontDoor
    pending = Q(decided_at__isnull=True) | Q(feedback_sent_at__isnull=True)
    unanswered = Q(information_requests__answered_at__isnull=True)
    contacts = list(
        Contact.objects.filter(pending, person__in=Person.objects.filter(accessible_people(principal, now=now)))
        .select_related("person")
        .annotate(
            overdue=Count("information_requests", filter=unanswered & Q(information_requests__due_at__lt=now)),
            outstanding=Count("information_requests", filter=unanswered),
        )
        .order_by("received_at", "id")[:LIST_LIMIT]
    )
    today = timezone.localdate(now)
    rows = [
        Row(c, c.overdue, c.outstanding, c.is_decision_overdue(today))  # type: ignore[attr-defined]
        for c in contacts
    ]
    rag_order = {"RED": 0, "AMBER": 1, "GREEN": 2, "": 3}
    rows.sort(
        key=lambda r: (
            r.overdue_requests == 0,
            not r.decision_overdue,
            r.contact.decided_at is not None,
            rag_order[r.contact.rag],
            r.contact.received_at,
        )
    )
    audit.record(
        principal=principal,
        action="frontdoor.list",
        at=now,
        object_type="list",
        details={"shown": [str(r.contact.person.public_id) for r in rows]},
    )
    return rows
