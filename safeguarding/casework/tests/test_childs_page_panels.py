"""The social care and oversight panels on the child's page read the child's episodes once (ADR 0028)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safeguarding.casework import services
from tests import factories as f

from . import factories as cf

pytestmark = pytest.mark.django_db


def _close(world, episode, ago):
    services.close_episode(
        episode=episode,
        principal=cf.principal(world.allocated),
        now=cf.now(),
        closure_date=cf.days_ago(ago),
        reason="RC7",
        backdated_reason="late",
    )


def _page(client, person):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("people:detail", kwargs={"public_id": person.public_id}))
    assert response.status_code == 200
    return response.content.decode(), [q["sql"] for q in captured.captured_queries]


def test_both_panels_share_one_read_of_the_episodes_however_many_there_are(client, world):
    for ago, closed_ago in ((400, 390), (200, 190)):
        _close(world, cf.referral(world, ago=ago), closed_ago)
    cf.referral(world, ago=10)
    cf.referral(world, ago=5, person=world.sibling)
    f.involve(world.sibling, user=world.allocated, created_by=world.manager)
    f.sign_in(client, world.allocated)
    _page(client, world.child)  # warm the session
    many_html, many = _page(client, world.child)
    one_html, one = _page(client, world.sibling)
    assert len(many) == len(one)
    assert sum('FROM "casework_episode"' in sql for sql in many) == 1
    # Social care: the latest referral and the one before it (a re-referral within 12 months).
    assert "Re-referral" in many_html and "Re-referral" not in one_html
    # Oversight: the open episode, with its worker, for both children.
    for html in (many_html, one_html):
        assert 'id="oversight"' in html and world.allocated.get_full_name() in html


def test_oversight_shows_the_episode_closed_last_when_none_is_open(client, world):
    _close(world, cf.referral(world, ago=400), 390)
    latest = cf.referral(world, ago=200)
    _close(world, latest, 190)
    f.involve(world.child, user=world.allocated, created_by=world.manager)
    f.sign_in(client, world.allocated)
    html, _queries = _page(client, world.child)
    closed_on = cf.days_ago(190)
    assert f"(episode closed {closed_on:%-d %b %Y})" in html
    assert reverse("oversight:episode", args=[world.child.public_id, latest.public_id]) in html
