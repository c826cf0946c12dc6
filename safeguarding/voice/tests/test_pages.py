"""The child's voice page, the pages that record their words and visits, and the panel on the child's page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from safeguarding.audit.models import AuditEvent
from safeguarding.chronology.models import ChronologyEntry
from safeguarding.voice import services
from safeguarding.voice.models import Visit, VoiceEntry
from tests import factories as f

pytestmark = pytest.mark.django_db

ROUTES = ["voice:person", "voice:record", "voice:visit-new"]
XSS = '<script>alert("x")</script>'


def _url(name, world):
    return reverse(name, kwargs={"public_id": world.child.public_id})


def _today():
    return timezone.localdate()


def _date(prefix, day):
    return {f"{prefix}_0": str(day.day), f"{prefix}_1": str(day.month), f"{prefix}_2": str(day.year)}


@pytest.mark.parametrize("name", ROUTES)
@pytest.mark.parametrize(
    ("persona", "status"),
    [("other_la", 404), ("outsider", 404), ("other_team", 403), ("health_other", 403), ("auditor", 403)],
)
def test_those_without_a_reason_to_see_the_child_are_refused_and_audited(client, world, say, name, persona, status):
    say(worries="Secret worry")
    user = world.personas()[persona]
    f.sign_in(client, user)
    response = client.get(_url(name, world))
    assert response.status_code == status
    assert b"Secret worry" not in response.content
    assert AuditEvent.objects.filter(actor=user, outcome="DENIED").exists()


@pytest.mark.parametrize("name", ["voice:record", "voice:visit-new"])
def test_a_health_partner_may_read_the_voice_but_not_record_it(client, world, name):
    f.sign_in(client, world.health)
    assert client.get(_url("voice:person", world)).status_code == 200
    response = client.post(
        _url(name, world), {"gathered": "OWN_WORDS", "words": "hi", **_date("recorded_on", _today())}
    )
    assert response.status_code == 403
    assert b"cannot record" in response.content
    assert not VoiceEntry.objects.exists() and not Visit.objects.exists()
    assert AuditEvent.objects.filter(actor=world.health, outcome="DENIED", basis="no-capability").exists()


def test_the_voice_page_shows_every_entry_newest_first_with_what_each_informed(client, world, say):
    today = _today()
    old = say(worries="Old worry", recorded_on=today - dt.timedelta(days=30), backdated_reason="Typed up late")
    say(good_things="My new bike")
    services.link_voice(
        entries=[old], target=world.child, principal=f.principal_for(world.allocated), now=timezone.now()
    )
    f.sign_in(client, world.allocated)
    response = client.get(_url("voice:person", world))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("My new bike") < html.index("Old worry")
    assert "This informed:" in html and "Recorded later" in html and "Typed up late" in html
    assert AuditEvent.objects.filter(actor=world.allocated, action="voice.view", person=world.child).exists()


def test_recording_the_childs_words(client, world):
    f.sign_in(client, world.allocated)
    data = {"gathered": "DRAWN_OR_WRITTEN", "wishes": "A dog called Biscuit", **_date("recorded_on", _today())}
    response = client.post(_url("voice:record", world), data)
    assert response.status_code == 302 and response["Location"] == _url("voice:person", world)
    entry = VoiceEntry.objects.get()
    assert entry.wishes == "A dog called Biscuit" and entry.recorded_by == world.allocated
    assert ChronologyEntry.objects.filter(source_type="voice.voiceentry", person=world.child).exists()
    page = client.get(_url("voice:person", world)).content.decode()
    assert "A dog called Biscuit" in page and "drawn or written by the child" in page.lower()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"gathered": "OWN_WORDS"}, "in at least one box"),
        ({"words": "hello"}, "Select how their views were gathered"),
        ({"gathered": "OWN_WORDS", "words": "hi", "recorded_on_0": ""}, "must include a day, month and year"),
        (
            {"gathered": "OWN_WORDS", "words": "hi", "recorded_on_0": "", "recorded_on_1": "", "recorded_on_2": ""},
            "Enter when the child gave their views",
        ),
        ({"gathered": "OWN_WORDS", "words": "hi", "future": 1}, "cannot be in the future"),
        ({"gathered": "OWN_WORDS", "words": "hi", "past": 10}, "more than a day after"),
    ],
)
def test_bad_voice_input_is_explained_and_changes_nothing(client, world, data, message):
    day = _today() + dt.timedelta(days=data.pop("future", 0)) - dt.timedelta(days=data.pop("past", 0))
    f.sign_in(client, world.allocated)
    response = client.post(_url("voice:record", world), _date("recorded_on", day) | data)
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode() and message in response.content.decode()
    assert not VoiceEntry.objects.exists() and not ChronologyEntry.objects.exists()


def test_recording_a_visit_where_the_child_was_seen_alone(client, world):
    f.sign_in(client, world.allocated)
    data = {"place": "SCHOOL", "seen": "ALONE", **_date("visited_on", _today())}
    assert client.post(_url("voice:visit-new", world), data).status_code == 302
    visit = Visit.objects.get()
    assert visit.is_seen and visit.is_seen_alone and visit.place == "SCHOOL"


def test_a_visit_where_the_child_was_not_seen_needs_a_reason_and_is_significant(client, world):
    f.sign_in(client, world.allocated)
    data = {"place": "HOME", "seen": "NOT_SEEN", **_date("visited_on", _today())}
    response = client.post(_url("voice:visit-new", world), data)
    assert response.status_code == 400 and b"Say why the child was not seen" in response.content
    assert not Visit.objects.exists()
    assert client.post(_url("voice:visit-new", world), data | {"not_seen_reason": "Nobody home"}).status_code == 302
    entry = ChronologyEntry.objects.get(source_type="voice.visit")
    assert entry.significance == "SIGNIFICANT" and "Nobody home" in entry.impact


def test_the_childs_voice_is_shown_first_on_the_childs_page(client, world, say, visit):
    say(worries="Older words", recorded_on=_today() - dt.timedelta(days=1))
    say(want_to_happen="To stay at my school")
    visit(is_seen=True, is_seen_alone=False)
    f.sign_in(client, world.allocated)
    html = client.get(reverse("people:detail", kwargs={"public_id": world.child.public_id})).content.decode()
    assert html.index('id="voice"') < html.index('id="summary"')
    assert "To stay at my school" in html and "Older words" not in html  # the latest words only
    assert "Seen, not alone" in html and "Not recorded as seen alone" in html


def test_the_panel_offers_recording_only_to_roles_that_may(client, world, say):
    f.sign_in(client, world.health)
    html = client.get(reverse("people:detail", kwargs={"public_id": world.child.public_id})).content.decode()
    assert 'id="voice"' in html and "Record their words" not in html
    f.sign_in(client, world.allocated)
    html = client.get(reverse("people:detail", kwargs={"public_id": world.child.public_id})).content.decode()
    assert "Record their words" in html


def test_the_childs_words_are_escaped_everywhere(client, world, say, visit):
    say(worries=XSS, words=XSS)
    visit(is_seen=False, not_seen_reason=XSS, note=XSS)
    f.sign_in(client, world.allocated)
    for url in (_url("voice:person", world), reverse("people:detail", kwargs={"public_id": world.child.public_id})):
        content = client.get(url).content
        assert XSS.encode() not in content and b"&lt;script&gt;" in content


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_query_counts_do_not_grow_with_the_childs_words(client, world, say, visit):
    principal, now = f.principal_for(world.allocated), timezone.now()
    say()
    visit()
    f.sign_in(client, world.allocated)
    urls = [_url("voice:person", world), reverse("people:detail", kwargs={"public_id": world.child.public_id})]
    before = [_queries(client, url) for url in urls]
    for _ in range(5):
        services.link_voice(entries=[say(), say()], target=world.child, principal=principal, now=now)
        visit(is_seen=False, not_seen_reason="Out")
    assert [_queries(client, url) for url in urls] == before
