"""Every write at the front door: record a contact, screen it, ask partners, decide, tell the referrer.

Each is keyword-only with `principal` and `now` passed in, atomic, audited in the same transaction, and
adds an entry to the child's chronology. Callers have opened the child's record through
access.queries.open_person (or frontdoor.queries.choose_person for a new contact) before calling.
Timescales are shown and measured, never enforced (frontdoor.rules).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from safeguarding.access import services as access
from safeguarding.access.models import Involvement, InvolvementKind
from safeguarding.access.policy import open_involvements
from safeguarding.accounts.models import Membership
from safeguarding.accounts.roles import Capability, Role
from safeguarding.audit import services as audit
from safeguarding.chronology import services as chronology
from safeguarding.chronology.models import Significance
from safeguarding.core.dates import is_backdated
from safeguarding.organisations.models import HEALTH_TYPES, Organisation, OrganisationType, Team
from safeguarding.people.codes import PersonKind

from . import rules
from .codes import AgencyType, Consent, Decision, FeedbackMethod, Rag, Urgency
from .models import Contact, InformationRequest, PartnerReferral

if TYPE_CHECKING:
    from safeguarding.accounts.principal import Principal
    from safeguarding.people.models import Person

CATEGORY = "Contact"
TEXT_MAX = 10_000


class ContactRefused(Exception):
    """A front door step was refused; the message is safe to show and says why and what is allowed."""


def _require(principal: Principal, *capabilities: Capability, message: str) -> None:
    if principal.membership is None or not any(principal.can(c) for c in capabilities):
        raise ContactRefused(message)


def _text(value: str, label: str, *, required: bool = False, limit: int = TEXT_MAX) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ContactRefused(f"Enter {label}")
    if len(value) > limit:
        raise ContactRefused(f"{label[0].upper()}{label[1:]} must be {limit:,} characters or fewer")
    return value


def _choice(value: str, choices: Any, label: str, *, required: bool = True) -> str:
    if not value and not required:
        return ""
    if value not in choices.values:
        raise ContactRefused(f"Select {label}")
    return value


def _audit(principal: Principal, action: str, contact: Contact, now: dt.datetime, **details: Any) -> None:
    audit.record(
        principal=principal,
        action=action,
        at=now,
        person=contact.person,
        details={"contact": str(contact.public_id), **{k: str(v) for k, v in details.items()}},
    )


def _chronicle(
    principal: Principal,
    contact: Contact,
    now: dt.datetime,
    *,
    summary: str,
    source: Contact | InformationRequest,
    on: dt.date | None = None,
    significance: str = Significance.ROUTINE,
    backdated_reason: str = "",
) -> None:
    chronology.add_entry(
        person=contact.person,
        principal=principal,
        occurred_on=on or timezone.localdate(now),
        category=CATEGORY,
        summary=summary,
        source_type=source._meta.label_lower,
        source_id=str(source.public_id),
        now=now,
        significance=significance,
        backdated_reason=backdated_reason,
    )


def front_door_team(local_authority: Organisation) -> Team | None:
    """The local authority's front door: its active team with the most MASH officers (None if it has none)."""
    counts: dict[int, int] = {}
    for team_id in Membership.objects.filter(
        organisation=local_authority, role=Role.MASH_OFFICER, is_active=True, team__is_active=True
    ).values_list("team_id", flat=True):
        if team_id is not None:
            counts[team_id] = counts.get(team_id, 0) + 1
    if not counts:
        return None
    best = min(counts, key=lambda team_id: (-counts[team_id], team_id))
    return Team.objects.get(pk=best)


def _involve(principal: Principal, person: Person, now: dt.datetime) -> None:
    """The recorder and the front door team may open the child's record from now on (need-to-know)."""
    day = now.date()
    involved = Involvement.objects.filter(open_involvements(day), person=person)
    if not involved.filter(user=principal.user).exists():
        access.record_involvement(
            person=person,
            principal=principal,
            kind=InvolvementKind.PARTNER_PROFESSIONAL,
            now=now,
            user=principal.user,
            description="Recorded a contact",
        )
    team = front_door_team(person.local_authority)
    if team is not None and not involved.filter(team=team).exists():
        access.record_involvement(
            person=person, principal=principal, kind=InvolvementKind.TEAM, now=now, team=team, description="Front door"
        )


