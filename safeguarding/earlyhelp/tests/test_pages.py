"""The early help pages as users meet them: who may see and record, error messages, escaping, query counts."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safeguarding.audit.models import AuditEvent
from safeguarding.chronology.models import ChronologyEntry
from safeguarding.earlyhelp import services
from safeguarding.earlyhelp.models import EarlyHelpConsent, EarlyHelpEpisode
from tests import factories as f

from . import factories as eh

XSS = '<script>alert("x")</script>'


def text(response) -> str:
    return html.unescape(response.content.decode())


def _url(name, episode, **extra):
    return reverse(name, kwargs={"public_id": episode.person.public_id, "episode": episode.public_id, **extra})


def _date(prefix, day):
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("other_la", 404),
        ("outsider", 404),
        ("other_team", 403),
        ("auditor", 403),
        ("admin", 403),
        ("health_other", 403),
    ],
)
def test_those_without_a_reason_cannot_see_early_help(client, world, persona, status):
    episode = eh.planned(world)
    user = world.personas()[persona]
    f.sign_in(client, user)
    response = client.get(_url("earlyhelp:episode", episode))
    assert response.status_code == status
    assert b"Help with routines" not in response.content
    assert AuditEvent.objects.filter(actor=user, outcome="DENIED").exists()


def test_involved_health_can_read_early_help_but_not_record_it(client, world):
    episode = eh.offered(world)
    f.sign_in(client, world.health)
    page = client.get(_url("earlyhelp:episode", episode))
    assert page.status_code == 200 and "Help with routines" in text(page)
    assert "Record the family's consent" not in text(page)  # no actions offered
    day = eh.now().date()
    response = client.post(
        _url("earlyhelp:consent", episode),
        {"decision": "GIVEN", "by_whom": "Testparent", "relationship": "PARENT", **_date("decided_on", day)},
    )
    assert response.status_code == 403
    assert not EarlyHelpConsent.objects.exists()
    assert AuditEvent.objects.filter(actor=world.health, outcome="DENIED", basis="no-capability").exists()


def test_other_personas_cannot_record_a_step(client, world):
    episode = eh.offered(world)
    for persona in ("other_la", "outsider", "other_team", "auditor", "health_other"):
        f.sign_in(client, world.personas()[persona])
        response = client.post(
            _url("earlyhelp:close", episode), {"outcome": "NEEDS_MET", **_date("closure_date", eh.now().date())}
        )
        assert response.status_code in (403, 404)
    assert EarlyHelpEpisode.objects.get(pk=episode.pk).is_open


def test_the_assessment_page_says_consent_comes_first(client, world):
    episode = eh.offered(world)
    f.sign_in(client, world.manager)
    page = client.get(_url("earlyhelp:episode", episode))
    assert "The assessment cannot start without it: early help is voluntary" in text(page)
    response = client.post(_url("earlyhelp:assessment-start", episode), _date("started_on", eh.now().date()))
    assert response.status_code == 400
    assert "cannot start without the family's consent: early help is voluntary" in text(response)
    assert EarlyHelpEpisode.objects.get(pk=episode.pk).status == "OFFERED"


def test_a_step_not_allowed_now_says_why_instead_of_showing_the_form(client, world):
    episode = eh.offered(world)
    f.sign_in(client, world.manager)
    response = client.get(_url("earlyhelp:review", episode))
    assert response.status_code == 200
    assert "You cannot record a review while the early help is at" in text(response)
    assert "Record review</button>" not in text(response)


def test_bad_input_shows_the_error_summary_and_changes_nothing(client, world):
    episode = eh.offered(world)
    f.sign_in(client, world.manager)
    chronology = ChronologyEntry.objects.count()
    audit = AuditEvent.objects.exclude(outcome="ALLOWED", action__endswith=".form").count()
    future = eh.now().date() + dt.timedelta(days=3)
    response = client.post(_url("earlyhelp:consent", episode), {"decision": "MAYBE", **_date("decided_on", future)})
    assert response.status_code == 400
    page = text(response)
    assert "There is a problem" in page
    assert "Select whether the family agreed" in page
    assert "Enter the name of the person who decided" in page
    assert "cannot be in the future" in page
    old = eh.now().date() - dt.timedelta(days=10)
    response = client.post(
        _url("earlyhelp:consent", episode),
        {"decision": "GIVEN", "by_whom": "Testparent", "relationship": "PARENT", **_date("decided_on", old)},
    )
    assert "Say why this is being recorded more than a day after the family decided" in text(response)
    assert not EarlyHelpConsent.objects.exists()
    assert ChronologyEntry.objects.count() == chronology
    assert AuditEvent.objects.exclude(outcome="ALLOWED", action__endswith=".form").count() == audit


def test_a_whole_early_help_through_the_pages(client, world, eh_worker):
    f.sign_in(client, world.manager)
    day = eh.now().date()
    response = client.post(
        reverse("earlyhelp:offer", kwargs={"public_id": world.child.public_id}),
        {"reason": "School asked for help with attendance", **_date("offered_on", day)},
    )
    assert response.status_code == 302
    episode = EarlyHelpEpisode.objects.get(person=world.child)
    steps = [
        (
            "earlyhelp:consent",
            {
                "decision": "GIVEN",
                "by_whom": "Testparent Example",
                "relationship": "PARENT",
                **_date("decided_on", day),
            },
        ),
        ("earlyhelp:lead", {"user": eh_worker.pk, "role": "Family support worker", **_date("started_on", day)}),
        (
            "earlyhelp:member-add",
            {
                "name": "Nurse Testname",
                "organisation_name": "Northbridge Primary",
                "role": "School nurse",
                **_date("joined_on", day),
            },
        ),
        ("earlyhelp:assessment-start", _date("started_on", day)),
        (
            "earlyhelp:assessment-complete",
            {
                "strengths": "Close to gran",
                "needs": "Routines",
                "child_view": "I like school",
                **_date("completed_on", day),
            },
        ),
        (
            "earlyhelp:plan-start",
            {
                "change": "On time every day",
                "who": "Parent",
                **_date("due_on", day + dt.timedelta(days=60)),
                **_date("started_on", day),
                **_date("first_review_on", day + dt.timedelta(days=30)),
            },
        ),
    ]
    for name, data in steps:
        response = client.post(_url(name, episode), data)
        assert response.status_code == 302, (name, text(response)[:3000])
    outcome = episode.plan.outcomes.get()
    response = client.post(
        _url("earlyhelp:review", episode),
        {
            f"rag_{outcome.pk}": "AMBER",
            f"note_{outcome.pk}": "Better",
            **_date("held_on", day),
            **_date("next_review_on", day + dt.timedelta(days=28)),
        },
    )
    assert response.status_code == 302
    page = text(client.get(_url("earlyhelp:episode", episode)))
    for shown in (
        "Ellie Earlyhelp",
        "Nurse Testname",
        "On time every day",
        "Some progress",
        "I like school",
        "Consent given",
    ):
        assert shown in page
    response = client.post(
        _url("earlyhelp:close", episode),
        {"outcome": "NEEDS_MET", "note": "Attendance 98%", **_date("closure_date", day)},
    )
    assert response.status_code == 302
    episode.refresh_from_db()
    assert episode.status == "CLOSED"


def test_free_text_is_escaped_everywhere_it_is_shown(client, world):
    principal = f.principal_for(world.manager)
    episode = services.offer_early_help(
        person=world.child, principal=principal, now=eh.now(), offered_on=eh.now().date(), reason=XSS, team=world.team_a
    )
    services.record_consent(
        episode=episode,
        principal=principal,
        now=eh.now(),
        decision="GIVEN",
        by_whom=XSS,
        relationship="PARENT",
        decided_on=eh.now().date(),
        note=XSS,
    )
    services.add_taf_member(
        episode=episode,
        principal=principal,
        now=eh.now(),
        joined_on=eh.now().date(),
        role=XSS,
        name=XSS,
        organisation_name=XSS,
    )
    f.sign_in(client, world.manager)
    for url in (
        _url("earlyhelp:episode", episode),
        reverse("earlyhelp:list"),
        reverse("people:detail", kwargs={"public_id": world.child.public_id}),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert XSS.encode() not in response.content
    assert b"&lt;script&gt;" in client.get(_url("earlyhelp:episode", episode)).content


def test_the_childs_page_shows_early_help(client, world):
    episode = eh.planned(world)
    f.sign_in(client, world.allocated)
    page = text(client.get(reverse("people:detail", kwargs={"public_id": world.child.public_id})))
    assert 'id="early-help"' in page
    assert "Early help plan" in page
    assert _url("earlyhelp:episode", episode) in page


def test_the_list_shows_my_teams_early_help_and_reviews_due(client, world):
    episode = eh.planned(world)
    services.record_review(
        episode=episode,
        principal=f.principal_for(world.manager),
        now=eh.now(),
        held_on=eh.now().date(),
        progress={o.pk: ("RED", "") for o in episode.plan.outcomes.all()},
        next_review_on=eh.now().date() + dt.timedelta(days=7),
    )
    f.sign_in(client, world.allocated)
    page = text(client.get(reverse("earlyhelp:list")))
    assert "Your team's early help" in page and "Testchild Example" in page
    assert "Reviews due in the next two weeks or overdue" in page
    listed = AuditEvent.objects.filter(actor=world.allocated, action="earlyhelp.list").latest("id")
    assert listed.details["shown"] == [str(world.child.public_id)]
    f.sign_in(client, world.other_team)
    assert "Testchild Example" not in text(client.get(reverse("earlyhelp:list")))


def _grow(world, episode, n):
    principal = f.principal_for(world.manager)
    for i in range(n):
        eh.member(world, episode)
        services.add_outcome(
            episode=episode, principal=principal, now=eh.now(), change=f"Change {i}", due_on=eh.now().date(), who="Us"
        )
    services.record_review(
        episode=episode,
        principal=principal,
        now=eh.now(),
        held_on=eh.now().date(),
        progress={o.pk: ("GREEN", "") for o in episode.plan.outcomes.all()},
        next_review_on=None,
    )


def _queries(client, url):
    """Queries of the page itself: session bookkeeping savepoints are not the page's."""
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len([q for q in captured.captured_queries if "SAVEPOINT" not in q["sql"]])


