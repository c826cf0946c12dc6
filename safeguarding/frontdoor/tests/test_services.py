"""Front door services: what each records, who may do it, and every refused step with its message."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from safeguarding.access.models import Involvement, InvolvementKind
from safeguarding.access.policy import basis_for
from safeguarding.audit.models import AuditEvent
from safeguarding.casework.models import Episode
from safeguarding.chronology.models import ChronologyEntry
from safeguarding.earlyhelp.models import EarlyHelpEpisode
from safeguarding.frontdoor import services
from safeguarding.frontdoor.models import Contact
from safeguarding.organisations.models import OrganisationType
from tests import factories as f

from .factories import make_contact, make_request

NOW = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)


def decide(world, contact, decision="NFA", **kwargs):
    return services.decide_contact(
        contact=contact,
        principal=f.principal_for(world.manager),
        now=kwargs.pop("now", NOW + dt.timedelta(hours=2)),
        decision=decision,
        rationale=kwargs.pop("rationale", "Reasons given"),
        **kwargs,
    )


def test_a_contact_needs_only_the_child_who_raised_it_and_the_worry(world, mash):
    team, officer = mash
    contact = make_contact(world, by=officer, now=NOW)
    assert contact.received_at == NOW
    assert contact.decision_due_on == dt.date(2026, 12, 2)
    assert contact.status == "Awaiting screening"
    assert AuditEvent.objects.filter(action="contact.recorded", person=world.child, actor=officer).exists()
    entry = ChronologyEntry.objects.get(source_type="frontdoor.contact", source_id=str(contact.public_id))
    assert "Pat Teacher" in entry.summary and "hungry" in entry.summary


def test_recording_a_contact_involves_the_recorder_and_the_front_door_team(world, mash):
    team, officer = mash
    new_child = f.make_person(world.la, given_name="Newchild", family_name="Example")
    make_contact(world, person=new_child, by=world.manager, now=NOW)
    involved = Involvement.objects.filter(person=new_child)
    assert involved.filter(user=world.manager, kind=InvolvementKind.PARTNER_PROFESSIONAL).exists()
    assert involved.filter(team=team, kind=InvolvementKind.TEAM).exists()
    assert basis_for(f.principal_for(officer), new_child, now=NOW) is not None
    assert basis_for(f.principal_for(world.other_team), new_child, now=NOW) is None


def test_a_second_contact_does_not_duplicate_involvements(world, mash):
    make_contact(world, by=world.manager, now=NOW)
    before = Involvement.objects.filter(person=world.child).count()
    make_contact(world, by=world.manager, now=NOW)
    assert Involvement.objects.filter(person=world.child).count() == before


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"referrer_name": "  "}, "Enter who raised the concern"),
        ({"worries": ""}, "Enter what they are worried about"),
        ({"received_at": NOW + dt.timedelta(hours=1)}, "cannot be in the future"),
        ({"received_at": NOW - dt.timedelta(days=3)}, "more than a day ago"),
        ({"consent": "NOT_SOUGHT"}, "Say why consent to share was not sought"),
        ({"consent": "MAYBE"}, "Select whether consent was given"),
        ({"urgency": "WHENEVER"}, "Select how urgent it is"),
    ],
)
def test_an_incomplete_or_impossible_contact_is_refused_and_nothing_is_saved(world, kwargs, message):
    with pytest.raises(services.ContactRefused, match=message):
        make_contact(world, now=NOW, **kwargs)
    assert not Contact.objects.exists()
    assert not AuditEvent.objects.filter(action="contact.recorded").exists()


def test_a_back_dated_contact_with_a_reason_is_kept_and_shown_as_back_dated(world):
    contact = make_contact(world, now=NOW, received_at=NOW - dt.timedelta(days=4), backdated_reason="Typed up late")
    assert contact.backdated_reason == "Typed up late"
    entry = ChronologyEntry.objects.get(source_id=str(contact.public_id), summary__startswith="Contact")
    assert entry.is_backdated and entry.occurred_on == dt.date(2026, 11, 27)


def test_a_contact_about_an_adult_is_refused(world):
    with pytest.raises(services.ContactRefused, match="child or an unborn child"):
        make_contact(world, person=world.parent, now=NOW)


@pytest.mark.parametrize("persona", ["auditor", "admin", "outsider"])
def test_roles_without_record_contact_cannot_record_one(world, persona):
    with pytest.raises(services.ContactRefused, match="cannot record contacts"):
        make_contact(world, by=world.personas()[persona], now=NOW)


def test_screening_records_a_rag_rating_with_its_reason_and_can_change_until_the_decision(world, mash):
    team, officer = mash
    contact = make_contact(world, now=NOW)
    principal = f.principal_for(officer)
    services.screen_contact(contact=contact, principal=principal, now=NOW, rag="AMBER", reason="Possible neglect")
    services.screen_contact(contact=contact, principal=principal, now=NOW, rag="RED", reason="A bruise too")
    contact.refresh_from_db()
    assert (contact.rag, contact.screened_by) == ("RED", officer)
    summaries = list(
        ChronologyEntry.objects.filter(summary__startswith="MASH screening").values_list("summary", flat=True)
    )
    assert any("(was amber)" in s for s in summaries)
    decide(world, contact)
    with pytest.raises(services.ContactRefused, match="decision on this contact has been made"):
        services.screen_contact(contact=contact, principal=principal, now=NOW, rag="GREEN", reason="Changed my mind")


def test_screening_needs_a_rating_a_reason_and_the_screening_role(world, mash):
    contact = make_contact(world, now=NOW)
    with pytest.raises(services.ContactRefused, match="Select a RAG rating"):
        services.screen_contact(contact=contact, principal=f.principal_for(world.manager), now=NOW, rag="", reason="x")
    with pytest.raises(services.ContactRefused, match="Enter the reason"):
        services.screen_contact(
            contact=contact, principal=f.principal_for(world.manager), now=NOW, rag="RED", reason=""
        )
    with pytest.raises(services.ContactRefused, match="Only the MASH"):
        services.screen_contact(
            contact=contact, principal=f.principal_for(world.allocated), now=NOW, rag="RED", reason="x"
        )
    contact.refresh_from_db()
    assert contact.rag == ""


def test_an_information_request_is_due_in_four_hours_and_overdue_after(world):
    contact = make_contact(world, now=NOW)
    request = make_request(world, contact, now=NOW)
    assert request.due_at == NOW + dt.timedelta(hours=4)
    assert not request.is_overdue(NOW + dt.timedelta(hours=4))
    assert request.is_overdue(NOW + dt.timedelta(hours=4, minutes=1))
    answered = services.record_answer(
        request=request,
        principal=f.principal_for(world.manager),
        now=NOW + dt.timedelta(hours=5),
        answer="Known, seen last week",
    )
    assert not answered.is_overdue(NOW + dt.timedelta(days=1))
    assert ChronologyEntry.objects.filter(summary__startswith="Health answered the MASH (late)").exists()


def test_an_answer_is_recorded_once_and_not_before_the_question(world):
    contact = make_contact(world, now=NOW)
    request = make_request(world, contact, now=NOW)
    principal = f.principal_for(world.manager)
    with pytest.raises(services.ContactRefused, match="before the request"):
        services.record_answer(
            request=request, principal=principal, now=NOW, answer="x", answered_at=NOW - dt.timedelta(hours=1)
        )
    with pytest.raises(services.ContactRefused, match="Enter the agency's answer"):
        services.record_answer(request=request, principal=principal, now=NOW, answer=" ")
    services.record_answer(request=request, principal=principal, now=NOW, answer="Not known")
    with pytest.raises(services.ContactRefused, match="has been answered"):
        services.record_answer(request=request, principal=principal, now=NOW, answer="Known after all")


def test_no_new_information_requests_after_the_decision(world):
    contact = make_contact(world, now=NOW)
    decide(world, contact)
    with pytest.raises(services.ContactRefused, match="cannot ask partners"):
        make_request(world, contact, now=NOW)


def test_a_referral_decision_opens_a_social_care_episode_from_the_date_of_the_contact(world):
    contact = make_contact(world, now=NOW, referrer_agency="Northgate Primary School")
    decide(world, contact, "REFERRAL", referral_source="2A", primary_need="N1")
    contact.refresh_from_db()
    episode = contact.episode
    assert episode is not None and episode.referral_date == dt.date(2026, 12, 1)
    assert (episode.referral_source, episode.primary_need) == ("2A", "N1")
    assert AuditEvent.objects.filter(action="contact.decided", person=world.child).exists()
    assert ChronologyEntry.objects.filter(summary__startswith="Front door decision: referral").exists()


def test_a_strategy_decision_opens_an_episode_too(world):
    contact = decide(world, make_contact(world, now=NOW), "STRATEGY", referral_source="6")
    assert contact.episode is not None and contact.episode.referral_source == "6"


def test_a_referral_decided_days_later_is_dated_from_the_contact_and_says_so(world):
    contact = make_contact(world, now=NOW)
    decide(world, contact, "REFERRAL", referral_source="2A", now=NOW + dt.timedelta(days=4))
    contact.refresh_from_db()
    assert contact.episode.referral_date == dt.date(2026, 12, 1)
    assert "Dated from the contact" in contact.episode.backdated_reason
    assert contact.was_decided_late()


def test_a_referral_is_refused_while_the_child_has_an_open_episode_and_nothing_changes(world):
    decide(world, make_contact(world, now=NOW), "REFERRAL", referral_source="2A")
    second = make_contact(world, now=NOW)
    with pytest.raises(services.ContactRefused, match="already has an open episode"):
        decide(world, second, "REFERRAL", referral_source="2A")
    second.refresh_from_db()
    assert second.decision == "" and Episode.objects.count() == 1


def test_an_early_help_decision_offers_early_help(world):
    decide(world, make_contact(world, now=NOW), "EARLY_HELP", rationale="Family want support with routines")
    offer = EarlyHelpEpisode.objects.get(person=world.child)
    assert "routines" in offer.reason


@pytest.mark.parametrize("decision", ["NFA", "ADVICE"])
def test_no_further_action_and_advice_open_nothing(world, decision):
    contact = decide(world, make_contact(world, now=NOW), decision)
    assert contact.episode is None and not Episode.objects.exists()
    assert contact.status == "Feedback to send"


def test_a_contact_is_decided_once_by_a_manager_with_a_reason(world, mash):
    team, officer = mash
    contact = make_contact(world, now=NOW)
    with pytest.raises(services.ContactRefused, match="Only a team manager"):
        services.decide_contact(
            contact=contact, principal=f.principal_for(officer), now=NOW, decision="NFA", rationale="x"
        )
    with pytest.raises(services.ContactRefused, match="Enter the reason"):
        decide(world, contact, rationale="")
    with pytest.raises(services.ContactRefused, match="Select what happens next"):
        decide(world, contact, "MAYBE")
    decide(world, contact)
    with pytest.raises(services.ContactRefused, match="decide it again"):
        decide(world, contact, "REFERRAL")


def test_feedback_comes_after_the_decision_and_is_recorded_once(world, mash):
    team, officer = mash
    contact = make_contact(world, now=NOW)
    principal = f.principal_for(officer)
    feedback = {"feedback": "We are referring to social care", "method": "PHONE"}
    later = NOW + dt.timedelta(hours=3)
    with pytest.raises(services.ContactRefused, match="Record the decision first"):
        services.record_feedback(contact=contact, principal=principal, now=later, **feedback)
    decide(world, contact)
    services.record_feedback(contact=contact, principal=principal, now=later, **feedback)
    contact.refresh_from_db()
    assert contact.status == "Decided" and contact.feedback_sent_by == officer
    assert ChronologyEntry.objects.filter(summary__startswith="Feedback to Pat Teacher (phone)").exists()
    with pytest.raises(services.ContactRefused, match="already been recorded"):
        services.record_feedback(contact=contact, principal=principal, now=later, **feedback)


def test_a_social_worker_cannot_record_feedback(world):
    contact = decide(world, make_contact(world, now=NOW))
    with pytest.raises(services.ContactRefused, match="Only the MASH"):
        services.record_feedback(
            contact=contact,
            principal=f.principal_for(world.allocated),
            now=NOW + dt.timedelta(hours=3),
            feedback="x",
            method="PHONE",
        )


@pytest.mark.parametrize(
    ("org_type", "agency", "role", "expected"),
    [
        (OrganisationType.SCHOOL, "", "", "2A"),
        (OrganisationType.POLICE_FORCE, "", "", "6"),
        (OrganisationType.GP_PRACTICE, "", "", "3A"),
        (OrganisationType.NHS_TRUST, "", "Health visitor", "3B"),
        (OrganisationType.NHS_TRUST, "Emergency department", "Nurse", "3E"),
        (OrganisationType.NHS_TRUST, "", "", "3F"),
        (None, "Anonymous caller", "", "9"),
        (None, "", "Grandparent (family)", "1A"),
        (None, "Housing association", "", "4"),
        (None, "", "", "10"),
    ],
)
def test_the_referral_source_is_suggested_from_who_raised_the_contact(world, org_type, agency, role, expected):
    org = f.make_org("Some organisation", org_type) if org_type else None
    contact = make_contact(world, now=NOW, referrer_organisation=org, referrer_agency=agency, referrer_role=role)
    assert services.suggested_referral_source(contact) == expected


def test_every_step_is_audited_on_the_child(world):
    contact = make_contact(world, now=NOW)
    request = make_request(world, contact, now=NOW)
    manager = f.principal_for(world.manager)
    services.screen_contact(contact=contact, principal=manager, now=NOW, rag="GREEN", reason="Low level")
    services.record_answer(request=request, principal=manager, now=NOW, answer="Not known")
    decide(world, contact, "ADVICE")
    services.record_feedback(
        contact=contact, principal=manager, now=NOW + dt.timedelta(hours=3), feedback="Advice given", method="EMAIL"
    )
    actions = set(AuditEvent.objects.filter(person=world.child).values_list("action", flat=True))
    assert {
        "contact.recorded",
        "contact.screened",
        "contact.information-requested",
        "contact.information-answered",
        "contact.decided",
        "contact.feedback-sent",
    } <= actions
    assert timezone.is_aware(contact.decided_at)


def test_the_childs_own_words_also_go_to_their_voice_linked_to_the_contact(world):
    from safeguarding.voice.queries import voice_linked_to

    contact = make_contact(world, now=NOW, child_words="I don't want to go home")
    entries = voice_linked_to(contact)
    assert [e.words for e in entries] == ["I don't want to go home"]
    assert entries[0].gathered == "SAID_TO_PROFESSIONAL"


def test_a_health_professional_keeps_the_childs_words_on_the_contact_only(world):
    from safeguarding.voice.models import VoiceEntry

    contact = make_contact(world, by=world.health, now=NOW, child_words="It hurts")
    assert contact.child_words == "It hurts" and not VoiceEntry.objects.exists()