def _check_received_at(received_at: dt.datetime, now: dt.datetime, backdated_reason: str) -> str:
    if received_at > now + dt.timedelta(minutes=5):
        raise ContactRefused("The time the contact was received cannot be in the future")
    reason = _text(backdated_reason, "why the contact is recorded now")
    if is_backdated(timezone.localdate(received_at), recorded_on=timezone.localdate(now)) and not reason:
        raise ContactRefused("The contact was received more than a day ago: say why it is being recorded now")
    return reason


@transaction.atomic
def record_contact(
    *,
    person: Person,
    principal: Principal,
    now: dt.datetime,
    referrer_name: str,
    worries: str,
    received_at: dt.datetime | None = None,
    referrer_role: str = "",
    referrer_agency: str = "",
    referrer_organisation: Organisation | None = None,
    referrer_contact_details: str = "",
    going_well: str = "",
    child_words: str = "",
    consent: str = "",
    consent_not_sought_reason: str = "",
    urgency: str = "",
    backdated_reason: str = "",
    referral: PartnerReferral | None = None,
) -> Contact:
    """Record a concern about a child (or an unborn child). Only the child, who raised it and the worry are
    required: a concern must never wait for a form to be complete. `referral` is the partner referral it
    comes from (accept_referral)."""
    _require(principal, Capability.RECORD_CONTACT, message="Your role cannot record contacts")
    if person.kind not in (PersonKind.CHILD, PersonKind.UNBORN):
        raise ContactRefused("A contact is about a child or an unborn child. Choose the child's record")
    if person.merged_into_id:
        raise ContactRefused("This record was merged into another record. Record the contact on that record")
    received_at = received_at or now
    reason = _check_received_at(received_at, now, backdated_reason)
    consent = _choice(consent, Consent, "whether consent was given", required=False)
    not_sought = _text(consent_not_sought_reason, "why consent was not sought")
    if consent == Consent.NOT_SOUGHT and not not_sought:
        raise ContactRefused("Say why consent to share was not sought")
    contact = Contact(
        person=person,
        local_authority=person.local_authority,
        received_at=received_at,
        recorded_at=now,
        recorded_by=principal.user,
        backdated_reason=reason,
        referrer_name=_text(referrer_name, "who raised the concern", required=True, limit=200),
        referrer_role=_text(referrer_role, "their role", limit=200),
        referrer_agency=_text(referrer_agency, "their agency", limit=200),
        referrer_organisation=referrer_organisation,
        referrer_contact_details=_text(referrer_contact_details, "how to contact them", limit=300),
        worries=_text(worries, "what they are worried about", required=True),
        going_well=_text(going_well, "what is going well"),
        child_words=_text(child_words, "the child's own words"),
        consent=consent,
        consent_not_sought_reason=not_sought if consent == Consent.NOT_SOUGHT else "",
        urgency=_choice(urgency, Urgency, "how urgent it is", required=False),
        decision_due_on=rules.decision_due_on(person.local_authority_id, received_at),
        referral=referral,
    )
    contact.full_clean()
    contact.save()
    _audit(principal, "contact.recorded", contact, now, urgency=contact.urgency or "not stated")
    source = contact.referrer_agency or (str(referrer_organisation) if referrer_organisation else "")
    who = f"{contact.referrer_name} ({source})" if source else contact.referrer_name
    _chronicle(
        principal,
        contact,
        now,
        on=timezone.localdate(received_at),
        summary=f"Contact to the front door from {who}: {contact.worries[:300]}",
        source=contact,
        significance=Significance.SIGNIFICANT if contact.urgency == Urgency.IMMEDIATE else Significance.ROUTINE,
        backdated_reason=reason,
    )
    _involve(principal, person, now)
    _record_voice(principal, contact, now)
    return contact


def _record_voice(principal: Principal, contact: Contact, now: dt.datetime) -> None:
    """The child's words, as the referrer heard them, also go to the child's voice (shown first on their page),
    linked to the contact they informed. Roles that cannot record the child's voice keep them on the contact only."""
    from safeguarding.voice import services as voice  # voice is a peer app; imported where it is used

    if not contact.child_words or not principal.can(Capability.RECORD_VOICE):
        return
    try:
        entry = voice.record_voice(
            person=contact.person,
            principal=principal,
            now=now,
            recorded_on=min(timezone.localdate(contact.received_at), now.date()),
            gathered="SAID_TO_PROFESSIONAL",
            words=contact.child_words,
            backdated_reason=contact.backdated_reason,
        )
        voice.link_voice(entries=[entry], target=contact, principal=principal, now=now)
    except voice.VoiceRefused as refused:
        raise ContactRefused(str(refused)) from refused