def test_the_episode_page_and_list_make_a_constant_number_of_queries(client, world):
    episode = eh.planned(world)
    _grow(world, episode, 1)
    f.sign_in(client, world.manager)
    url, list_url = _url("earlyhelp:episode", episode), reverse("earlyhelp:list")
    before, list_before = _queries(client, url), _queries(client, list_url)
    _grow(world, episode, 3)
    eh.offered(world, person=world.sibling)
    assert _queries(client, url) == before
    assert _queries(client, list_url) == list_before


def test_a_review_asks_for_every_outcomes_progress_afresh(client, world):
    episode = eh.planned(world)
    outcome = episode.plan.outcomes.get()
    services.record_review(
        episode=episode,
        principal=f.principal_for(world.manager),
        now=eh.now(),
        held_on=eh.now().date(),
        progress={outcome.pk: ("GREEN", "")},
        next_review_on=eh.now().date() + dt.timedelta(days=20),
    )
    f.sign_in(client, world.manager)
    form = client.get(_url("earlyhelp:review", episode))
    assert b"checked" not in form.content  # last time's rating is not carried over silently
    response = client.post(_url("earlyhelp:review", episode), _date("held_on", eh.now().date()))
    assert response.status_code == 400
    page = text(response)
    assert "Select the progress on 'Testchild gets to school on time every day'" in page
    assert "Enter when the next review will be" in page
    assert episode.reviews.count() == 1
