"""Reads of the child's voice and visits. Call these only after access.queries.open_person has allowed
(and audited) opening the child's record: they do not decide access. Each makes a fixed number of queries.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch

from .models import Visit, VoiceEntry, VoiceLink

if TYPE_CHECKING:
    from safeguarding.people.models import Person


def _entries() -> Any:
    links = Prefetch("links", queryset=VoiceLink.objects.order_by("linked_at", "id"))
    return VoiceEntry.objects.select_related("recorded_by", "agency").prefetch_related(links)


def voice_for_person(person: Person, *, limit: int | None = 3) -> list[VoiceEntry]:
    """The child's most recent words, newest first, with what each informed (two queries).

    limit=None returns every entry."""
    entries = _entries().filter(person=person).order_by("-recorded_on", "-recorded_at", "-id")
    return list(entries if limit is None else entries[:limit])


def voice_linked_to(target: Any) -> list[VoiceEntry]:
    """The child's words that informed `target` (any model instance with a public_id), newest first."""
    ids = VoiceLink.objects.filter(target_label=target._meta.label_lower, target_public_id=target.public_id).values(
        "entry_id"
    )
    return list(_entries().filter(id__in=ids).order_by("-recorded_on", "-recorded_at", "-id"))


def visits_for_person(person: Person, *, limit: int | None = 20) -> list[Visit]:
    visits = Visit.objects.filter(person=person).select_related("recorded_by", "agency")
    return list(visits if limit is None else visits[:limit])


def last_visit(person: Person) -> Visit | None:
    return Visit.objects.filter(person=person).select_related("recorded_by").first()


def last_seen_alone(person: Person) -> Visit | None:
    return Visit.objects.filter(person=person, is_seen_alone=True).first()


def chosen_entries(person: Person, public_ids: list[str]) -> list[VoiceEntry]:
    """The entries a user ticked on a decision form ("which of the child's words informed this?"), only
    ever this child's: ids of another child's entries are ignored. For voice.services.link_voice."""
    ids = []
    for raw in public_ids:
        try:
            ids.append(uuid.UUID(str(raw)))
        except ValueError:
            continue
    return list(VoiceEntry.objects.filter(person=person, public_id__in=ids).select_related("person"))
