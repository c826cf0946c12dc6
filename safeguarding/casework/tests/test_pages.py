"""The casework pages as the personas see them: who may open, who may record, what is refused
(audited DENIED, nothing changed), what a valid and an invalid form do, and escaping."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safeguarding.audit.models import AuditEvent
from safeguarding.casework import services
from safeguarding.casework.models import Episode, StrategyDiscussion
from safeguarding.chronology.models import ChronologyEntry
from tests import factories as f

from . import factories as cf
from .audit_routes import RECORD_ROUTES

READ_PAGES = {"casework:episode", "casework:conference", "casework:cp-plan", "casework:cin-plan"}
STEP_PAGES = sorted(set(RECORD_ROUTES) - READ_PAGES)
XSS = "<script>alert('x')</script>"


def _url(name, world):
    return reverse(name, kwargs=RECORD_ROUTES[name](world))


@pytest.mark.parametrize("name", sorted(RECORD_ROUTES))
def test_the_allocated_worker_opens_every_page_but_authorisation(client, world, name):
    url = _url(name, world)
    f.sign_in(client, world.allocated)
    response = client.get(url)
    assert response.status_code == (403 if name == "casework:assessment-authorise" else 200)


@pytest.mark.parametrize("name", sorted(READ_PAGES))
def test_an_involved_health_partner_reads_the_episode_but_gets_no_steps(client, world, name):
    url = _url(name, world)
    f.sign_in(client, world.health)
    response = client.get(url)
    assert response.status_code == 200
    assert b"Testchild" in response.content
    assert b"Start an assessment" not in response.content


@pytest.mark.parametrize("name", STEP_PAGES)
def test_a_role_without_casework_is_refused_every_step_and_it_is_audited(client, world, name):
    url = _url(name, world)
    f.sign_in(client, world.health)
    before = (Episode.objects.count(), ChronologyEntry.objects.count())
    response = client.post(url, {"held_on_0": "1", "held_on_1": "1", "held_on_2": "2026"})
    assert response.status_code == 403
    assert AuditEvent.objects.filter(actor=world.health, outcome="DENIED", basis="no-capability").exists()
    assert (Episode.objects.count(), ChronologyEntry.objects.count()) == before


@pytest.mark.parametrize("persona", ["other_team", "health_other", "auditor", "admin"])
def test_those_without_a_reason_cannot_open_the_episode(client, world, persona):
    url = _url("casework:episode", world)
    user = world.personas()[persona]
    f.sign_in(client, user)
    response = client.get(url)
    assert response.status_code in (403, 404)
    assert b"Testchild" not in response.content or b"emergency access" in response.content.lower()
    assert AuditEvent.objects.filter(actor=user, outcome="DENIED").exists()


def test_another_childs_episode_id_is_not_found(client, world):
    episode = cf.referral(world)
    f.sign_in(client, world.allocated)
    url = reverse("casework:episode", kwargs={"public_id": world.sibling.public_id, "episode": episode.public_id})
    f.involve(world.sibling, user=world.allocated)
    assert client.get(url).status_code == 404


def test_a_referral_opens_an_episode_and_shows_it(client, world):
    f.sign_in(client, world.allocated)
    url = reverse("casework:referral-new", kwargs={"public_id": world.child.public_id})
    today = cf.days_ago(0)
    data = {
        "referral_date_0": today.day,
        "referral_date_1": today.month,
        "referral_date_2": today.year,
        "referral_source": "2A",
        "team": world.team_a.pk,
        "worker": world.allocated.pk,
        "summary": XSS,
    }
    response = client.post(url, data)
    episode = Episode.objects.get(person=world.child)
    assert response.status_code == 302 and response["Location"].endswith(str(episode.public_id))
    page = client.get(response["Location"])
    assert b"Referral received" in page.content and b"Start an assessment" in page.content
    entry = ChronologyEntry.objects.get(source_type="casework.episode")
    assert XSS in entry.summary  # stored as typed, escaped when shown
    chronology = client.get(reverse("chronology:events", kwargs={"public_id": world.child.public_id}))
    assert XSS.encode() not in chronology.content and b"&lt;script&gt;" in chronology.content


def test_an_invalid_referral_changes_nothing_and_says_what_to_fix(client, world):
    f.sign_in(client, world.allocated)
    url = reverse("casework:referral-new", kwargs={"public_id": world.child.public_id})
    old = cf.days_ago(5)
    response = client.post(
        url,
        {
            "referral_date_0": old.day,
            "referral_date_1": old.month,
            "referral_date_2": old.year,
            "team": world.team_a.pk,
        },
    )
    assert response.status_code == 400
    assert b"There is a problem" in response.content
    assert b"Choose who made the referral" in response.content
    assert b"Say why this is being recorded more than a day after it happened" in response.content
    assert not Episode.objects.exists()


def test_a_second_referral_while_one_is_open_points_to_the_episode(client, world):
    cf.referral(world)
    f.sign_in(client, world.allocated)
    response = client.get(reverse("casework:referral-new", kwargs={"public_id": world.child.public_id}))
    assert response.status_code == 409
    assert b"already has an open episode" in response.content


def test_a_step_not_allowed_now_is_refused_with_what_is_allowed(client, world):
    episode = cf.referral(world)
    f.sign_in(client, world.allocated)
    url = reverse(
        "casework:conference-initial", kwargs={"public_id": world.child.public_id, "episode": episode.public_id}
    )
    before = ChronologyEntry.objects.count()
    response = client.post(url, {"decision": "PLAN"})
    assert response.status_code == 409
    assert b"You cannot do this now" in response.content and b"Allowed now" in response.content
    assert ChronologyEntry.objects.count() == before


def test_a_strategy_discussion_is_recorded_with_the_childs_words_that_informed_it(client, world):
    from safeguarding.voice import services as voice_services
    from safeguarding.voice.queries import voice_linked_to

    entry = voice_services.record_voice(
        person=world.child,
        principal=cf.principal(world.allocated),
        now=cf.now(),
        recorded_on=cf.days_ago(0),
        gathered="OWN_WORDS" if "OWN_WORDS" in _gathered() else _gathered()[0],
        wishes="I want my dad to stop shouting",
    )
    episode = cf.assessing(world)
    f.sign_in(client, world.allocated)
    url = reverse("casework:strategy-new", kwargs={"public_id": world.child.public_id, "episode": episode.public_id})
    page = client.get(url)
    assert page.content.index(b"In the child") < page.content.index(b"Date of the strategy discussion")
    assert b"I want my dad to stop shouting" in page.content
    today = cf.days_ago(0)
    response = client.post(
        url,
        {
            "held_on_0": today.day,
            "held_on_1": today.month,
            "held_on_2": today.year,
            "agencies": "Police, school",
            "outcome": "S47",
            "rationale": XSS,
            "voice": [str(entry.public_id)],
        },
    )
    assert response.status_code == 302
    discussion = StrategyDiscussion.objects.get(episode=episode)
    assert voice_linked_to(discussion) == [entry]
    shown = client.get(response["Location"])
    assert XSS.encode() not in shown.content


def _gathered():
    from safeguarding.voice.codes import Gathered

    return list(Gathered.values)


def test_the_conference_page_shows_the_childs_words_first(client, world):
    url = _url("casework:conference", world)
    f.sign_in(client, world.allocated)
    content = client.get(url).content
    assert content.index(b"In the child") < content.index(b"The conference's decision")


def test_the_episode_page_shows_what_is_due_and_the_local_maximum(client, world):
    episode = cf.assessing(world, ago=5)
    f.sign_in(client, world.allocated)
    url = reverse("casework:episode", kwargs={"public_id": world.child.public_id, "episode": episode.public_id})
    content = client.get(url).content
    assert b"What is due" in content and b"Single assessment" in content and b"Local maximum" in content
    assert b"Recorded later" in content  # the fixture back-dates its records


def _episode_queries(client, world, episode):
    url = reverse("casework:episode", kwargs={"public_id": world.child.public_id, "episode": episode.public_id})
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_episode_page_query_count_does_not_grow_with_the_record(client, world):
    episode = cf.on_plan(world, ago=100)
    plan = episode.cp_plans.get()
    f.sign_in(client, world.allocated)
    few = _episode_queries(client, world, episode)
    for n in range(5):
        services.hold_core_group(
            plan=plan,
            principal=cf.principal(world.allocated),
            now=cf.now(),
            held_on=cf.days_ago(80 - n),
            progress=f"Meeting {n}",
            backdated_reason="late",
        )
    assert _episode_queries(client, world, episode) == few


def test_the_childs_page_shows_the_episode_and_a_re_referral(client, world):
    first = cf.referral(world, ago=200)
    services.close_episode(
        episode=first,
        principal=cf.principal(world.allocated),
        now=cf.now(),
        closure_date=cf.days_ago(190),
        reason="RC7",
        backdated_reason="late",
    )
    cf.referral(world, ago=10)
    f.sign_in(client, world.allocated)
    content = client.get(reverse("people:detail", kwargs={"public_id": world.child.public_id})).content
    assert b"Children's social care" in content and b"Re-referral" in content and b"Open the episode" in content
    assert b"Refer to children" not in content


def test_the_childs_page_offers_a_referral_when_none_is_open(client, world):
    f.sign_in(client, world.allocated)
    content = client.get(reverse("people:detail", kwargs={"public_id": world.child.public_id})).content
    assert b"Refer to children&#x27;s social care" in content or b"Refer to children's social care" in content


def test_free_text_is_escaped_on_the_episode_conference_and_plan_pages(client, world):
    p = cf.principal(world.allocated)
    episode = cf.referral(world, ago=30)
    services.start_assessment(
        episode=episode,
        principal=p,
        now=cf.now(),
        start_date=cf.days_ago(29),
        timescale_working_days=10,
        timescale_reason=XSS,
        backdated_reason=XSS,
    )
    services.hold_strategy_discussion(
        episode=episode,
        principal=p,
        now=cf.now(),
        held_on=cf.days_ago(28),
        agencies=XSS,
        outcome="S47",
        rationale=XSS,
        backdated_reason="late",
    )
    services.start_section47(
        episode=episode, principal=p, now=cf.now(), start_date=cf.days_ago(28), backdated_reason="late"
    )
    services.complete_section47(
        enquiry=episode.section47s.get(),
        principal=p,
        now=cf.now(),
        completed_on=cf.days_ago(20),
        outcome="ICPC",
        findings=XSS,
        backdated_reason="late",
    )
    conference = services.hold_initial_conference(
        episode=episode,
        principal=p,
        now=cf.now(),
        held_on=cf.days_ago(10),
        decision="PLAN",
        category="NEG",
        rationale=XSS,
        backdated_reason=XSS,
    )
    assert conference.plan is not None
    services.hold_core_group(
        plan=conference.plan, principal=p, now=cf.now(), held_on=cf.days_ago(0), progress=XSS, agencies=XSS
    )
    f.sign_in(client, world.allocated)
    kwargs = {"public_id": world.child.public_id, "episode": episode.public_id}
    pages = [
        reverse("casework:episode", kwargs=kwargs),
        reverse("casework:conference", kwargs={**kwargs, "conference": conference.public_id}),
        reverse("casework:cp-plan", kwargs={**kwargs, "plan": conference.plan.public_id}),
    ]
    for url in pages:
        content = client.get(url).content
        assert XSS.encode() not in content, url
        assert b"&lt;script&gt;" in content, url


def test_a_health_partner_sees_the_social_care_panel_without_a_referral_link(client, world):
    cf.referral(world)
    f.sign_in(client, world.health)
    content = client.get(reverse("people:detail", kwargs={"public_id": world.child.public_id})).content
    assert b"Children's social care" in content and b"Open the episode" in content
    assert b"/referrals/new" not in content


def test_closing_with_a_running_plan_asks_to_end_it_and_links_the_childs_words(client, world):
    from safeguarding.voice import services as voice_services
    from safeguarding.voice.queries import voice_linked_to

    entry = voice_services.record_voice(
        person=world.child,
        principal=cf.principal(world.allocated),
        now=cf.now(),
        recorded_on=cf.days_ago(0),
        gathered=_gathered()[0],
        want_to_happen="I want to live with my aunt",
    )
    episode = cf.assessed(world)
    services.start_cin_plan(
        episode=episode, principal=cf.principal(world.allocated), now=cf.now(), start_date=cf.days_ago(0), outcomes="x"
    )
    f.sign_in(client, world.allocated)
    url = reverse("casework:close", kwargs={"public_id": world.child.public_id, "episode": episode.public_id})
    today = cf.days_ago(0)
    data = {
        "closure_date_0": today.day,
        "closure_date_1": today.month,
        "closure_date_2": today.year,
        "reason": "RC3",
        "voice": [str(entry.public_id)],
    }
    response = client.post(url, data)
    assert response.status_code == 400 and b"tick to end it on the closure date" in response.content
    assert Episode.objects.get(pk=episode.pk).is_open
    response = client.post(url, {**data, "end_open_plans": "on"})
    assert response.status_code == 302
    closed = Episode.objects.get(pk=episode.pk)
    assert closed.closure_reason == "RC3" and closed.cin_plans.get().end_date == today
    assert voice_linked_to(closed) == [entry]


def test_each_error_links_to_the_first_input_of_its_field(client, world):
    episode = cf.conference_due(world)
    f.sign_in(client, world.allocated)
    url = reverse(
        "casework:conference-initial", kwargs={"public_id": world.child.public_id, "episode": episode.public_id}
    )
    content = client.post(url, {"decision": "PLAN"}).content.decode()
    for anchor in ("id_held_on_0", "id_category_0", "id_rationale"):
        assert f'href="#{anchor}"' in content and f'id="{anchor}"' in content, anchor
