"""Step-up to children's social care and step-down from it, carrying the history across both ways."""

from __future__ import annotations

import html

from django.urls import reverse

from safeguarding.audit.models import AuditEvent
from safeguarding.casework.models import Episode
from safeguarding.chronology.models import ChronologyEntry
from safeguarding.earlyhelp import services
from safeguarding.earlyhelp.models import EarlyHelpEpisode
from tests import factories as f

from . import factories as eh


def text(response) -> str:
    """The page as a user reads it (entities decoded)."""
    return html.unescape(response.content.decode())


def test_stepping_up_makes_an_early_help_referral_and_ends_early_help(world):
    episode = eh.planned(world)
    referral = services.step_up(
        episode=episode,
        principal=f.principal_for(world.manager),
        now=eh.now(),
        stepped_up_on=eh.now().date(),
        reason="Bruising seen at school",
        team=world.team_a,
    )
    episode.refresh_from_db()
    assert referral.referral_source == "5D"  # CIN census: local authority, early help
    assert (episode.status, episode.closure_outcome, episode.stepped_up_to) == ("STEPPED_UP", "STEPPED_UP", referral)
    categories = set(ChronologyEntry.objects.filter(person=world.child).values_list("category", "summary"))
    assert ("Early help", "Early help stepped up to children's social care: Bruising seen at school") in categories
    assert any("Stepped up from early help: Bruising seen at school" in s for _c, s in categories if _c != "Early help")


def test_a_step_up_refused_by_social_care_changes_nothing(client, world):
    episode = eh.planned(world)
    eh.stepped_down(world, person=world.sibling)  # unrelated history is untouched
    principal = f.principal_for(world.manager)
    from safeguarding.casework import services as casework

    casework.open_referral(
        person=world.child,
        principal=principal,
        now=eh.now(),
        referral_date=eh.now().date(),
        referral_source="6",
        team=world.team_a,
    )
    f.sign_in(client, world.manager)
    url = reverse("earlyhelp:step-up", kwargs={"public_id": world.child.public_id, "episode": episode.public_id})
    day = eh.now().date()
    response = client.post(
        url,
        {
            "reason": "Worse",
            "team": world.team_a.pk,
            "stepped_up_on_0": day.day,
            "stepped_up_on_1": day.month,
            "stepped_up_on_2": day.year,
        },
    )
    assert response.status_code == 400
    assert b"already has an open episode" in response.content
    episode.refresh_from_db()
    assert episode.is_open and episode.stepped_up_to is None
    assert Episode.objects.filter(person=world.child).count() == 1


def test_step_downs_awaiting_pick_up_are_listed_for_early_help_and_audited(client, world, eh_worker):
    closed = eh.stepped_down(world)
    f.sign_in(client, eh_worker)
    response = client.get(reverse("earlyhelp:list"))
    assert response.status_code == 200
    assert "Step-downs from children's social care" in text(response)
    assert "Testchild Example" in text(response)
    listed = AuditEvent.objects.filter(actor=eh_worker, action="earlyhelp.list").latest("id")
    assert str(world.child.public_id) in listed.details["shown"]
    # Starting early help links the social care episode and gives the practitioner's team access.
    response = client.post(reverse("earlyhelp:step-down", kwargs={"casework_episode": closed.public_id}))
    episode = EarlyHelpEpisode.objects.get(person=world.child)
    assert response.status_code == 302
    assert episode.stepped_down_from == closed and episode.team.name == "Early Help North"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Stepped down from children's social care: referral of" in text(page)
    assert "needs can be met by early help" in text(page).lower()
    # The chronology shows both sides: social care's closure and early help's offer.
    summaries = list(ChronologyEntry.objects.filter(person=world.child).values_list("category", "summary"))
    assert any(c == "Early help" and "stepped down from children's social care" in s for c, s in summaries)
    assert any(c != "Early help" and ("RC9" in s or "early help" in s.lower()) for c, s in summaries)
    # Once picked up it is no longer waiting.
    again = client.get(reverse("earlyhelp:list"))
    assert b"No step-downs from social care are waiting" in again.content


def test_a_step_down_cannot_be_picked_up_twice_or_by_other_authorities(client, world, eh_worker):
    closed = eh.stepped_down(world)
    f.sign_in(client, world.other_la_worker)
    response = client.post(reverse("earlyhelp:step-down", kwargs={"casework_episode": closed.public_id}))
    assert response.status_code == 404
    assert AuditEvent.objects.filter(
        actor=world.other_la_worker, action="earlyhelp.step-down", outcome="DENIED"
    ).exists()
    f.sign_in(client, eh_worker)
    client.post(reverse("earlyhelp:step-down", kwargs={"casework_episode": closed.public_id}))
    client.post(reverse("earlyhelp:step-down", kwargs={"casework_episode": closed.public_id}))
    assert EarlyHelpEpisode.objects.filter(stepped_down_from=closed).count() == 1


def test_only_an_rc9_closure_can_be_stepped_down(world):
    closed = eh.stepped_down(world)
    Episode.objects.filter(pk=closed.pk).update(closure_reason="RC8")
    closed.refresh_from_db()
    import pytest

    with pytest.raises(services.StepRefused, match="RC9"):
        services.offer_early_help(
            person=world.child,
            principal=f.principal_for(world.manager),
            now=eh.now(),
            offered_on=eh.now().date(),
            reason="x",
            stepped_down_from=closed,
        )


def test_an_offer_from_the_front_door_waits_for_an_early_help_team(client, world, eh_worker):
    offer = services.offer_early_help(
        person=world.child,
        principal=f.principal_for(world.manager),
        now=eh.now(),
        offered_on=eh.now().date(),
        reason="Decided at the front door",
    )
    f.sign_in(client, eh_worker)
    url = reverse("earlyhelp:episode", kwargs={"public_id": world.child.public_id, "episode": offer.public_id})
    assert client.get(url).status_code == 403  # not involved yet
    listing = client.get(reverse("earlyhelp:list"))
    assert b"Offers from the front door" in listing.content and b"Testchild Example" in listing.content
    response = client.post(reverse("earlyhelp:pick-up", kwargs={"episode": offer.public_id}))
    assert response.status_code == 302
    assert client.get(url).status_code == 200
    offer.refresh_from_db()
    assert offer.team.name == "Early Help North"
    assert AuditEvent.objects.filter(actor=eh_worker, action="earlyhelp.picked-up", person=world.child).exists()


def test_a_role_without_early_help_cannot_pick_up(client, world):
    offer = services.offer_early_help(
        person=world.child,
        principal=f.principal_for(world.manager),
        now=eh.now(),
        offered_on=eh.now().date(),
        reason="Decided at the front door",
    )
    for user in (world.health_other, world.auditor, world.outsider):
        f.sign_in(client, user)
        assert client.post(reverse("earlyhelp:pick-up", kwargs={"episode": offer.public_id})).status_code == 404
    offer.refresh_from_db()
    assert offer.team is None
