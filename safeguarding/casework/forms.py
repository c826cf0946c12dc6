"""Forms for each casework step. Validation only: the writes, and the workflow's rules, are in
casework.services (a refused step comes back as an error at the top of the form).

Every form has the event's date and an optional "why is this being recorded now?" box: a date
more than a day ago needs it (records often lag practice), a future date is refused.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from safeguarding.accounts.models import User
from safeguarding.accounts.roles import Role
from safeguarding.core.dates import is_backdated
from safeguarding.core.forms import GovukDateField
from safeguarding.organisations.models import Team
from safeguarding.people.forms import RecordForm, choice_field, date_field, text_field

from .codes import (
    AbuseCategory,
    AssessmentFactor,
    AssessmentOutcome,
    ClosureReason,
    ConferenceDecision,
    PrimaryNeed,
    ReferralSource,
    Section47Outcome,
    StrategyOutcome,
)

LONG = 20_000
SHORT = 2_000

BACKDATED_HELP = "Only if this happened more than a day ago: say why it is being recorded now."


class EventDateField(GovukDateField):
    """The date an event happened: required, with a message that reads as a sentence."""

    def validate(self, value: Any) -> None:
        if value is None:
            raise ValidationError(self.error_messages["required"])


def event_date(label: str, help_text: str = "For example, 27 3 2026") -> EventDateField:
    messages = {"incomplete": f"{label} must include a day, month and year", "required": f"Enter the {label.lower()}"}
    return EventDateField(label=label, required=True, help_text=help_text, error_messages=messages)


def _blank(choices: Any, label: str = "Choose") -> list[tuple[str, str]]:
    return [("", label), *choices]


class StepForm(RecordForm):
    """A casework step: its date (`date_name`) must not be in the future, and needs a reason when
    it is more than a day ago."""

    date_name = ""
    date_what = "this happened"
    voice_label = "Which of the child's words informed this?"

    backdated_reason = text_field("Why it is being recorded now", SHORT, help_text=BACKDATED_HELP, textarea=True)

    def __init__(self, *args: Any, today: dt.date, voice_entries: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.voice_entries = {str(e.public_id): e for e in voice_entries or []}
        if voice_entries is not None and "voice" in self.fields:
            field = self.fields["voice"]
            assert isinstance(field, forms.MultipleChoiceField)
            field.choices = [(pid, _voice_label(e)) for pid, e in self.voice_entries.items()]
            if not self.voice_entries:
                del self.fields["voice"]
        elif "voice" in self.fields:
            del self.fields["voice"]
        # the reason box goes last, after whatever else the step asks
        self.order_fields([name for name in self.fields if name != "backdated_reason"] + ["backdated_reason"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        day = cleaned.get(self.date_name)
        if self.date_name and day is None and self.date_name not in self.errors:
            self.add_error(self.date_name, f"Enter the date {self.date_what}")
        if isinstance(day, dt.date):
            if day > self.today:
                self.error_once(self.date_name, f"The date {self.date_what} cannot be in the future")
            elif is_backdated(day, recorded_on=self.today) and not cleaned.get("backdated_reason", "").strip():
                self.error_once("backdated_reason", "Say why this is being recorded more than a day after it happened")
        return cleaned

    def chosen_voice(self) -> list[Any]:
        return [self.voice_entries[pid] for pid in self.cleaned_data.get("voice", []) if pid in self.voice_entries]

    def step_kwargs(self) -> dict[str, Any]:
        """The service's keyword arguments (every field but the voice checkboxes)."""
        data = {k: v for k, v in self.cleaned_data.items() if k != "voice"}
        if "voice" in self.fields:
            data["voice_entries"] = self.chosen_voice()
        return data


def _voice_label(entry: Any) -> str:
    words = entry.want_to_happen or entry.words or entry.wishes or entry.worries or entry.good_things
    words = " ".join(words.split())
    if len(words) > 120:
        words = words[:117] + "…"
    return f"{entry.recorded_on:%-d %B %Y}: “{words}”"


def voice_field() -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label="Which of the child's words informed this?",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick each of their recent words the decision took into account.",
    )


# ---- referral ------------------------------------------------------------------------------


