"""Partner referrals as their users see them (ADR 0025): a school or police professional submits a concern and
follows it; the front door accepts it as a contact on the child's one record; nobody else sees it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from safeguarding.access.models import Involvement
from safeguarding.accounts.roles import Role
from safeguarding.audit.models import AuditEvent
from safeguarding.frontdoor import services
from safeguarding.frontdoor.models import Contact, PartnerReferral
from safeguarding.people.identifiers import synthetic_nhs_number
from safeguarding.people.models import Person
from tests import factories as f

from .factories import make_police_partner, make_referral, make_school_partner

NEW = reverse("frontdoor:referral-new")
MINE = reverse("frontdoor:referrals")
XSS = '<script>alert("x")</script>'
RAG_REASON = "Rated red because of the injuries"
RATIONALE = "Strategy threshold met given the bruising pattern"
FEEDBACK = "Thank you. A social worker will visit the family this week."


def mine(referral):
    return reverse("frontdoor:referral", kwargs={"referral": referral.public_id})


def review(referral):
    return reverse("frontdoor:referral-review", kwargs={"referral": referral.public_id})


def match(referral, person):
    return reverse("frontdoor:referral-match", kwargs={"referral": referral.public_id, "public_id": person.public_id})


def new_person(referral):
    return reverse("frontdoor:referral-new-person", kwargs={"referral": referral.public_id})


def denied(user, action):
    return AuditEvent.objects.filter(actor=user, action=action, outcome="DENIED").exists()


def accept(world, referral, person=None, by=None):
    return services.accept_referral(
        referral=referral,
        person=person or world.child,
        principal=f.principal_for(by or world.manager),
        now=timezone.now(),
    )


# Submitting


def test_a_school_submits_a_referral_with_the_fewest_fields_and_follows_it(client, world):
    dsl = make_school_partner(world)
    f.sign_in(client, dsl)
    response = client.post(NEW, {"child_family_name": "Example", "worries": "Hungry every morning"})
    referral = PartnerReferral.objects.get()
    assert response.status_code == 302 and response.url == mine(referral)
    assert referral.local_authority == world.la and referral.submitted_by == dsl
    assert referral.referrer_organisation.name == "Northbridge Primary School"
    page = client.get(response.url)
    assert b"Received" in page.content and b"Hungry every morning" in page.content
    assert b"Northbridge Council" in page.content
    listed = client.get(MINE)
    assert b"Example" in listed.content and b"Received" in listed.content
    event = AuditEvent.objects.get(action="referral.submitted")
    assert event.actor == dsl and event.object_id == str(referral.public_id) and event.person is None
    shown = AuditEvent.objects.filter(action="referral.list", actor=dsl).latest("id").details["shown"]
    assert shown == [str(referral.public_id)]
    # Submitting neither creates nor opens a record, and gives the referrer no involvement with any child.
    assert Person.objects.count() == 3 and not Involvement.objects.filter(user=dsl).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"child_nhs_number": "999 000 0019"}, "This NHS number is not valid"),
        ({"child_nhs_number": "12345"}, "An NHS number must be 10 digits long"),
        (
            {"child_date_of_birth_0": "1", "child_date_of_birth_1": "1", "child_date_of_birth_2": "2099"},
            "Date of birth must be today or in the past",
        ),
        (
            {"child_date_of_birth_0": "1", "child_date_of_birth_1": "1", "child_date_of_birth_2": "1990"},
            "A referral is about a child under 18",
        ),
        ({"unborn": "on"}, "Enter the expected due date for an unborn child"),
        (
            {
                "child_expected_due_date_0": "1",
                "child_expected_due_date_1": "1",
                "child_expected_due_date_2": "2099",
                "unborn": "on",
            },
            "within the next 10 months",
        ),
        ({"child_postcode": "12345"}, "Enter a real postcode"),
        ({"consent": "NOT_SOUGHT"}, "Say why consent to share was not sought"),
    ],
)
def test_bad_input_says_what_is_wrong_and_writes_nothing(client, world, data, message):
    dsl = make_school_partner(world)
    f.sign_in(client, dsl)
    response = client.post(NEW, {"child_given_name": "Testchild", "worries": "Worried", **data})
    assert response.status_code == 400
    body = response.content.decode()
    assert "There is a problem" in body and message in body
    assert not PartnerReferral.objects.exists()
    assert not AuditEvent.objects.filter(action="referral.submitted").exists()


def test_a_referral_needs_a_name_for_the_child_and_the_worry(client, world):
    f.sign_in(client, make_school_partner(world))
    response = client.post(NEW, {})
    body = response.content.decode()
    assert response.status_code == 400
    assert "Enter the child&#x27;s first name or last name" in body and "Enter what you are worried about" in body
    assert not PartnerReferral.objects.exists()


def test_the_service_refuses_bad_input_too_and_writes_nothing(world):
    """Whatever calls it (a page, a future API), the service checks the same rules."""
    dsl = make_school_partner(world)
    cases = [
        ({"child_nhs_number": "9990000019"}, "not valid"),
        ({"child_date_of_birth": timezone.localdate() + dt.timedelta(days=1)}, "today or in the past"),
        ({"child_given_name": "", "child_family_name": ""}, "first name or last name"),
        ({"local_authority": world.other_la}, "safeguarding partnership"),
    ]
    for kwargs, message in cases:
        with pytest.raises(services.ContactRefused, match=message):
            make_referral(world, by=dsl, **kwargs)
    assert not PartnerReferral.objects.exists()
    assert not AuditEvent.objects.filter(action="referral.submitted").exists()


def test_a_valid_nhs_number_is_kept_as_ten_digits(world):
    number = synthetic_nhs_number(700)
    referral = make_referral(world, child_nhs_number=f"{number[:3]} {number[3:6]} {number[6:]}")
    assert referral.child_nhs_number == number


def test_a_police_partner_in_two_partnerships_chooses_the_local_authority(client, world):
    police = make_police_partner(world)
    f.sign_in(client, police)
    form = client.get(NEW).content.decode()
    assert "Which local authority is the child" in form and "Southmere Council" in form
    response = client.post(NEW, {"child_given_name": "Testchild", "worries": "Domestic incident last night"})
    assert (
        response.status_code == 400 and "Select the local authority where the child lives" in response.content.decode()
    )
    assert not PartnerReferral.objects.exists()
    client.post(NEW, {"local_authority": world.other_la.pk, "child_given_name": "Testchild", "worries": "Incident"})
    assert PartnerReferral.objects.get().local_authority == world.other_la


def test_a_health_professional_who_cannot_open_the_child_can_refer_instead(client, world):
    f.sign_in(client, world.health_other)
    response = client.post(NEW, {"child_given_name": "Testchild", "worries": "Seen in A&E with a burn"})
    assert response.status_code == 302
    referral = PartnerReferral.objects.get()
    assert referral.referrer_organisation == world.trust and referral.local_authority == world.la


@pytest.mark.parametrize("persona", ["allocated", "manager", "auditor", "admin", "other_la", "outsider"])
def test_local_authority_staff_and_others_cannot_submit_or_list_referrals(client, world, persona):
    user = world.personas()[persona]
    f.sign_in(client, user)
    assert client.get(NEW).status_code == 403
    response = client.post(NEW, {"child_given_name": "Testchild", "worries": "Worried"})
    assert response.status_code == 403
    assert client.get(MINE).status_code == 403
    assert not PartnerReferral.objects.exists()
    assert denied(user, "referral.new") and denied(user, "referral.list")


def test_a_partner_organisation_outside_any_partnership_is_told_to_phone(client, world):
    charity = f.make_org("Faraway Charity", "VOLUNTARY")
    volunteer = f.make_user("val", org=charity, role=Role.PARTNER_PROFESSIONAL)
    f.sign_in(client, volunteer)
    response = client.get(NEW)
    assert response.status_code == 403 and b"phone the local authority" in response.content
    assert denied(volunteer, "referral.new")


# Following a referral: status in the referrer's words, the feedback once sent, nothing more


def test_the_referrer_sees_progress_and_the_feedback_only_once_it_is_sent(client, world, mash):
    dsl = make_school_partner(world)
    referral = make_referral(world, by=dsl)
    f.sign_in(client, dsl)
    assert b"Received" in client.get(mine(referral)).content

    contact = accept(world, referral)
    now = timezone.now()
    manager = f.principal_for(world.manager)
    services.screen_contact(contact=contact, principal=manager, now=now, rag="RED", reason=RAG_REASON)
    page = client.get(mine(referral)).content.decode()
    assert "Being looked at" in page
    services.decide_contact(contact=contact, principal=manager, now=now, decision="ADVICE", rationale=RATIONALE)
    page = client.get(mine(referral)).content.decode()
    assert "Decision made" in page and "will tell you" in page
    services.record_feedback(contact=contact, principal=manager, now=now, feedback=FEEDBACK, method="EMAIL")
    page = client.get(mine(referral)).content.decode()
    assert "Feedback sent" in page and FEEDBACK in page
    listed = client.get(MINE).content.decode()
    assert "Feedback sent" in listed and FEEDBACK not in listed
    for secret in (RAG_REASON, RATIONALE, "Red", "Advice and information", str(world.child.public_id)):
        assert secret not in page and secret not in listed, secret
    viewed = AuditEvent.objects.filter(action="referral.view", actor=dsl).latest("id")
    assert viewed.person == world.child and viewed.details["feedback_shown"] is True


def test_before_feedback_the_referrers_read_is_not_logged_against_the_child(client, world):
    dsl = make_school_partner(world)
    referral = make_referral(world, by=dsl)
    accept(world, referral)
    f.sign_in(client, dsl)
    client.get(mine(referral))
    assert AuditEvent.objects.filter(action="referral.view", actor=dsl).latest("id").person is None


@pytest.mark.parametrize("who", ["colleague_at_the_school", "police", "health_other"])
def test_another_partner_gets_not_found_and_is_audited(client, world, who):
    referral = make_referral(world)
    accept(world, referral)
    other = {
        "colleague_at_the_school": lambda: make_school_partner(world, "dsl2", first_name="Dan"),
        "police": lambda: make_police_partner(world),
        "health_other": lambda: world.health_other,
    }[who]()
    f.sign_in(client, other)
    response = client.get(mine(referral))
    assert response.status_code == 404 and b"Testchild" not in response.content
    assert b"Testchild" not in client.get(MINE).content
    assert denied(other, "referral.view")


@pytest.mark.parametrize("persona", ["allocated", "manager", "auditor", "other_la", "outsider"])
def test_others_cannot_read_a_partner_referral_as_its_referrer(client, world, persona):
    referral = make_referral(world)
    user = world.personas()[persona]
    f.sign_in(client, user)
    response = client.get(mine(referral))
    assert response.status_code == 403 and b"Has bruises" not in response.content
    assert denied(user, "referral.view")


def test_the_referrer_is_refused_the_childs_record_search_contact_and_chronology(client, world, mash):
    dsl = make_school_partner(world)
    referral = make_referral(world, by=dsl)
    contact = accept(world, referral)
    f.sign_in(client, dsl)
    child = {"public_id": world.child.public_id}
    for url in (
        reverse("people:detail", kwargs=child),
        reverse("chronology:events", kwargs=child),
        reverse("frontdoor:contact", kwargs={**child, "contact": contact.public_id}),
        reverse("frontdoor:contact-feedback", kwargs={**child, "contact": contact.public_id}),
    ):
        response = client.get(url)
        assert response.status_code in (403, 404), url
        assert b"Testchild" not in response.content and b"bruises" not in response.content, url
    search = client.get(reverse("people:search"), {"name": "Testchild Example"})
    assert search.status_code == 403 and b"Testchild Example" not in search.content
    for url in (reverse("frontdoor:list"), reverse("frontdoor:contact-new"), review(referral)):
        assert client.get(url).status_code == 403, url
    assert AuditEvent.objects.filter(actor=dsl, person=world.child, outcome="DENIED").count() >= 3
    assert AuditEvent.objects.filter(actor=dsl, action="person.search", outcome="DENIED").exists()


def test_a_partner_who_moves_organisation_stops_following_the_last_ones_referrals(client, world):
    dsl = make_school_partner(world)
    referral = make_referral(world, by=dsl)
    membership = dsl.memberships.get()
    police = f.make_org("Northbridge Police", "POLICE_FORCE")
    world_partnership = membership.organisation.partnerships.get()
    world_partnership.organisations.add(police)
    membership.organisation = police
    membership.save(update_fields=["organisation"])
    f.sign_in(client, dsl)
    assert client.get(mine(referral)).status_code == 404
    assert b"Testchild" not in client.get(MINE).content


def test_free_text_is_escaped_on_the_partners_and_the_front_doors_pages(client, world, mash):
    dsl = make_school_partner(world)
    fields = ("child_given_name", "child_setting", "child_address", "worries", "going_well", "child_words")
    f.sign_in(client, dsl)
    client.post(NEW, {name: f"{name[:20]} {XSS}" for name in fields})
    referral = PartnerReferral.objects.get()
    for url in (mine(referral), MINE):
        assert XSS not in client.get(url).content.decode(), url
    f.sign_in(client, world.manager)
    for url in (review(referral), reverse("frontdoor:list"), match(referral, world.child)):
        body = client.get(url).content.decode()
        assert XSS not in body and "&lt;script&gt;" in body, url


# The front door accepts referrals


def test_new_referrals_are_at_the_top_of_the_front_door_list_urgent_first(client, world, mash):
    team, officer = mash
    earlier = timezone.now() - dt.timedelta(hours=3)
    make_referral(world, child_given_name="Routinechild", urgency="ROUTINE", now=earlier)
    make_referral(world, child_given_name="Urgentchild", urgency="IMMEDIATE")
    f.sign_in(client, officer)
    body = client.get(reverse("frontdoor:list")).content.decode()
    assert "2 new partner referrals to accept" in body
    assert body.index("Urgentchild") < body.index("Routinechild")
    assert "Immediate" in body[body.index("partner-referrals") : body.index("Routinechild")]
    event = AuditEvent.objects.filter(action="frontdoor.referrals", actor=officer).latest("id")
    assert len(event.details["shown"]) == 2


def test_another_authoritys_front_door_does_not_see_the_referral(client, world):
    other_mash = f.make_user("oma", org=world.other_la, role=Role.MASH_OFFICER)
    referral = make_referral(world)
    f.sign_in(client, other_mash)
    assert b"Testchild" not in client.get(reverse("frontdoor:list")).content
    response = client.get(review(referral))
    assert response.status_code == 404 and b"Testchild" not in response.content
    assert denied(other_mash, "referral.review")
    assert client.post(new_person(referral)).status_code == 404
    assert not Contact.objects.exists()


@pytest.mark.parametrize("persona", ["allocated", "health", "auditor", "admin", "outsider"])
def test_only_the_front_door_may_read_or_accept_a_referral(client, world, persona):
    referral = make_referral(world)
    user = world.personas()[persona]
    f.sign_in(client, user)
    for response in (
        client.get(review(referral)),
        client.get(match(referral, world.child)),
        client.post(match(referral, world.child)),
        client.post(new_person(referral)),
    ):
        assert response.status_code == 403 and b"bruises" not in response.content
    assert denied(user, "referral.review") and denied(user, "referral.match")
    assert not Contact.objects.exists() and PartnerReferral.objects.get().accepted_at is None


def test_the_front_door_matches_a_referral_to_the_childs_record(client, world, mash):
    team, officer = mash
    dsl = make_school_partner(world)
    submitted = timezone.now() - dt.timedelta(hours=2)
    referral = make_referral(
        world,
        by=dsl,
        now=submitted,
        referrer_role="Designated safeguarding lead",
        urgency="SAME_DAY",
        child_words="Dad gets angry",
        referrer_contact_details="01632 960000",
    )
    f.sign_in(client, officer)
    page = client.get(review(referral)).content.decode()
    assert match(referral, world.child) in page  # the search found the child's record
    assert AuditEvent.objects.filter(action="referral.review", actor=officer, outcome="ALLOWED").exists()
    assert AuditEvent.objects.filter(action="person.search", actor=officer).exists()
    confirm = client.get(match(referral, world.child))
    assert confirm.status_code == 200 and b"Is this the child?" in confirm.content
    response = client.post(match(referral, world.child))
    contact = Contact.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "frontdoor:contact", kwargs={"public_id": world.child.public_id, "contact": contact.public_id}
    )
    assert contact.referral == referral and contact.person == world.child
    assert contact.received_at == submitted and contact.urgency == "SAME_DAY"
    assert contact.referrer_name == dsl.get_full_name() and contact.referrer_role == "Designated safeguarding lead"
    assert contact.referrer_organisation == dsl.memberships.get().organisation
    assert services.suggested_referral_source(contact) == "2A"  # the CIN census source: a school
    assert contact.referrer_contact_details == "01632 960000" and contact.child_words == "Dad gets angry"
    referral.refresh_from_db()
    assert referral.accepted_by == officer and referral.accepted_at is not None
    accepted = AuditEvent.objects.get(action="referral.accepted")
    assert accepted.actor == officer and accepted.person == world.child
    assert accepted.details["referral"] == str(referral.public_id)
    body = client.get(reverse("frontdoor:list")).content.decode()
    assert "to accept" not in body  # no longer waiting
    assert "Partner referral" in body  # the contact is tagged on the list
    assert not Involvement.objects.filter(user=dsl).exists()


def test_a_referral_is_accepted_once(client, world, mash):
    team, officer = mash
    referral = make_referral(world)
    f.sign_in(client, officer)
    client.post(match(referral, world.child))
    again = client.post(match(referral, world.child))
    assert again.status_code == 400 and b"already been accepted" in again.content
    assert client.post(new_person(referral)).status_code == 302
    assert Contact.objects.count() == 1 and Person.objects.count() == 3


def test_the_front_door_creates_the_record_when_none_matches(client, world, mash):
    team, officer = mash
    number = synthetic_nhs_number(901)
    referral = make_referral(
        world,
        child_given_name="Newchild",
        child_family_name="Unknown",
        child_date_of_birth=dt.date(2019, 6, 1),
        child_nhs_number=number,
        child_address="1 Test Street",
        child_postcode="ZZ99 3AA",
    )
    f.sign_in(client, officer)
    page = client.get(review(referral)).content.decode()
    assert "No records of this authority match" in page
    response = client.post(new_person(referral))
    person = Person.objects.get(given_name="Newchild")
    contact = Contact.objects.get()
    assert response.status_code == 302 and contact.person == person and contact.referral == referral
    assert person.family_name == "Unknown" and person.date_of_birth == dt.date(2019, 6, 1)
    assert person.nhs_number == number and person.local_authority == world.la
    assert person.addresses.get().postcode == "ZZ99 3AA"
    assert AuditEvent.objects.filter(action="person.created", person=person, actor=officer).exists()
    assert AuditEvent.objects.filter(action="referral.accepted", person=person).exists()
    assert client.get(response.url).status_code == 200  # the front door may open the record it created


def test_an_unborn_childs_referral_creates_an_unborn_record(world, mash):
    team, officer = mash
    due = timezone.localdate() + dt.timedelta(days=90)
    referral = make_referral(
        world,
        unborn=True,
        child_given_name="",
        child_family_name="Expecting",
        child_date_of_birth=None,
        child_expected_due_date=due,
    )
    assert referral.child_name == "Unborn baby Expecting"
    contact = services.accept_referral_as_new_person(
        referral=referral, principal=f.principal_for(officer), now=timezone.now()
    )
    assert contact.person.kind == "UNBORN" and contact.person.expected_due_date == due


def test_a_refused_record_creation_leaves_nothing_behind(world, mash):
    team, officer = mash
    referral = make_referral(world, child_address="1 Test Street", child_postcode="")
    PartnerReferral.objects.filter(pk=referral.pk).update(child_postcode="NOTAPC")
    referral.refresh_from_db()
    with pytest.raises(services.ContactRefused, match="postcode"):
        services.accept_referral_as_new_person(
            referral=referral, principal=f.principal_for(officer), now=timezone.now()
        )
    assert Person.objects.count() == 3 and not Contact.objects.exists()
    referral.refresh_from_db()
    assert referral.accepted_at is None


def test_a_record_held_by_another_authority_cannot_take_the_referral(world, mash):
    stranger = f.make_person(world.other_la, given_name="Elsewhere")
    referral = make_referral(world)
    with pytest.raises(services.ContactRefused, match="another local authority"):
        accept(world, referral, person=stranger)
    assert not Contact.objects.exists()


def test_a_referral_accepted_days_later_is_received_when_submitted_and_marked_as_back_dated(world, mash):
    submitted = timezone.now() - dt.timedelta(days=4)
    referral = make_referral(world, now=submitted)
    contact = accept(world, referral)
    assert contact.received_at == submitted and "Submitted by a partner agency online" in contact.backdated_reason
