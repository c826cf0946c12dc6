"""The front door's reply to a partner referral reaches its submitter (ADR 0025, amendment): one e-mail after the
feedback is committed, saying only that there is a reply to read behind sign-in, and a "New reply" tag on "My
referrals" until the submitter opens the referral. Nobody else is told or sees it."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from safeguarding.audit.models import AuditEvent
from safeguarding.frontdoor import services
from safeguarding.frontdoor.models import Contact, PartnerReferral
from safeguarding.people.identifiers import format_nhs_number, synthetic_nhs_number
from tests import factories as f

from .factories import make_contact, make_referral, make_school_partner

MINE = reverse("frontdoor:referrals")
SITE = "https://osg.example.invalid"
FEEDBACK = "Thank you. A social worker will visit the family this week."
NHS = synthetic_nhs_number(7)
NEW_REPLY = ">New reply</strong>"  # the tag, not the page's explanation of it


def mine(referral):
    return reverse("frontdoor:referral", kwargs={"referral": referral.public_id})


def feedback_page(contact):
    return reverse(
        "frontdoor:contact-feedback", kwargs={"public_id": contact.person.public_id, "contact": contact.public_id}
    )


def decided(world, contact):
    """Screened and decided by the team manager: the step before feedback."""
    manager, now = f.principal_for(world.manager), timezone.now()
    services.screen_contact(contact=contact, principal=manager, now=now, rag="AMBER", reason="Bruising")
    services.decide_contact(contact=contact, principal=manager, now=now, decision="ADVICE", rationale="Advice")
    return contact


def referred_and_decided(world, *, email="dee.lead@school.example.invalid"):
    dsl = make_school_partner(world)
    dsl.email = email
    dsl.save(update_fields=["email"])
    referral = make_referral(world, by=dsl, child_nhs_number=NHS)
    contact = services.accept_referral(
        referral=referral, person=world.child, principal=f.principal_for(world.manager), now=timezone.now()
    )
    return dsl, referral, decided(world, contact)


def record_feedback(world, contact, by=None):
    return services.record_feedback(
        contact=contact,
        principal=f.principal_for(by or world.manager),
        now=timezone.now(),
        feedback=FEEDBACK,
        method="PHONE",
    )


def feedback_audit(contact):
    return AuditEvent.objects.get(action="contact.feedback-sent", details__contact=str(contact.public_id))


# The e-mail


def test_the_submitter_is_emailed_once_after_commit_with_no_personal_data(
    world, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = SITE
    dsl, referral, contact = referred_and_decided(world)
    with django_capture_on_commit_callbacks() as callbacks:
        record_feedback(world, contact)
        assert mail.outbox == []  # nothing leaves before the feedback is committed
    assert len(callbacks) == 1
    callbacks[0]()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [dsl.email] and message.cc == [] and message.bcc == []
    assert "replied to a referral you made" in message.body and f"{SITE}{MINE}" in message.body
    sent = f"{message.subject}\n{message.body}"
    for secret in (
        world.child.given_name,
        world.child.family_name,
        NHS,
        format_nhs_number(NHS),
        FEEDBACK,
        "visit the family",
        str(referral.public_id),
        str(world.child.public_id),
    ):
        assert secret not in sent, secret
    assert feedback_audit(contact).details["submitter_emailed"] == "True"


def test_recording_feedback_twice_is_refused_and_sends_nothing_more(world, django_capture_on_commit_callbacks):
    dsl, referral, contact = referred_and_decided(world)
    stale = Contact.objects.get(pk=contact.pk)  # a second tab, opened before the first feedback was saved
    with django_capture_on_commit_callbacks(execute=True):
        record_feedback(world, contact)
    assert len(mail.outbox) == 1
    for copy in (contact, stale):
        with (
            django_capture_on_commit_callbacks(execute=True) as callbacks,
            pytest.raises(services.ContactRefused, match="already been recorded"),
        ):
            record_feedback(world, copy)
        assert callbacks == []
    assert len(mail.outbox) == 1
    assert Contact.objects.get(pk=contact.pk).feedback == FEEDBACK


def test_the_mash_recording_feedback_twice_on_the_page_is_refused_and_sends_nothing_more(
    client, world, mash, django_capture_on_commit_callbacks
):
    team, officer = mash
    dsl, referral, contact = referred_and_decided(world)
    f.sign_in(client, officer)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(feedback_page(contact), {"feedback": FEEDBACK, "method": "PHONE"})
    assert first.status_code == 302 and len(mail.outbox) == 1 and mail.outbox[0].to == [dsl.email]
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(feedback_page(contact), {"feedback": "Something else", "method": "EMAIL"})
    assert again.status_code == 400 and b"already been recorded" in again.content
    assert len(mail.outbox) == 1 and Contact.objects.get(pk=contact.pk).feedback == FEEDBACK


def test_no_email_for_a_contact_that_did_not_come_from_a_referral(world, django_capture_on_commit_callbacks):
    contact = decided(world, make_contact(world))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        record_feedback(world, contact)
    assert callbacks == [] and mail.outbox == []
    assert "submitter_emailed" not in feedback_audit(contact).details


def test_no_email_for_a_submitter_without_an_email_address(world, django_capture_on_commit_callbacks):
    dsl, referral, contact = referred_and_decided(world, email="")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        record_feedback(world, contact)
    assert callbacks == [] and mail.outbox == []
    assert feedback_audit(contact).details["submitter_emailed"] == "False"


# "New reply" on My referrals


def test_new_reply_shows_until_the_submitter_opens_the_referral(client, world):
    dsl, referral, contact = referred_and_decided(world)
    f.sign_in(client, dsl)
    client.get(mine(referral))  # opened before the feedback: nothing to mark as read yet
    assert NEW_REPLY not in client.get(MINE).content.decode()
    record_feedback(world, contact)
    listed = client.get(MINE).content.decode()
    assert NEW_REPLY in listed and FEEDBACK not in listed

    page = client.get(mine(referral)).content.decode()
    assert FEEDBACK in page
    first = AuditEvent.objects.filter(action="referral.view", actor=dsl).latest("id")
    assert first.details["feedback_shown"] is True and first.details["feedback_first_seen"] is True
    assert first.person == world.child
    seen_at = PartnerReferral.objects.get(pk=referral.pk).feedback_seen_at
    assert seen_at is not None
    assert NEW_REPLY not in client.get(MINE).content.decode()

    client.get(mine(referral))
    again = AuditEvent.objects.filter(action="referral.view", actor=dsl).latest("id")
    assert again.details["feedback_first_seen"] is False
    assert PartnerReferral.objects.get(pk=referral.pk).feedback_seen_at == seen_at  # the first reading is kept


def test_a_colleague_at_the_same_school_never_sees_the_reply(client, world, django_capture_on_commit_callbacks):
    dsl, referral, contact = referred_and_decided(world)
    colleague = make_school_partner(world, "dsl2", first_name="Dan")
    colleague.email = "dan.lead@school.example.invalid"
    colleague.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        record_feedback(world, contact)
    assert [m.to for m in mail.outbox] == [[dsl.email]]
    f.sign_in(client, colleague)
    response = client.get(mine(referral))
    assert response.status_code == 404 and FEEDBACK.encode() not in response.content
    listed = client.get(MINE).content.decode()
    assert NEW_REPLY not in listed and world.child.given_name not in listed
    assert AuditEvent.objects.filter(actor=colleague, action="referral.view", outcome="DENIED").exists()
    # The colleague's attempt does not count as the submitter reading it.
    assert PartnerReferral.objects.get(pk=referral.pk).feedback_seen_at is None
    f.sign_in(client, dsl)
    assert NEW_REPLY in client.get(MINE).content.decode()
