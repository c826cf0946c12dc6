"""Front door forms: validation only (writes are in frontdoor.services). Messages follow GOV.UK style."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from safeguarding.casework.codes import PrimaryNeed, ReferralSource
from safeguarding.core.dates import is_backdated
from safeguarding.core.text import normalise_postcode
from safeguarding.organisations.models import Organisation
from safeguarding.people.forms import RecordForm, choice_field, date_field, text_field
from safeguarding.people.identifiers import InvalidNhsNumber, clean_nhs_number

from .codes import AgencyType, Consent, Decision, FeedbackMethod, Rag, Urgency
from .services import referral_problems

LONG = 10_000
TIME = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")


def _time_field(label: str) -> forms.CharField:
    field = text_field(label, 5, help_text="Use the 24-hour clock, for example 14:30. Leave blank for now.")
    field.widget.attrs["class"] = "govuk-input--width-5"
    return field


def _when(form: RecordForm, date_name: str, time_name: str, now: dt.datetime, label: str) -> dt.datetime | None:
    """The local date and time entered (now when both are blank); adds an error and returns None when wrong."""
    day: dt.date | None = form.cleaned_data.get(date_name)
    raw = (form.cleaned_data.get(time_name) or "").strip()
    if date_name in form.errors or time_name in form.errors:
        return None
    if day is None and not raw:
        return now
    local_now = timezone.localtime(now)
    day = day or local_now.date()
    if raw:
        match = TIME.match(raw)
        if not match:
            form.add_error(time_name, f"{label} time must be a time on the 24-hour clock, for example 14:30")
            return None
        moment = dt.time(int(match[1]), int(match[2]))
    else:
        moment = local_now.time() if day == local_now.date() else dt.time(12, 0)
    when = timezone.make_aware(dt.datetime.combine(day, moment), timezone.get_current_timezone())
    if when > now + dt.timedelta(minutes=5):
        form.add_error(date_name if day > local_now.date() else time_name, f"{label} cannot be in the future")
        return None
    return when


class ContactForm(RecordForm):
    referrer_name = text_field("Name", 200, required="Enter the name of the person who raised the concern")
    referrer_role = text_field("Role", 200, help_text="For example, class teacher, health visitor, grandparent")
    referrer_agency = text_field("Agency", 200, help_text="Where they work, if they are a professional")
    referrer_organisation = forms.ModelChoiceField(
        label="Or choose their organisation",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="Not listed, or not a professional",
        error_messages={"invalid_choice": "Choose an organisation from the list"},
    )
    referrer_contact_details = text_field("How to contact them", 300, help_text="Phone number or secure email")
    worries = text_field(
        "What are they worried about?", LONG, required="Enter what they are worried about", textarea=True
    )
    going_well = text_field("What is going well?", LONG, textarea=True, help_text="Strengths and safety in the family")
    child_words = text_field(
        "The child's own words, if known", LONG, textarea=True, help_text="What the child said, as they said it"
    )
    consent = choice_field(
        "Has the family consented to information being shared?",
        Consent.choices,
        "Select whether consent was given",
        required=False,
    )
    consent_not_sought_reason = text_field(
        "Why was consent not sought?",
        LONG,
        textarea=True,
        help_text="For example, asking would put the child at greater risk",
    )
    urgency = choice_field("How urgent is it?", Urgency.choices, "Select how urgent it is", required=False)
    received_on = date_field("Date received", "For example, 27 3 2026. Leave blank for today.")
    received_time = _time_field("Time received")
    backdated_reason = text_field(
        "Why is it being recorded now?", LONG, textarea=True, help_text="Only if it was received more than a day ago"
    )

    def __init__(self, *args: Any, now: dt.datetime, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.now = now
        self.fields["referrer_organisation"].queryset = organisations  # type: ignore[attr-defined]
        self.received_at: dt.datetime | None = None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("consent") == Consent.NOT_SOUGHT and not cleaned.get("consent_not_sought_reason"):
            self.error_once("consent_not_sought_reason", "Say why consent to share was not sought")
        self.received_at = _when(self, "received_on", "received_time", self.now, "The date and time received")
        if self.received_at is not None:
            stale = is_backdated(timezone.localdate(self.received_at), recorded_on=timezone.localdate(self.now))
            if stale and not cleaned.get("backdated_reason"):
                self.error_once(
                    "backdated_reason", "The contact was received more than a day ago: say why it is being recorded now"
                )
        return cleaned


class ScreeningForm(RecordForm):
    rag = choice_field("RAG rating", Rag.choices, "Select a RAG rating")
    reason = text_field("Reason for the rating", LONG, required="Enter the reason for the rating", textarea=True)


class InformationRequestForm(RecordForm):
    agency_type = choice_field("Which agency are you asking?", AgencyType.choices, "Select the agency you are asking")
    organisation = forms.ModelChoiceField(
        label="Organisation",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="Not a listed organisation",
        error_messages={"invalid_choice": "Choose an organisation from the list"},
    )
    question = text_field("What are you asking?", LONG, required="Enter what you are asking", textarea=True)

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]


class AnswerForm(RecordForm):
    answer = text_field("Their answer", LONG, required="Enter the agency's answer", textarea=True)
    answered_on = date_field("Date answered", "Leave blank for today")
    answered_time = _time_field("Time answered")

    def __init__(self, *args: Any, now: dt.datetime, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.now = now
        self.answered_at: dt.datetime | None = None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        self.answered_at = _when(self, "answered_on", "answered_time", self.now, "The date and time answered")
        return cleaned


class DecisionForm(RecordForm):
    decision = choice_field("What happens next?", Decision.choices, "Select what happens next")
    rationale = text_field("Why?", LONG, required="Enter the reason for the decision", textarea=True)
    referral_source = choice_field(
        "Referral source (CIN census)",
        ReferralSource.choices,
        "Select the referral source",
        radios=False,
        required=False,
        help_text="Only for a referral or a strategy discussion. Suggested from who raised the contact.",
    )
    primary_need = choice_field(
        "Primary need",
        [("", "Not yet known"), *PrimaryNeed.choices],
        "Select the primary need",
        radios=False,
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        opens = cleaned.get("decision") in (Decision.REFERRAL, Decision.STRATEGY)
        if opens and not cleaned.get("referral_source"):
            self.error_once("referral_source", "Select the referral source")
        return cleaned


class FeedbackForm(RecordForm):
    feedback = text_field("What did you tell them?", LONG, required="Enter what the referrer was told", textarea=True)
    method = choice_field("How?", FeedbackMethod.choices, "Select how the referrer was told")


class ReferralForm(RecordForm):
    """A partner's referral: the child as they know them and the concern. Only a name and the worry are needed."""

    local_authority = forms.ModelChoiceField(
        label="Which local authority is the child's?",
        queryset=Organisation.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        help_text="Where the child lives. Your organisation works with more than one.",
        error_messages={
            "required": "Select the local authority where the child lives",
            "invalid_choice": "Select the local authority where the child lives",
        },
    )
    unborn = forms.BooleanField(
        label="The child is not born yet", required=False, help_text="Give the expected due date instead of a birthday"
    )
    child_given_name = text_field(
        "First name", 100, help_text="Give a first name, a last name or both. Leave blank for an unborn child."
    )
    child_family_name = text_field("Last name", 100, help_text="For an unborn child, the family's last name")
    child_date_of_birth = date_field("Date of birth", "For example, 27 3 2016. Leave blank if you do not know it.")
    child_expected_due_date = date_field("Expected due date", "Only for an unborn child. For example, 14 2 2027")
    child_nhs_number = text_field("NHS number", 20, help_text="If you know it. 10 digits, for example 999 000 0018")
    child_address = text_field("Address", 300, help_text="Where the child lives now")
    child_postcode = text_field("Postcode", 10)
    child_setting = text_field("School, nursery or other setting", 200)
    worries = text_field(
        "What are you worried about?", LONG, required="Enter what you are worried about", textarea=True
    )
    going_well = text_field("What is going well?", LONG, textarea=True, help_text="Strengths and safety in the family")
    child_words = text_field(
        "The child's own words, if known", LONG, textarea=True, help_text="What the child said, as they said it"
    )
    consent = choice_field(
        "Has the family consented to you sharing this?",
        Consent.choices,
        "Select whether consent was given",
        required=False,
    )
    consent_not_sought_reason = text_field(
        "Why was consent not sought?",
        LONG,
        textarea=True,
        help_text="For example, asking would put the child at greater risk",
    )
    urgency = choice_field("How urgent is it?", Urgency.choices, "Select how urgent it is", required=False)
    referrer_role = text_field("Your role", 200, help_text="For example, designated safeguarding lead")
    referrer_contact_details = text_field(
        "How can the front door contact you?", 300, help_text="A phone number or secure email"
    )

    def __init__(self, *args: Any, today: dt.date, local_authorities: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.local_authorities = local_authorities
        if len(local_authorities) > 1:
            field = self.fields["local_authority"]
            field.queryset = Organisation.objects.filter(pk__in=[la.pk for la in local_authorities])  # type: ignore[attr-defined]
        else:
            del self.fields["local_authority"]

    @property
    def chooses_local_authority(self) -> bool:
        return "local_authority" in self.fields

    def chosen_local_authority(self) -> Organisation:
        if self.chooses_local_authority:
            return self.cleaned_data["local_authority"]  # type: ignore[no-any-return]
        return self.local_authorities[0]

    def clean_child_nhs_number(self) -> str:
        raw = self.cleaned_data["child_nhs_number"]
        if not raw.strip():
            return ""
        try:
            return clean_nhs_number(raw)
        except InvalidNhsNumber as exc:
            raise ValidationError(str(exc)) from None

    def clean_child_postcode(self) -> str:
        raw = self.cleaned_data["child_postcode"]
        if not raw.strip():
            return ""
        postcode = normalise_postcode(raw)
        if not postcode:
            raise ValidationError("Enter a real postcode, like SW1A 1AA")
        return postcode

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for name in ("child_given_name", "child_family_name"):
            if isinstance(cleaned.get(name), str):
                cleaned[name] = " ".join(cleaned[name].split())
        unborn = bool(cleaned.get("unborn"))
        if not unborn and cleaned.get("child_expected_due_date"):
            self.error_once("child_expected_due_date", "Only give an expected due date if the child is not born yet")
        problems = referral_problems(
            unborn=unborn,
            child_given_name=cleaned.get("child_given_name") or "",
            child_family_name=cleaned.get("child_family_name") or "",
            child_date_of_birth=cleaned.get("child_date_of_birth"),
            child_expected_due_date=cleaned.get("child_expected_due_date"),
            today=self.today,
        )
        for name, message in problems.items():
            self.error_once(name, message)
        if cleaned.get("consent") == Consent.NOT_SOUGHT and not cleaned.get("consent_not_sought_reason"):
            self.error_once("consent_not_sought_reason", "Say why consent to share was not sought")
        return cleaned

    def submission(self) -> dict[str, Any]:
        """The answers as services.submit_referral takes them."""
        names = [name for name in self.fields if name != "local_authority"]
        return {name: self.cleaned_data[name] for name in names}