def _not_decided(contact: Contact, doing: str) -> None:
    if contact.decided_at is not None:
        raise ContactRefused(
            f"The decision on this contact has been made ({contact.get_decision_display().lower()}), so you cannot "
            f"{doing} now. Record what happens next on the child's record"
        )


@transaction.atomic
def screen_contact(*, contact: Contact, principal: Principal, now: dt.datetime, rag: str, reason: str) -> Contact:
    """MASH screening: a RAG rating with its reason. It may be changed as information arrives, until the decision."""
    _require(principal, Capability.SCREEN_CONTACTS, message="Only the MASH and team managers can screen contacts")
    _not_decided(contact, "change its screening")
    rag = _choice(rag, Rag, "a RAG rating")
    reason = _text(reason, "the reason for the rating", required=True)
    previous = contact.rag
    contact.rag, contact.rag_reason, contact.screened_at, contact.screened_by = rag, reason, now, principal.user
    contact.full_clean()
    contact.save(update_fields=["rag", "rag_reason", "screened_at", "screened_by"])
    _audit(principal, "contact.screened", contact, now, rag=rag, previous=previous or "none")
    change = f" (was {Rag(previous).label.lower()})" if previous and previous != rag else ""
    _chronicle(
        principal,
        contact,
        now,
        summary=f"MASH screening: rated {Rag(rag).label.lower()}{change}. {reason[:300]}",
        source=contact,
        significance=Significance.SIGNIFICANT if rag == Rag.RED else Significance.ROUTINE,
    )
    return contact


@transaction.atomic
def request_information(
    *,
    contact: Contact,
    principal: Principal,
    now: dt.datetime,
    agency_type: str,
    question: str,
    organisation: Organisation | None = None,
) -> InformationRequest:
    """Ask a partner agency what it knows, due by the standard MASH_INFORMATION_REQUEST."""
    _require(principal, Capability.SCREEN_CONTACTS, message="Only the MASH and team managers can ask partners")
    _not_decided(contact, "ask partners for more information")
    request = InformationRequest(
        contact=contact,
        agency_type=_choice(agency_type, AgencyType, "the agency you are asking"),
        organisation=organisation,
        question=_text(question, "what you are asking", required=True),
        requested_at=now,
        requested_by=principal.user,
        due_at=rules.information_due_at(contact.local_authority_id, now),
    )
    request.full_clean()
    request.save()
    _audit(principal, "contact.information-requested", contact, now, request=request.public_id, agency=agency_type)
    _chronicle(
        principal,
        contact,
        now,
        summary=f"MASH asked {request.agency_label} for information: {request.question[:300]}",
        source=request,
    )
    return request


@transaction.atomic
def record_answer(
    *,
    request: InformationRequest,
    principal: Principal,
    now: dt.datetime,
    answer: str,
    answered_at: dt.datetime | None = None,
) -> InformationRequest:
    """Record a partner's answer (also after the decision: late information still belongs on the record)."""
    _require(principal, Capability.SCREEN_CONTACTS, message="Only the MASH and team managers can record answers")
    if request.answered_at is not None:
        raise ContactRefused("This request has been answered. Ask a new question if you need more")
    answered_at = answered_at or now
    if answered_at > now + dt.timedelta(minutes=5):
        raise ContactRefused("The time of the answer cannot be in the future")
    if answered_at < request.requested_at:
        raise ContactRefused("The answer cannot come before the request was made")
    request.answer = _text(answer, "the agency's answer", required=True)
    request.answered_at, request.recorded_by = answered_at, principal.user
    request.full_clean()
    request.save(update_fields=["answer", "answered_at", "recorded_by"])
    contact = request.contact
    late = request.answered_at > request.due_at
    _audit(principal, "contact.information-answered", contact, now, request=request.public_id, late=late)
    _chronicle(
        principal,
        contact,
        now,
        on=timezone.localdate(answered_at),
        summary=f"{request.agency_label} answered the MASH{' (late)' if late else ''}: {request.answer[:300]}",
        source=request,
    )
    return request


