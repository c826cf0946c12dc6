"""The front door pages as users see them: record a contact, the contact page and its steps, refusals."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from safeguarding.audit.models import AuditEvent
from safeguarding.casework.models import Episode
from safeguarding.frontdoor.models import Contact, InformationRequest
from tests import factories as f

from .factories import make_contact, make_request

XSS = '<script>alert("x")</script>'
NEW = reverse("frontdoor:contact-new")


def contact_url(contact, name="frontdoor:contact", **extra):
    return reverse(name, kwargs={"public_id": contact.person.public_id, "contact": contact.public_id, **extra})


def minimal(world, **extra):
    return {"child": str(world.child.public_id), "referrer_name": "Pat Teacher", "worries": "Hungry at school", **extra}


def test_a_worker_records_a_contact_with_the_fewest_fields_and_lands_on_it(client, world, mash):
    f.sign_in(client, world.allocated)
    response = client.post(NEW, minimal(world))
    contact = Contact.objects.get()
    assert response.status_code == 302 and response.url == contact_url(contact)
    page = client.get(response.url)
    assert b"Hungry at school" in page.content and b"Awaiting screening" in page.content
    assert AuditEvent.objects.filter(action="contact.person-chosen", actor=world.allocated, outcome="ALLOWED").exists()


def test_the_form_shows_what_is_missing_and_saves_nothing(client, world):
    f.sign_in(client, world.allocated)
    response = client.post(
        NEW, {"child": str(world.child.public_id), "consent": "NOT_SOUGHT", "received_time": "25:99"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "There is a problem" in body
    for message in (
        "Enter the name of the person who raised the concern",
        "Enter what they are worried about",
        "Say why consent to share was not sought",
        "time on the 24-hour clock",
    ):
        assert message in body
    assert not Contact.objects.exists()


def test_a_contact_received_days_ago_needs_a_reason_and_is_shown_as_back_dated(client, world):
    f.sign_in(client, world.allocated)
    old = {"received_on_0": "1", "received_on_1": "1", "received_on_2": "2020"}
    response = client.post(NEW, minimal(world, **old))
    assert response.status_code == 400 and b"say why it is being recorded now" in response.content
    assert not Contact.objects.exists()
    response = client.post(NEW, minimal(world, backdated_reason="Found in the post tray", **old))
    contact = Contact.objects.get()
    page = client.get(contact_url(contact))
    assert b"Back-dated" in page.content and b"Found in the post tray" in page.content


def test_a_future_receipt_is_refused(client, world):
    f.sign_in(client, world.allocated)
    response = client.post(NEW, minimal(world, received_on_0="1", received_on_1="1", received_on_2="2099"))
    assert response.status_code == 400 and b"cannot be in the future" in response.content
    assert not Contact.objects.exists()


def test_free_text_is_escaped_everywhere_it_is_shown(client, world, mash):
    team, officer = mash
    f.sign_in(client, world.manager)
    fields = ("referrer_name", "referrer_role", "referrer_agency", "worries", "going_well", "child_words")
    client.post(NEW, minimal(world, **{name: f"{name} {XSS}" for name in fields}))
    contact = Contact.objects.get()
    make_request(world, contact)
    for url in (
        contact_url(contact),
        contact_url(contact, "frontdoor:contact-decide"),
        reverse("people:detail", kwargs={"public_id": world.child.public_id}),
        reverse("frontdoor:list"),
    ):
        body = client.get(url).content.decode()
        assert XSS not in body, url
    assert "&lt;script&gt;" in client.get(contact_url(contact)).content.decode()


@pytest.mark.parametrize(("persona", "status"), [("other_la", 404), ("other_team", 403), ("health_other", 403)])
def test_those_who_cannot_open_the_child_cannot_choose_them_for_a_contact(client, world, persona, status):
    user = world.personas()[persona]
    f.sign_in(client, user)
    assert client.get(NEW, {"child": str(world.child.public_id)}).status_code == status
    response = client.post(NEW, minimal(world))
    assert response.status_code == status and b"Testchild" not in response.content
    assert not Contact.objects.exists()
    assert AuditEvent.objects.filter(actor=user, action="contact.person-chosen", outcome="DENIED").exists()


@pytest.mark.parametrize("persona", ["auditor", "admin", "outsider"])
def test_roles_that_cannot_record_contacts_are_refused(client, world, persona):
    user = world.personas()[persona]
    f.sign_in(client, user)
    response = client.post(NEW, minimal(world))
    assert response.status_code == 403 and b"Testchild" not in response.content
    assert not Contact.objects.exists()
    assert AuditEvent.objects.filter(actor=user, action="contact.new", outcome="DENIED").exists()


def test_the_front_door_may_choose_a_child_it_is_not_yet_involved_with(client, world, mash):
    team, officer = mash
    stranger = f.make_person(world.la, given_name="Unknownchild", family_name="Example")
    f.sign_in(client, officer)
    found = client.get(NEW, {"find-name": "Unknownchild Example"})
    assert f"?child={stranger.public_id}".encode() in found.content
    response = client.post(NEW, minimal(world, child=str(stranger.public_id)))
    contact = Contact.objects.get(person=stranger)
    assert response.url == contact_url(contact)
    assert client.get(contact_url(contact)).status_code == 200
    chosen = AuditEvent.objects.get(actor=officer, action="contact.person-chosen", person=stranger)
    assert chosen.basis == "front-door"


def test_a_worker_sees_only_the_children_they_may_open_in_the_finder(client, world):
    stranger = f.make_person(world.la, given_name="Unknownchild", family_name="Example")
    f.sign_in(client, world.allocated)
    response = client.get(NEW, {"find-name": "Example"})
    assert str(stranger.public_id).encode() not in response.content
    assert str(world.child.public_id).encode() in response.content
    assert str(world.parent.public_id).encode() not in response.content  # adults are not offered
    assert b"Phone the local authority" in response.content


@pytest.mark.parametrize(
    ("persona", "status"),
    [("other_la", 404), ("outsider", 404), ("other_team", 403), ("health_other", 403), ("auditor", 403)],
)
def test_the_contact_page_and_its_steps_are_refused_to_those_without_a_reason(client, world, persona, status):
    contact = make_contact(world)
    request = make_request(world, contact)
    user = world.personas()[persona]
    f.sign_in(client, user)
    urls = [contact_url(contact)] + [
        contact_url(contact, name)
        for name in ("frontdoor:contact-screen", "frontdoor:information-new", "frontdoor:contact-decide")
    ]
    urls.append(contact_url(contact, "frontdoor:information-answer", request_id=request.public_id))
    for url in urls:
        response = client.get(url)
        assert response.status_code == status, url
        assert b"Testchild" not in response.content and b"hungry" not in response.content
        if url != urls[0]:  # the contact page itself is read-only
            posted = client.post(url, {"rag": "RED", "reason": "x", "decision": "NFA", "rationale": "x", "answer": "x"})
            assert posted.status_code == status
    contact.refresh_from_db()
    assert contact.rag == "" and contact.decision == ""
    assert not InformationRequest.objects.exclude(answer="").exists()
    assert AuditEvent.objects.filter(actor=user, outcome="DENIED").count() >= len(urls)


def test_an_involved_health_professional_reads_the_contact_but_cannot_screen_or_decide(client, world):
    contact = make_contact(world)
    f.sign_in(client, world.health)
    page = client.get(contact_url(contact))
    assert page.status_code == 200 and b"Screen this contact" not in page.content
    for name in ("frontdoor:contact-screen", "frontdoor:contact-decide", "frontdoor:contact-feedback"):
        response = client.post(contact_url(contact, name), {"rag": "RED", "reason": "x"})
        assert response.status_code == 403
    contact.refresh_from_db()
    assert contact.rag == ""
    assert AuditEvent.objects.filter(actor=world.health, action="contact.screen.form", outcome="DENIED").exists()


def test_the_mash_screens_asks_and_records_the_answer_through_the_pages(client, world, mash):
    team, officer = mash
    contact = make_contact(world)
    f.sign_in(client, officer)
    response = client.post(contact_url(contact, "frontdoor:contact-screen"), {"rag": "AMBER", "reason": "Neglect"})
    assert response.status_code == 302
    response = client.post(
        contact_url(contact, "frontdoor:information-new"), {"agency_type": "HEALTH", "question": "Known to you?"}
    )
    request = InformationRequest.objects.get()
    page = client.get(response.url).content.decode()
    assert "Amber" in page and "Awaiting answer" in page and "Record the answer" in page
    response = client.post(
        contact_url(contact, "frontdoor:information-answer", request_id=request.public_id), {"answer": "Seen in May"}
    )
    assert response.status_code == 302
    assert "Seen in May" in client.get(response.url).content.decode()


def test_a_bad_step_shows_its_reason_and_changes_nothing(client, world):
    contact = make_contact(world)
    f.sign_in(client, world.manager)
    response = client.post(contact_url(contact, "frontdoor:contact-screen"), {"rag": "PURPLE", "reason": ""})
    assert response.status_code == 400
    assert b"Select a RAG rating" in response.content and b"Enter the reason for the rating" in response.content
    response = client.post(contact_url(contact, "frontdoor:contact-feedback"), {"feedback": "Told", "method": "PHONE"})
    assert response.status_code == 400 and b"Record the decision first" in response.content
    contact.refresh_from_db()
    assert contact.rag == "" and contact.feedback == ""


def test_a_referral_decision_opens_an_episode_and_asks_for_feedback(client, world):
    contact = make_contact(world, referrer_agency="Northgate Primary School")
    f.sign_in(client, world.manager)
    form = client.get(contact_url(contact, "frontdoor:contact-decide")).content.decode()
    assert '<option value="2A" selected>' in form  # suggested from "school"
    response = client.post(
        contact_url(contact, "frontdoor:contact-decide"),
        {"decision": "REFERRAL", "rationale": "Needs assessment", "referral_source": "2A"},
    )
    assert response.url == contact_url(contact)
    page = client.get(response.url).content.decode()
    assert "Referral to children&#x27;s social care" in page and "has not been told what was decided" in page
    assert Episode.objects.filter(person=world.child).exists()
    client.post(contact_url(contact, "frontdoor:contact-feedback"), {"feedback": "Referred", "method": "EMAIL"})
    assert "Secure email" in client.get(contact_url(contact)).content.decode()


def test_a_strategy_decision_goes_straight_to_recording_the_strategy_discussion(client, world):
    contact = make_contact(world)
    f.sign_in(client, world.manager)
    response = client.post(
        contact_url(contact, "frontdoor:contact-decide"),
        {"decision": "STRATEGY", "rationale": "Bruising", "referral_source": "2A"},
    )
    contact.refresh_from_db()
    expected = reverse(
        "casework:strategy-new", kwargs={"public_id": world.child.public_id, "episode": contact.episode.public_id}
    )
    assert response.url == expected


def test_the_childs_page_lists_their_contacts(client, world):
    make_contact(world, referrer_name="First Referrer")
    f.sign_in(client, world.allocated)
    url = reverse("people:detail", kwargs={"public_id": world.child.public_id})
    body = client.get(url).content.decode()
    assert "Contacts to the front door" in body and "First Referrer" in body and "Record a contact" in body


def test_the_childs_page_query_count_does_not_grow_with_contacts(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    f.sign_in(client, world.allocated)
    url = reverse("people:detail", kwargs={"public_id": world.child.public_id})
    make_contact(world)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(4):
        make_contact(world)
    with CaptureQueriesContext(connection) as five:
        client.get(url)
    assert len(five) == len(one)


def test_the_front_door_cannot_choose_a_restricted_record_it_is_not_named_on(client, world, mash):
    team, officer = mash
    sealed = f.make_person(world.la, given_name="Sealedchild", family_name="Example", is_restricted=True)
    f.sign_in(client, officer)
    response = client.post(NEW, minimal(world, child=str(sealed.public_id)))
    assert response.status_code == 404 and b"Sealedchild" not in response.content
    assert not Contact.objects.exists()


def test_a_contact_about_an_unborn_child_is_recorded(client, world):
    unborn = f.make_person(
        world.la,
        given_name="",
        family_name="Example",
        date_of_birth=None,
        kind="UNBORN",
        expected_due_date=dt.date(2027, 3, 1),
    )
    f.involve(unborn, user=world.allocated)
    f.sign_in(client, world.allocated)
    response = client.post(NEW, minimal(world, child=str(unborn.public_id)))
    assert response.status_code == 302 and Contact.objects.get().person == unborn