class ReferralForm(StepForm):
    date_name, date_what = "referral_date", "of the referral"
    referral_date = event_date("Date of the referral")
    referral_source = choice_field(
        "Who made the referral?", _blank(ReferralSource.choices), "Choose who made the referral", radios=False
    )
    primary_need = choice_field(
        "Primary need",
        _blank(PrimaryNeed.choices, "Not known yet"),
        "Choose a primary need from the list",
        radios=False,
        required=False,
        help_text="You can record this later, after the assessment.",
    )
    team = forms.ModelChoiceField(
        label="Team",
        queryset=Team.objects.none(),
        error_messages={"required": "Choose the team", "invalid_choice": "Choose a team from the list"},
    )
    worker = forms.ModelChoiceField(
        label="Allocated worker",
        queryset=User.objects.none(),
        required=False,
        empty_label="Not allocated yet",
        error_messages={"invalid_choice": "Choose a worker from the list"},
    )
    summary = text_field("What the referral is about", SHORT, textarea=True, help_text="A line for the chronology.")

    def __init__(self, *args: Any, local_authority_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        team = self.fields["team"]
        worker = self.fields["worker"]
        assert isinstance(team, forms.ModelChoiceField) and isinstance(worker, forms.ModelChoiceField)
        team.queryset = Team.objects.filter(organisation_id=local_authority_id).order_by("name")
        worker.queryset = (
            User.objects.filter(
                memberships__organisation_id=local_authority_id,
                memberships__is_active=True,
                memberships__role__in=[Role.SOCIAL_WORKER, Role.TEAM_MANAGER],
            )
            .distinct()
            .order_by("last_name", "first_name")
        )
        team.label_from_instance = lambda t: t.name  # type: ignore[method-assign,assignment]
        worker.label_from_instance = lambda u: u.get_full_name() or u.username  # type: ignore[method-assign,assignment]


class PrimaryNeedForm(StepForm):
    primary_need = choice_field("What is the child's primary need?", PrimaryNeed.choices, "Choose a primary need")
    backdated_reason = None  # type: ignore[assignment]  # not an event: recorded as of today


# ---- assessment ----------------------------------------------------------------------------


class AssessmentStartForm(StepForm):
    date_name, date_what = "start_date", "the assessment started"
    start_date = event_date("Date the assessment started")
    timescale_working_days = forms.IntegerField(
        label="Timescale in working days",
        min_value=1,
        max_value=250,
        help_text="Your professional judgement of how long this child's assessment needs.",
        error_messages={
            "required": "Enter the timescale in working days",
            "invalid": "Enter the timescale as a number of working days, like 20",
            "min_value": "The timescale must be at least 1 working day",
            "max_value": "The timescale must be 250 working days or fewer",
        },
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-4", "inputmode": "numeric"}),
    )
    timescale_reason = text_field(
        "Why this timescale", SHORT, required="Say why this timescale is right for this child", textarea=True
    )


class AssessmentCompleteForm(StepForm):
    date_name, date_what = "completed_on", "the assessment was completed"
    completed_on = event_date("Date the assessment was completed")
    factors = forms.MultipleChoiceField(
        label="Factors identified",
        # "No factors identified" first: when it applies it is the only answer
        choices=sorted(AssessmentFactor.choices, key=lambda c: c[0] != AssessmentFactor.F21),
        widget=forms.CheckboxSelectMultiple,
        help_text="Choose every factor the assessment found, or “No factors identified” on its own.",
        error_messages={"required": "Choose the factors identified, or “No factors identified”"},
    )
    outcome = choice_field("Outcome", AssessmentOutcome.choices, "Choose the outcome of the assessment")
    summary = text_field("Summary of the assessment", LONG, textarea=True)
    voice = voice_field()

    def __init__(self, *args: Any, has_plan: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not has_plan:  # "continue current plan" only makes sense when a plan is running
            outcome = self.fields["outcome"]
            assert isinstance(outcome, forms.ChoiceField)
            outcome.choices = [c for c in AssessmentOutcome.choices if c[0] != AssessmentOutcome.CONTINUE]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        factors = cleaned.get("factors") or []
        if AssessmentFactor.F21 in factors and len(factors) > 1:
            self.error_once("factors", "“No factors identified” cannot be chosen with other factors")
        return cleaned


class AuthoriseForm(StepForm):
    date_name, date_what = "authorised_on", "the assessment was authorised"
    authorised_on = event_date("Date of authorisation")


# ---- child in need plan --------------------------------------------------------------------


class CinPlanStartForm(StepForm):
    date_name, date_what = "start_date", "the plan started"
    start_date = event_date("Date the plan started")
    outcomes = text_field(
        "What needs to change for the child",
        LONG,
        required="Say what needs to change for the child",
        textarea=True,
        help_text="In the family's words where you can.",
    )


class CinReviewForm(StepForm):
    date_name, date_what = "held_on", "of the review"
    held_on = event_date("Date of the review")
    progress = text_field("What has changed for the child", LONG, required="Say what has changed", textarea=True)


class CinPlanEndForm(StepForm):
    date_name, date_what = "end_date", "the plan ended"
    end_date = event_date("Date the plan ended")


# ---- strategy discussion and section 47 ----------------------------------------------------


class StrategyForm(StepForm):
    date_name, date_what = "held_on", "of the strategy discussion"
    held_on = event_date("Date of the strategy discussion")
    agencies = text_field(
        "Who took part", SHORT, required="Say who took part, by agency", help_text="By agency: police, health, school…"
    )
    outcome = choice_field("Decision", StrategyOutcome.choices, "Say whether a section 47 enquiry will start")
    rationale = text_field(
        "Reasons for the decision", LONG, required="Give the reasons for the decision", textarea=True
    )
    voice = voice_field()


class Section47StartForm(StepForm):
    date_name, date_what = "start_date", "the enquiry started"
    start_date = event_date("Date the enquiry started")
    conference_target_date = date_field("Target date for an initial conference, if one is needed")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        start, target = cleaned.get("start_date"), cleaned.get("conference_target_date")
        if isinstance(start, dt.date) and isinstance(target, dt.date) and target < start:
            self.error_once("conference_target_date", "The target date cannot be before the enquiry started")
        return cleaned


class Section47OutcomeForm(StepForm):
    date_name, date_what = "completed_on", "the enquiry was completed"
    completed_on = event_date("Date the enquiry was completed")
    outcome = choice_field("Outcome", Section47Outcome.choices, "Choose the outcome of the enquiry")
    findings = text_field("Findings", LONG, textarea=True)
    voice = voice_field()


# ---- conferences and the child protection plan ---------------------------------------------

CATEGORY_MESSAGE = "Choose the category of abuse or neglect for the plan"


class InitialConferenceForm(StepForm):
    date_name, date_what = "held_on", "of the conference"
    held_on = event_date("Date of the conference", "For example, 27 3 2026. A plan starts on this date.")
    decision = choice_field(
        "Decision",
        [(ConferenceDecision.PLAN, "Child protection plan"), (ConferenceDecision.NO_PLAN, "No child protection plan")],
        "Choose the conference's decision",
    )
    category = choice_field(
        "Category of the plan",
        AbuseCategory.choices,
        CATEGORY_MESSAGE,
        required=False,
        help_text="Needed when the decision is a plan.",
    )
    rationale = text_field(
        "Reasons for the decision", LONG, required="Give the conference's reasons for its decision", textarea=True
    )
    voice = voice_field()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("decision") == ConferenceDecision.PLAN and not cleaned.get("category"):
            self.error_once("category", CATEGORY_MESSAGE)
        return cleaned


class ReviewConferenceForm(StepForm):
    date_name, date_what = "held_on", "of the conference"
    held_on = event_date("Date of the review conference")
    decision = choice_field(
        "Decision",
        [(ConferenceDecision.PLAN, "The plan continues"), (ConferenceDecision.END_PLAN, "End the plan")],
        "Choose the conference's decision",
    )
    category = choice_field(
        "Category, if it changes",
        AbuseCategory.choices,
        CATEGORY_MESSAGE,
        required=False,
        help_text="Leave blank to keep the current category.",
    )
    rationale = text_field(
        "Reasons for the decision", LONG, required="Give the conference's reasons for its decision", textarea=True
    )
    voice = voice_field()


class CoreGroupForm(StepForm):
    date_name, date_what = "held_on", "of the meeting"
    held_on = event_date("Date of the meeting")
    agencies = text_field("Who took part", SHORT)
    progress = text_field(
        "Progress against the plan", LONG, required="Say what progress the core group found", textarea=True
    )


class CategoryChangeForm(StepForm):
    date_name, date_what = "changed_on", "of the change"
    changed_on = event_date("Date of the change")
    category = choice_field("New category", AbuseCategory.choices, CATEGORY_MESSAGE)
    reason = text_field("Why the category changed", LONG, required="Say why the category changed", textarea=True)


class CpPlanEndForm(StepForm):
    date_name, date_what = "end_date", "the plan ended"
    end_date = event_date("Date the plan ended")
    end_reason = text_field("Why the plan ended", LONG, required="Say why the plan ended", textarea=True)


# ---- closure -------------------------------------------------------------------------------


class CloseForm(StepForm):
    date_name, date_what = "closure_date", "of closure"
    closure_date = event_date("Date of closure")
    reason = choice_field("Reason for closure", ClosureReason.choices, "Choose the reason for closure")
    note = text_field("Note", LONG, textarea=True)
    end_open_plans = forms.BooleanField(label="End the plan that is running on the closure date", required=False)
    voice = voice_field()

    def __init__(self, *args: Any, has_open_plan: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not has_open_plan:
            del self.fields["end_open_plans"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if "end_open_plans" in self.fields and not cleaned.get("end_open_plans"):
            self.error_once("end_open_plans", "A plan is still running: tick to end it on the closure date")
        return cleaned