REFERRAL_SOURCE_BY_TYPE: dict[str, str] = {
    OrganisationType.SCHOOL: "2A",
    OrganisationType.EARLY_YEARS: "8",
    OrganisationType.GP_PRACTICE: "3A",
    OrganisationType.POLICE_FORCE: "6",
    OrganisationType.VOLUNTARY: "8",
    OrganisationType.LOCAL_AUTHORITY: "5B",
}
REFERRAL_SOURCE_BY_WORD = (
    ("anonymous", "9"),
    ("police", "6"),
    ("school", "2A"),
    ("college", "2A"),
    ("gp", "3A"),
    ("health visitor", "3B"),
    ("school nurse", "3C"),
    ("a&e", "3E"),
    ("emergency department", "3E"),
    ("hospital", "3F"),
    ("housing", "4"),
    ("early help", "5D"),
    ("probation", "7"),
    ("court", "7"),
    ("cafcass", "7"),
    ("parent", "1A"),
    ("family", "1A"),
    ("relative", "1A"),
    ("neighbour", "1B"),
    ("self", "1C"),
)


def suggested_referral_source(contact: Contact) -> str:
    """The CIN census referral source (casework.codes.ReferralSource) that fits who raised the contact.

    A suggestion only: the manager chooses the source when deciding. From the referrer's organisation
    type when one was chosen, else from words in the agency and role they gave; "10" (unknown) otherwise."""
    organisation = contact.referrer_organisation
    words = f"{contact.referrer_agency} {contact.referrer_role}".lower()
    if organisation is not None:
        if organisation.type in REFERRAL_SOURCE_BY_TYPE:
            return REFERRAL_SOURCE_BY_TYPE[organisation.type]
        if organisation.type in HEALTH_TYPES:
            for word, code in REFERRAL_SOURCE_BY_WORD:
                if code.startswith("3") and word in words:
                    return code
            return "3F"
    for word, code in REFERRAL_SOURCE_BY_WORD:
        if word in words:
            return code
    return "10"


@transaction.atomic
def decide_contact(
    *,
    contact: Contact,
    principal: Principal,
    now: dt.datetime,
    decision: str,
    rationale: str,
    referral_source: str = "",
    primary_need: str = "",
) -> Contact:
    """A manager decides what happens next. A referral or a strategy discussion opens a social care episode
    (casework.services.open_referral); early help offers it (earlyhelp.services.offer_early_help)."""
    from safeguarding.casework import services as casework  # the front door hands over to casework
    from safeguarding.casework.codes import PrimaryNeed, ReferralSource
    from safeguarding.earlyhelp import services as earlyhelp

    _require(principal, Capability.DECIDE_CONTACTS, message="Only a team manager can decide what happens to a contact")
    _not_decided(contact, "decide it again")
    decision = _choice(decision, Decision, "what happens next")
    rationale = _text(rationale, "the reason for the decision", required=True)
    if decision in (Decision.REFERRAL, Decision.STRATEGY):
        source = _choice(referral_source or suggested_referral_source(contact), ReferralSource, "the referral source")
        need = _choice(primary_need, PrimaryNeed, "the primary need", required=False)
        try:
            contact.episode = casework.open_referral(
                person=contact.person,
                principal=principal,
                now=now,
                referral_date=timezone.localdate(contact.received_at),
                referral_source=source,
                primary_need=need,
                summary=contact.worries[:1000],
                backdated_reason=contact.backdated_reason
                or f"Dated from the contact received on {timezone.localdate(contact.received_at):%-d %B %Y}",
            )
        except casework.StepRefused as refused:
            raise ContactRefused(str(refused)) from refused
    elif decision == Decision.EARLY_HELP:
        try:
            earlyhelp.offer_early_help(
                person=contact.person,
                principal=principal,
                now=now,
                offered_on=timezone.localdate(now),
                reason=rationale,
            )
        except earlyhelp.StepRefused as refused:
            raise ContactRefused(str(refused)) from refused
    contact.decision, contact.decision_rationale = decision, rationale
    contact.decided_at, contact.decided_by = now, principal.user
    contact.full_clean()
    contact.save(update_fields=["decision", "decision_rationale", "decided_at", "decided_by", "episode"])
    late = contact.was_decided_late()
    _audit(principal, "contact.decided", contact, now, decision=decision, late=late)
    _chronicle(
        principal,
        contact,
        now,
        summary=f"Front door decision: {Decision(decision).label.lower()}. {rationale[:300]}",
        source=contact,
        significance=Significance.SIGNIFICANT,
    )
    return contact


