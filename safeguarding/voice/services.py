"""Every write about the child's voice and visits: audited in the same transaction, and each event is
added to the child's chronology (a visit where the child was not seen is significant)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import transaction

from safeguarding.accounts.roles import Capability
from safeguarding.audit import services as audit
from safeguarding.chronology import services as chronology
from safeguarding.chronology.models import Significance
from safeguarding.core.dates import is_backdated

from .codes import Gathered, Place
from .models import WORD_FIELDS, Visit, VoiceEntry, VoiceLink

if TYPE_CHECKING:
    from safeguarding.accounts.principal import Principal
    from safeguarding.people.models import Person


class VoiceRefused(Exception):
    """A write refused; the message is safe to show and says why and what to do."""


NO_ROLE = "Your role cannot record the child's voice or visits. Ask the child's social worker to record it."


def _check_role(principal: Principal) -> None:
    if not principal.can(Capability.RECORD_VOICE) or principal.membership is None:
        raise VoiceRefused(NO_ROLE)


def check_event_date(on: dt.date, *, now: dt.datetime, backdated_reason: str, what: str) -> None:
    """Future dates are refused; a date more than a day ago needs a reason (records often lag practice)."""
    today = now.date()
    if on > today:
        raise VoiceRefused(f"The date {what} cannot be in the future")
    if is_backdated(on, recorded_on=today) and not backdated_reason.strip():
        raise VoiceRefused(f"Say why this is being recorded more than a day after {what}")


@transaction.atomic
def record_voice(
    *,
    person: Person,
    principal: Principal,
    now: dt.datetime,
    recorded_on: dt.date,
    gathered: str,
    worries: str = "",
    good_things: str = "",
    wishes: str = "",
    want_to_happen: str = "",
    words: str = "",
    backdated_reason: str = "",
) -> VoiceEntry:
    """Record the child's words exactly as they gave them (at least one house or their own words)."""
    _check_role(principal)
    if gathered not in Gathered.values:
        raise VoiceRefused("Choose how the child's views were gathered")
    texts = {"worries": worries, "good_things": good_things, "wishes": wishes}
    texts |= {"want_to_happen": want_to_happen, "words": words}
    texts = {k: v.strip() for k, v in texts.items()}
    if not any(texts.values()):
        raise VoiceRefused("Write what the child said, wrote, drew or showed in at least one box")
    check_event_date(recorded_on, now=now, backdated_reason=backdated_reason, what="the child gave their views")
    assert principal.membership is not None
    entry = VoiceEntry.objects.create(
        person=person,
        recorded_on=recorded_on,
        gathered=gathered,
        recorded_at=now,
        recorded_by=principal.user,
        agency=principal.membership.organisation,
        backdated_reason=backdated_reason.strip(),
        **texts,
    )
    houses = [field for field in WORD_FIELDS if texts[field]]
    audit.record(
        principal=principal,
        action="voice.recorded",
        at=now,
        person=person,
        object_type="voice.voiceentry",
        object_id=str(entry.public_id),
        details={"gathered": gathered, "parts": houses},
    )
    chronology.add_entry(
        person=person,
        principal=principal,
        occurred_on=recorded_on,
        category="The child's voice",
        summary=f"The child's views were recorded ({Gathered(gathered).label.lower()})",
        source_type="voice.voiceentry",
        source_id=str(entry.public_id),
        now=now,
        backdated_reason=entry.backdated_reason,
    )
    return entry


@transaction.atomic
def link_voice(
    *, entries: Iterable[VoiceEntry], target: Any, principal: Principal, now: dt.datetime
) -> list[VoiceLink]:
    """Record that these entries informed `target` (any model instance with a public_id).

    Linking an entry twice is harmless (the existing link is kept). Every entry must be about the same
    child, and about the target's child when the target has a `person`."""
    entries = list(entries)
    if not entries:
        return []
    people = {e.person_id for e in entries}
    target_person_id = getattr(target, "person_id", None)
    if len(people) != 1 or (target_person_id is not None and target_person_id not in people):
        raise VoiceRefused("Only the child's own words can be linked to a decision about them")
    label, public_id = target._meta.label_lower, target.public_id
    existing = set(
        VoiceLink.objects.filter(entry__in=entries, target_label=label, target_public_id=public_id).values_list(
            "entry_id", flat=True
        )
    )
    new = [
        VoiceLink(
            entry=e,
            target_label=label,
            target_public_id=public_id,
            target_description=str(target)[:200],
            linked_at=now,
            linked_by=principal.user,
        )
        for e in entries
        if e.pk not in existing
    ]
    VoiceLink.objects.bulk_create(new)
    audit.record(
        principal=principal,
        action="voice.linked",
        at=now,
        person=entries[0].person,
        object_type=label,
        object_id=str(public_id),
        details={"entries": [str(e.public_id) for e in entries], "new": len(new)},
    )
    return list(VoiceLink.objects.filter(entry__in=entries, target_label=label, target_public_id=public_id))


def _visit_summary(place: str, is_seen: bool, is_seen_alone: bool) -> str:
    where = Place(place).label  # the category says "Visit"
    if not is_seen:
        return f"{where}: the child was not seen"
    return f"{where}: the child was seen {'alone' if is_seen_alone else 'but not alone'}"


@transaction.atomic
def record_visit(
    *,
    person: Person,
    principal: Principal,
    now: dt.datetime,
    visited_on: dt.date,
    place: str,
    is_seen: bool,
    is_seen_alone: bool = False,
    not_seen_reason: str = "",
    note: str = "",
    backdated_reason: str = "",
) -> Visit:
    """Record a visit and whether the child was seen, and seen alone. Not seen needs a reason."""
    _check_role(principal)
    if place not in Place.values:
        raise VoiceRefused("Choose where the visit was")
    if is_seen_alone and not is_seen:
        raise VoiceRefused("A child seen alone was seen: say that the child was seen")
    if not is_seen and not not_seen_reason.strip():
        raise VoiceRefused("Say why the child was not seen")
    check_event_date(visited_on, now=now, backdated_reason=backdated_reason, what="the visit")
    assert principal.membership is not None
    visit = Visit.objects.create(
        person=person,
        visited_on=visited_on,
        place=place,
        is_seen=is_seen,
        is_seen_alone=is_seen_alone,
        not_seen_reason="" if is_seen else not_seen_reason.strip(),
        note=note.strip(),
        recorded_at=now,
        recorded_by=principal.user,
        agency=principal.membership.organisation,
        backdated_reason=backdated_reason.strip(),
    )
    audit.record(
        principal=principal,
        action="visit.recorded",
        at=now,
        person=person,
        object_type="voice.visit",
        object_id=str(visit.public_id),
        details={"is_seen": is_seen, "is_seen_alone": is_seen_alone},
    )
    chronology.add_entry(
        person=person,
        principal=principal,
        occurred_on=visited_on,
        category="Visit",
        summary=_visit_summary(place, is_seen, is_seen_alone),
        impact="" if is_seen else f"The child was not seen: {visit.not_seen_reason}",
        significance=Significance.ROUTINE if is_seen else Significance.SIGNIFICANT,
        source_type="voice.visit",
        source_id=str(visit.public_id),
        now=now,
        backdated_reason=visit.backdated_reason,
    )
    return visit
