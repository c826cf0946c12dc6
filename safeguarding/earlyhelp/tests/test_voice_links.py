"""The child's words can be linked to the early help decisions they informed (the review and the closure)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from safeguarding.voice import services as voice_services
from safeguarding.voice.models import VoiceLink
from tests import factories as f

from . import factories as eh


def _words(world, text):
    return voice_services.record_voice(
        person=world.child,
        principal=f.principal_for(world.allocated),
        now=timezone.now(),
        recorded_on=timezone.localdate(),
        gathered="OWN_WORDS",
        wishes=text,
    )


def _date(prefix, day):
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


def _url(name, episode):
    return reverse(name, kwargs={"public_id": episode.person.public_id, "episode": episode.public_id})


def test_a_review_records_which_of_the_childs_words_informed_it(client, world):
    episode = eh.planned(world)
    entry = _words(world, "I want mum to come to my assembly")
    outcome = episode.plan.outcomes.get()
    f.sign_in(client, world.manager)
    form = client.get(_url("earlyhelp:review", episode)).content.decode()
    assert "Which of the child&#x27;s words informed this?" in form and "I want mum to come to my assembly" in form
    today = timezone.localdate()
    response = client.post(
        _url("earlyhelp:review", episode),
        {
            **_date("held_on", today),
            **_date("next_review_on", today + dt.timedelta(days=28)),
            f"rag_{outcome.pk}": "GREEN",
            "voice": [str(entry.public_id)],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    review = episode.reviews.get()
    link = VoiceLink.objects.get(entry=entry)
    assert (link.target_label, link.target_public_id) == ("earlyhelp.earlyhelpreview", review.public_id)


def test_closing_early_help_without_ticking_any_words_links_nothing(client, world):
    episode = eh.planned(world)
    _words(world, "School is better now")
    f.sign_in(client, world.manager)
    response = client.post(
        _url("earlyhelp:close", episode),
        {**_date("closure_date", timezone.localdate()), "outcome": "NEEDS_MET", "note": "Goals met"},
    )
    assert response.status_code == 302
    episode.refresh_from_db()
    assert episode.status == "CLOSED" and not VoiceLink.objects.exists()