@transaction.atomic
def record_feedback(
    *,
    contact: Contact,
    principal: Principal,
    now: dt.datetime,
    feedback: str,
    method: str,
    sent_at: dt.datetime | None = None,
) -> Contact:
    """Record what the referrer was told, how and when: the last step of a contact, shown until it is done."""
    _require(
        principal,
        Capability.SCREEN_CONTACTS,
        Capability.DECIDE_CONTACTS,
        message="Only the MASH and team managers can record feedback to the referrer",
    )
    if contact.decided_at is None:
        raise ContactRefused("Record the decision first: the feedback tells the referrer what was decided")
    # Read under a row lock, not from the caller's copy: a double submission must not record (and e-mail) twice.
    recorded = Contact.objects.select_for_update().filter(pk=contact.pk).values_list("feedback_sent_at", flat=True)
    if contact.feedback_sent_at is not None or recorded.first() is not None:
        raise ContactRefused("Feedback to the referrer has already been recorded")
    sent_at = sent_at or now
    if sent_at > now + dt.timedelta(minutes=5):
        raise ContactRefused("The time the feedback was sent cannot be in the future")
    if sent_at < contact.decided_at:
        raise ContactRefused("Feedback cannot be sent before the decision was made")
    contact.feedback = _text(feedback, "what the referrer was told", required=True)
    contact.feedback_method = _choice(method, FeedbackMethod, "how the referrer was told")
    contact.feedback_sent_at, contact.feedback_sent_by = sent_at, principal.user
    contact.full_clean()
    contact.save(update_fields=["feedback", "feedback_method", "feedback_sent_at", "feedback_sent_by"])
    details: dict[str, Any] = {"method": contact.feedback_method}
    if contact.referral_id is not None:
        details["submitter_emailed"] = _email_referral_submitter(contact.referral_id)
    _audit(principal, "contact.feedback-sent", contact, now, **details)
    how = FeedbackMethod(contact.feedback_method).label.lower()
    _chronicle(
        principal,
        contact,
        now,
        on=timezone.localdate(sent_at),
        summary=f"Feedback to {contact.referrer_name} ({how}): {contact.feedback[:300]}",
        source=contact,
    )
    return contact


def _email_referral_submitter(referral_id: int) -> bool:
    """Tell the professional who submitted the partner referral that the front door has replied, once the
    feedback is committed (a refused or rolled-back feedback sends nothing). Whether an e-mail was queued is
    returned for the audit row."""
    submitter = PartnerReferral.objects.select_related("submitted_by").get(pk=referral_id).submitted_by
    if not submitter.is_active or not submitter.email:
        return False
    recipient, link = submitter.email, f"{getattr(settings, 'SITE_URL', '')}{reverse('frontdoor:referrals')}"

    def send() -> None:
        # No child's name, NHS number or feedback in the e-mail: it leaves the system. The reply is read behind
        # sign-in, where reading it is audited.
        send_mail(
            "The front door has replied to your referral",
            "The front door has replied to a referral you made. Sign in to Open Safeguarding to read its reply "
            f"under My referrals:\n{link}",
            None,
            [recipient],
        )

    # robust: the feedback is recorded whatever the mail server does; a failure is logged, not shown to the MASH.
    transaction.on_commit(send, robust=True)
    return True


# Partner referrals (ADR 0025): a partner agency submits a concern; the front door accepts it as a contact.

CHILD_AGE_LIMIT = 18


def may_submit_referral(principal: Principal) -> bool:
    """Partner professionals and health roles hold SUBMIT_REFERRAL; local authority staff record contacts."""
    return principal.membership is not None and principal.can(Capability.SUBMIT_REFERRAL)


def referral_local_authorities(principal: Principal, *, today: dt.date) -> list[Organisation]:
    """The local authorities a principal's referral may go to: those leading the safeguarding partnerships
    their organisation belongs to (current ones only), by name."""
    membership = principal.membership
    if membership is None:
        return []
    current = Q(valid_from__isnull=True) | Q(valid_from__lte=today)
    current &= Q(valid_to__isnull=True) | Q(valid_to__gte=today)
    return list(
        Organisation.objects.filter(
            current,
            type=OrganisationType.LOCAL_AUTHORITY,
            led_partnerships__organisations=membership.organisation_id,
        )
        .distinct()
        .order_by("name")
    )


