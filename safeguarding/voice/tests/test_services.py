"""The voice and visit services: what they record, audit and add to the chronology, and what they refuse."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from safeguarding.audit.models import AuditEvent
from safeguarding.chronology.models import ChronologyEntry
from safeguarding.voice import queries, services
from safeguarding.voice.models import Visit, VoiceEntry, VoiceLink
from tests import factories as f

pytestmark = pytest.mark.django_db


def _voice(world, **kwargs):
    now = kwargs.pop("now", timezone.now())
    data = {"recorded_on": now.date(), "gathered": "OWN_WORDS", "worries": "Dad shouting at night"} | kwargs
    return services.record_voice(person=world.child, principal=f.principal_for(world.allocated), now=now, **data)


def test_recording_the_childs_words_audits_and_adds_to_the_chronology(world):
    entry = _voice(world, wishes="Live with Nan")
    assert entry.worries == "Dad shouting at night" and entry.wishes == "Live with Nan"
    assert AuditEvent.objects.filter(
        action="voice.recorded", person=world.child, object_id=str(entry.public_id)
    ).exists()
    chron = ChronologyEntry.objects.get(source_type="voice.voiceentry", source_id=str(entry.public_id))
    assert chron.category == "The child's voice" and chron.person == world.child


def test_words_are_kept_exactly_but_trimmed(world):
    entry = _voice(world, worries="  i dont like it when mum cries  ")
    assert entry.worries == "i dont like it when mum cries"


def test_an_entry_with_no_words_is_refused_and_nothing_is_written(world):
    with pytest.raises(services.VoiceRefused, match="at least one box"):
        _voice(world, worries="   ")
    assert not VoiceEntry.objects.exists() and not ChronologyEntry.objects.exists()


def test_future_dates_are_refused_and_backdating_needs_a_reason(world):
    now = timezone.now()
    with pytest.raises(services.VoiceRefused, match="future"):
        _voice(world, now=now, recorded_on=now.date() + dt.timedelta(days=1))
    with pytest.raises(services.VoiceRefused, match="more than a day"):
        _voice(world, now=now, recorded_on=now.date() - dt.timedelta(days=5))
    entry = _voice(world, now=now, recorded_on=now.date() - dt.timedelta(days=5), backdated_reason="Laptop broken")
    assert entry.is_backdated
    assert ChronologyEntry.objects.get(source_id=str(entry.public_id)).is_backdated


def test_a_role_without_record_voice_is_refused(world):
    with pytest.raises(services.VoiceRefused, match="cannot record"):
        services.record_voice(
            person=world.child,
            principal=f.principal_for(world.health),
            now=timezone.now(),
            recorded_on=timezone.now().date(),
            gathered="OWN_WORDS",
            words="hello",
        )


def test_linking_words_to_a_decision_is_audited_idempotent_and_readable_from_the_target(world):
    first, second = _voice(world), _voice(world, good_things="My teacher")
    target = world.child  # any model with a public_id works as a target
    principal, now = f.principal_for(world.allocated), timezone.now()
    links = services.link_voice(entries=[first], target=target, principal=principal, now=now)
    assert len(links) == 1 and links[0].target_label == "people.person"
    services.link_voice(entries=[first, second], target=target, principal=principal, now=now)
    assert VoiceLink.objects.count() == 2
    assert {e.pk for e in queries.voice_linked_to(target)} == {first.pk, second.pk}
    assert AuditEvent.objects.filter(action="voice.linked", person=world.child).count() == 2
    assert services.link_voice(entries=[], target=target, principal=principal, now=now) == []


def test_another_childs_words_cannot_be_linked(world):
    entry = _voice(world)
    with pytest.raises(services.VoiceRefused):
        services.link_voice(
            entries=[entry],
            target=_Target(world.sibling),
            principal=f.principal_for(world.allocated),
            now=timezone.now(),
        )


class _Target:
    """A stand-in for a decision about another child (has person_id, public_id and _meta)."""

    def __init__(self, person):
        self.person_id = person.pk
        self.public_id = person.public_id
        self._meta = person._meta


def test_a_visit_where_the_child_was_not_seen_is_significant(world):
    now = timezone.now()
    principal = f.principal_for(world.allocated)
    visit = services.record_visit(
        person=world.child,
        principal=principal,
        now=now,
        visited_on=now.date(),
        place="HOME",
        is_seen=False,
        not_seen_reason="No answer at the door",
    )
    chron = ChronologyEntry.objects.get(source_type="voice.visit", source_id=str(visit.public_id))
    assert chron.significance == "SIGNIFICANT" and "not seen" in chron.summary
    assert "No answer at the door" in chron.impact
    assert AuditEvent.objects.filter(action="visit.recorded", person=world.child).exists()


def test_a_visit_where_the_child_was_seen_alone_is_routine(world):
    now = timezone.now()
    visit = services.record_visit(
        person=world.child,
        principal=f.principal_for(world.allocated),
        now=now,
        visited_on=now.date(),
        place="SCHOOL",
        is_seen=True,
        is_seen_alone=True,
    )
    chron = ChronologyEntry.objects.get(source_id=str(visit.public_id))
    assert chron.significance == "ROUTINE" and "seen alone" in chron.summary
    assert queries.last_visit(world.child) == visit


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"is_seen": False}, "why the child was not seen"),
        ({"is_seen": False, "is_seen_alone": True, "not_seen_reason": "x"}, "seen alone was seen"),
        ({"is_seen": True, "place": "MOON"}, "where the visit"),
    ],
)
def test_invalid_visits_are_refused_and_nothing_is_written(world, kwargs, message):
    now = timezone.now()
    data = {"visited_on": now.date(), "place": "HOME"} | kwargs
    with pytest.raises(services.VoiceRefused, match=message):
        services.record_visit(person=world.child, principal=f.principal_for(world.allocated), now=now, **data)
    assert not Visit.objects.exists() and not AuditEvent.objects.filter(action="visit.recorded").exists()
