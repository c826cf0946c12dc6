"""Script stored in any free-text field reaches the child's page, search results and family tree only escaped."""

from __future__ import annotations

import datetime as dt
from xml.etree import ElementTree

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from safeguarding.chronology.models import ChronologyEntry
from safeguarding.people.models import Address, PersonName, Relationship
from tests import factories as f

ATTRIBUTE_BREAKER = '"><svg onload=alert(1)>'
SCRIPT = "<script>alert(1)</script>"
PAYLOADS = [ATTRIBUTE_BREAKER, SCRIPT, "'><img src=x onerror=alert(1)>", "javascript:alert(1)//"]
DANGEROUS = ["<svg onload", "<script>alert", "<img src=x", "onerror=alert(1)>"]


@pytest.fixture
def poisoned(world):
    child = world.child
    child.given_name, child.family_name = ATTRIBUTE_BREAKER, SCRIPT
    child.gender, child.first_language = SCRIPT, ATTRIBUTE_BREAKER
    child.date_of_birth = dt.date(2016, 2, 29)
    child.save()
    Address.objects.create(person=child, line_1=ATTRIBUTE_BREAKER, line_2=SCRIPT, town=PAYLOADS[2], postcode="NB1 1AA")
    PersonName.objects.create(person=child, kind="ALIAS", given_name=SCRIPT, family_name=PAYLOADS[2])
    relative = f.make_person(world.la, given_name=PAYLOADS[2], family_name=ATTRIBUTE_BREAKER, kind="ADULT", sex="F")
    Relationship.objects.create(from_person=relative, to_person=child, type="CARER", description=SCRIPT)
    Relationship.objects.create(from_person=world.parent, to_person=child, type="PARENT", description=PAYLOADS[3])
    ChronologyEntry.objects.create(
        person=child,
        occurred_on=dt.date(2024, 1, 1),
        recorded_at=timezone.now(),
        category=SCRIPT,
        summary=ATTRIBUTE_BREAKER + SCRIPT,
        impact=PAYLOADS[2],
        source_type="test",
        source_id="1",
    )
    return child


def assert_only_escaped(content: bytes, *expected: str) -> None:
    html = content.decode()
    for dangerous in DANGEROUS:
        assert dangerous not in html, dangerous
    for payload in expected:
        assert payload not in html, payload
        assert escape(payload) in html, payload


def test_the_childs_page_shows_stored_script_only_escaped(client, world, poisoned):
    f.sign_in(client, world.allocated)
    response = client.get(reverse("people:detail", kwargs={"public_id": poisoned.public_id}))
    assert response.status_code == 200
    assert_only_escaped(response.content, ATTRIBUTE_BREAKER, SCRIPT, PAYLOADS[2], ATTRIBUTE_BREAKER + SCRIPT)
    assert escape(PAYLOADS[3]) in response.content.decode()  # as text, never as a link
    assert 'href="javascript:' not in response.content.decode()


def test_the_full_chronology_shows_stored_script_only_escaped(client, world, poisoned):
    f.sign_in(client, world.allocated)
    response = client.get(reverse("chronology:events", kwargs={"public_id": poisoned.public_id}))
    assert_only_escaped(response.content, ATTRIBUTE_BREAKER + SCRIPT, PAYLOADS[2])


def test_search_results_show_stored_script_only_escaped(client, world, poisoned):
    for persona in ("allocated", "other_team"):  # a row that opens, and one that does not
        f.sign_in(client, world.personas()[persona])
        response = client.get(
            reverse("people:search"), {"date_of_birth_0": "29", "date_of_birth_1": "2", "date_of_birth_2": "2016"}
        )
        assert response.status_code == 200
        assert_only_escaped(response.content, f"{ATTRIBUTE_BREAKER} {SCRIPT}")


def test_a_name_searched_for_is_shown_back_only_escaped(client, world):
    f.sign_in(client, world.allocated)
    response = client.get(reverse("people:search"), {"name": ATTRIBUTE_BREAKER, "postcode": SCRIPT})
    assert_only_escaped(response.content, ATTRIBUTE_BREAKER)


def test_the_family_tree_image_shows_stored_script_only_escaped(client, world, poisoned):
    f.sign_in(client, world.allocated)
    response = client.get(reverse("people:genogram-svg", kwargs={"public_id": poisoned.public_id}))
    assert response.status_code == 200
    assert_only_escaped(response.content, f"{ATTRIBUTE_BREAKER} {SCRIPT}", SCRIPT)
    body = response.content.decode()
    assert escape(f"{PAYLOADS[2]} {ATTRIBUTE_BREAKER}") in body  # the carer's full name, in their tooltip
    # It is well-formed XML with one <svg>, no script and no event-handler attribute anywhere.
    root = ElementTree.fromstring(body)  # noqa: S314 - our own response, parsed in a test
    elements = list(root.iter())
    assert sum(e.tag.endswith("}svg") for e in elements) == 1
    assert not [e.tag for e in elements if e.tag.endswith(("}script", "}foreignObject", "}a"))]
    assert not [name for e in elements for name in e.attrib if name.lower().startswith("on")]