def referral_problems(
    *,
    unborn: bool,
    child_given_name: str,
    child_family_name: str,
    child_date_of_birth: dt.date | None,
    child_expected_due_date: dt.date | None,
    today: dt.date,
) -> dict[str, str]:
    """What is wrong with the child's details of a referral, by field name (empty when nothing is).
    Shared by the form and the service, so both say the same thing."""
    from safeguarding.people.services import date_errors  # the one rule for a person's dates

    problems: dict[str, str] = {}
    if not (child_given_name.strip() or child_family_name.strip()):
        problems["child_given_name"] = (
            "Enter the family's last name" if unborn else "Enter the child's first name or last name"
        )
    dates = date_errors(
        kind=PersonKind.UNBORN if unborn else PersonKind.CHILD,
        date_of_birth=child_date_of_birth,
        expected_due_date=child_expected_due_date if unborn else None,
        today=today,
    )
    for name, message in dates.items():
        problems[f"child_{name}"] = message
    if not unborn and child_date_of_birth and "child_date_of_birth" not in problems:
        born = child_date_of_birth
        age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
        if age >= CHILD_AGE_LIMIT:
            problems["child_date_of_birth"] = (
                "A referral is about a child under 18. For an adult, contact adult social care"
            )
    return problems


@transaction.atomic
def submit_referral(
    *,
    principal: Principal,
    now: dt.datetime,
    local_authority: Organisation,
    worries: str,
    unborn: bool = False,
    child_given_name: str = "",
    child_family_name: str = "",
    child_date_of_birth: dt.date | None = None,
    child_expected_due_date: dt.date | None = None,
    child_nhs_number: str = "",
    child_address: str = "",
    child_postcode: str = "",
    child_setting: str = "",
    referrer_role: str = "",
    referrer_contact_details: str = "",
    going_well: str = "",
    child_words: str = "",
    consent: str = "",
    consent_not_sought_reason: str = "",
    urgency: str = "",
) -> PartnerReferral:
    """A partner's concern about a child, sent to a local authority's front door. Only a name for the child
    and the worry are required. It reads and opens no record, and gives the submitter no involvement."""
    from safeguarding.core.text import normalise_postcode
    from safeguarding.people.identifiers import InvalidNhsNumber, clean_nhs_number

    if not may_submit_referral(principal):
        raise ContactRefused("Your role cannot submit referrals to the front door")
    assert principal.membership is not None
    today = timezone.localdate(now)
    if local_authority.pk not in {la.pk for la in referral_local_authorities(principal, today=today)}:
        raise ContactRefused("Choose a local authority whose safeguarding partnership your organisation is in")
    given = " ".join(_text(child_given_name, "the child's first name", limit=100).split())
    family = " ".join(_text(child_family_name, "the child's last name", limit=100).split())
    born = None if unborn else child_date_of_birth
    due = child_expected_due_date if unborn else None
    problems = referral_problems(
        unborn=unborn,
        child_given_name=given,
        child_family_name=family,
        child_date_of_birth=child_date_of_birth,
        child_expected_due_date=due,
        today=today,
    )
    if problems:
        raise ContactRefused(next(iter(problems.values())))
    nhs = ""
    if child_nhs_number.strip():
        try:
            nhs = clean_nhs_number(child_nhs_number)
        except InvalidNhsNumber as invalid:
            raise ContactRefused(str(invalid)) from invalid
    postcode = ""
    if child_postcode.strip():
        postcode = normalise_postcode(child_postcode) or ""
        if not postcode:
            raise ContactRefused("Enter a real postcode, like SW1A 1AA")
    consent = _choice(consent, Consent, "whether consent was given", required=False)
    not_sought = _text(consent_not_sought_reason, "why consent was not sought")
    if consent == Consent.NOT_SOUGHT and not not_sought:
        raise ContactRefused("Say why consent to share was not sought")
    referral = PartnerReferral(
        local_authority=local_authority,
        submitted_at=now,
        submitted_by=principal.user,
        referrer_organisation=principal.membership.organisation,
        referrer_role=_text(referrer_role, "your role", limit=200),
        referrer_contact_details=_text(referrer_contact_details, "how to contact you", limit=300),
        unborn=unborn,
        child_given_name=given,
        child_family_name=family,
        child_date_of_birth=born,
        child_expected_due_date=due,
        child_nhs_number=nhs,
        child_address=_text(child_address, "the child's address", limit=300),
        child_postcode=postcode,
        child_setting=_text(child_setting, "the child's school or setting", limit=200),
        worries=_text(worries, "what you are worried about", required=True),
        going_well=_text(going_well, "what is going well"),
        child_words=_text(child_words, "the child's own words"),
        consent=consent,
        consent_not_sought_reason=not_sought if consent == Consent.NOT_SOUGHT else "",
        urgency=_choice(urgency, Urgency, "how urgent it is", required=False),
    )
    referral.full_clean()
    referral.save()
    audit.record(
        principal=principal,
        action="referral.submitted",
        at=now,
        object_type="partner-referral",
        object_id=str(referral.public_id),
        details={"local_authority": str(local_authority.public_id), "urgency": referral.urgency or "not stated"},
    )
    return referral


def _check_acceptable(referral: PartnerReferral, principal: Principal) -> None:
    _require(principal, Capability.SCREEN_CONTACTS, message="Only the MASH and team managers can accept referrals")
    if principal.organisation_id != referral.local_authority_id:
        raise ContactRefused("This referral was sent to another local authority's front door")
    if referral.accepted_at is not None:
        raise ContactRefused("This referral has already been accepted as a contact")


@transaction.atomic
def accept_referral(*, referral: PartnerReferral, person: Person, principal: Principal, now: dt.datetime) -> Contact:
    """The front door accepts a partner referral as a contact about the child's one record (chosen through
    frontdoor.queries.choose_person, or made by accept_referral_as_new_person). The contact is received when
    the referral was submitted, so its decision is due from then; the referrer's details come from the referral."""
    referral = (
        PartnerReferral.objects.select_for_update()
        .select_related("submitted_by", "referrer_organisation")
        .get(pk=referral.pk)
    )
    _check_acceptable(referral, principal)
    if person.local_authority_id != referral.local_authority_id:
        raise ContactRefused("This child's record is held by another local authority. Choose a record held here")
    received = timezone.localdate(referral.submitted_at)
    reason = ""
    if is_backdated(received, recorded_on=timezone.localdate(now)):
        reason = f"Submitted by a partner agency online on {received:%-d %B %Y}; accepted by the front door now"
    submitter = referral.submitted_by
    contact = record_contact(
        person=person,
        principal=principal,
        now=now,
        received_at=referral.submitted_at,
        referrer_name=submitter.get_full_name() or submitter.get_username(),
        referrer_role=referral.referrer_role,
        referrer_organisation=referral.referrer_organisation,
        referrer_contact_details=referral.referrer_contact_details,
        worries=referral.worries,
        going_well=referral.going_well,
        child_words=referral.child_words,
        consent=referral.consent,
        consent_not_sought_reason=referral.consent_not_sought_reason,
        urgency=referral.urgency,
        backdated_reason=reason,
        referral=referral,
    )
    referral.accepted_at, referral.accepted_by = now, principal.user
    referral.full_clean()
    referral.save(update_fields=["accepted_at", "accepted_by"])
    _audit(principal, "referral.accepted", contact, now, referral=referral.public_id)
    return contact


@transaction.atomic
def accept_referral_as_new_person(*, referral: PartnerReferral, principal: Principal, now: dt.datetime) -> Contact:
    """No record matches: create the child's record from the referral's details, then accept it (one transaction:
    a refusal of either leaves no record behind)."""
    from safeguarding.people import services as people

    _check_acceptable(referral, principal)
    data = {
        "kind": PersonKind.UNBORN if referral.unborn else PersonKind.CHILD,
        "given_name": referral.child_given_name,
        "family_name": referral.child_family_name,
        "date_of_birth": referral.child_date_of_birth,
        "expected_due_date": referral.child_expected_due_date,
        "nhs_number": referral.child_nhs_number,
    }
    address = (
        {"line_1": referral.child_address[:200], "postcode": referral.child_postcode}
        if referral.child_address
        else None
    )
    try:
        person = people.create_person(
            principal=principal, now=now, local_authority=referral.local_authority, data=data, first_address=address
        )
    except people.PersonChangeRefused as refused:
        raise ContactRefused(str(refused)) from refused
    return accept_referral(referral=referral, person=person, principal=principal, now=now)
