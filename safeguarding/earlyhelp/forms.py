"""Forms for each early help step. Validation only: the workflow and its messages are in services.

Dates: nothing that has happened may be in the future; more than a day ago needs a reason (shown as
back-dated). Each form asks only for what safe practice needs at that step.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import Prefetch, Q

from safeguarding.accounts.models import Membership, User
from safeguarding.casework.codes import PrimaryNeed
from safeguarding.core.dates import is_backdated
from safeguarding.core.forms import GovukDateField
from safeguarding.organisations.models import Partnership, Team
from safeguarding.people.forms import RecordForm, choice_field, text_field
from safeguarding.voice.forms import informed_by_field

from .codes import CHOSEN_CLOSURE_OUTCOMES, ClosureOutcome, ConsentBy, ConsentDecision, FamilyOutcome, Rag
from .models import PlanOutcome

TEXT_MAX = 10_000
BACKDATED_HELP = "Only if this happened more than a day ago: for example, 'written up after the family meeting'."


def _text(label: str, *, required: str = "", help_text: str = "", short: bool = False) -> forms.CharField:
    return text_field(label, 300 if short else TEXT_MAX, required=required, help_text=help_text, textarea=not short)


def _date(
    label: str, message: str, *, required: bool = True, help_text: str = "For example, 27 3 2026"
) -> GovukDateField:
    errors = {"incomplete": f"{label} must include a day, month and year", "required": message}
    return GovukDateField(label=label, required=required, help_text=help_text, error_messages=errors)


class _Step(RecordForm):
    """A step that happened on a day (`date_field`): not in the future; more than a day ago needs a reason."""

    date_field = ""
    what = ""

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        if self.date_field:
            self.fields[self.date_field].initial = today
            self.fields["backdated_reason"] = text_field(
                "Why is this being recorded later?", 2000, textarea=True, help_text=BACKDATED_HELP
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        on = cleaned.get(self.date_field) if self.date_field else None
        if isinstance(on, dt.date):
            if on > self.today:
                self.error_once(self.date_field, f"The date {self.what} cannot be in the future")
            elif is_backdated(on, recorded_on=self.today) and not (cleaned.get("backdated_reason") or "").strip():
                self.error_once("backdated_reason", f"Say why this is being recorded more than a day after {self.what}")
        return cleaned

    @property
    def backdated_reason(self) -> str:
        return str(self.cleaned_data.get("backdated_reason") or "")


class OfferForm(_Step):
    date_field, what = "offered_on", "early help was offered"
    offered_on = _date("When was early help offered?", "Enter when early help was offered")
    reason = _text(
        "Why is early help being offered?",
        required="Say why early help is being offered",
        help_text="In words the family would recognise: what they asked for help with, or what others noticed.",
    )


class ConsentForm(_Step):
    date_field, what = "decided_on", "the family decided"
    decision = choice_field(
        "Has the family agreed to early help?", ConsentDecision.choices, "Select whether the family agreed"
    )
    by_whom = _text(
        "Who decided?",
        required="Enter the name of the person who decided",
        short=True,
        help_text="The parent or carer, or the young person if they decide for themselves",
    )
    relationship = choice_field("Their relationship to the child", ConsentBy.choices, "Select their relationship")
    decided_on = _date("When did they decide?", "Enter when they decided")
    note = _text("Anything to note", help_text="For example, what they agreed to share and with whom")


class AssessmentStartForm(_Step):
    date_field, what = "started_on", "the assessment started"
    started_on = _date("When did the assessment start?", "Enter when the assessment started")


class AssessmentCompleteForm(_Step):
    date_field, what = "completed_on", "the assessment was completed"
    strengths = _text("What is working well?", required="Say what is working well for the child and family")
    needs = _text("What does the family need help with?", required="Say what the family needs help with")
    family_view = _text("The family's view")
    child_view = _text(
        "The child's view",
        required="Record the child's view: in their own words, or for a baby what you saw of their experience",
        help_text="In the child's own words where possible. For a baby, what you saw of their experience.",
    )
    completed_on = _date("When was the assessment completed?", "Enter when the assessment was completed")


class ProfessionalChoiceField(forms.ModelChoiceField):
    """Users shown with where they work, so people from different agencies can be told apart."""

    def label_from_instance(self, obj: Any) -> str:
        where = sorted({m.organisation.name for m in obj.memberships.all() if m.is_active})
        return f"{obj} ({', '.join(where)})" if where else str(obj)


class _ProfessionalForm(_Step):
    """A professional from any agency: a user of the system (chosen from the partnership), or a named person."""

    def __init__(self, *args: Any, users: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"] = ProfessionalChoiceField(
            label="Who (if they use this system)",
            help_text="Or, if they do not use this system, give their name and organisation instead.",
            queryset=users,
            required=False,
            empty_label="Choose a person",
            error_messages={"invalid_choice": "Choose someone from the list"},
        )
        self.fields["name"] = _text("Name (if they do not use this system)", short=True)
        self.fields["organisation_name"] = _text(
            "Their organisation or agency", short=True, help_text="For example, Northbridge Primary School"
        )
        self.order_fields(["user", "name", "organisation_name", "role", self.date_field, "backdated_reason"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        user, name = cleaned.get("user"), (cleaned.get("name") or "").strip()
        if "user" in self.errors:
            return cleaned
        if user and name:
            self.error_once("name", "Choose someone who uses this system or give a name, not both")
        elif not user and not name:
            self.error_once("user", "Choose someone who uses this system, or give the name of someone outside it")
        elif name and not (cleaned.get("organisation_name") or "").strip():
            self.error_once("organisation_name", "Enter their organisation or agency")
        return cleaned


class LeadProfessionalForm(_ProfessionalForm):
    date_field, what = "started_on", "they became lead professional"
    role = _text("Their role", short=True, help_text="For example, family support worker or school SENCO")
    started_on = _date("When did they become lead professional?", "Enter when they became lead professional")


class MemberForm(_ProfessionalForm):
    date_field, what = "joined_on", "they joined"
    role = _text(
        "Their role with the family",
        required="Enter their role with the family",
        short=True,
        help_text="For example, school nurse or housing officer",
    )
    joined_on = _date("When did they join?", "Enter when they joined")


class MemberLeftForm(_Step):
    date_field, what = "left_on", "they left"
    left_on = _date("When did they leave?", "Enter when they left")


class _OutcomeFields(RecordForm):
    change = _text(
        "What will change?",
        required="Say what will change",
        help_text="In the family's words where possible: what will be different for the child",
    )
    due_on = _date("By when?", "Enter when it should have changed by")
    who = _text("Who will help?", required="Say who will help make the change", short=True)
    headline = choice_field(
        "Supporting Families outcome",
        [("", "None")] + FamilyOutcome.choices,
        "Select an outcome from the list",
        radios=False,
        required=False,
    )


class OutcomeForm(_Step, _OutcomeFields):
    """Another outcome for a running plan (no date of its own: it is added today)."""


class PlanStartForm(_Step, _OutcomeFields):
    date_field, what = "started_on", "the plan started"
    started_on = _date("When did the plan start?", "Enter when the plan started")
    first_review_on = _date(
        "First review by",
        "Enter when the plan will first be reviewed",
        help_text="When the team around the family will meet to review it. For example, 27 3 2026",
    )

    field_order = ["started_on", "first_review_on", "change", "due_on", "who", "headline"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        start, review = cleaned.get("started_on"), cleaned.get("first_review_on")
        if isinstance(start, dt.date) and isinstance(review, dt.date) and review <= start:
            self.error_once("first_review_on", "The first review must be after the plan starts")
        return cleaned


def add_informed_by(form: forms.Form, entries: list[Any]) -> None:
    """ "Which of the child's words informed this?" on an early help decision (voice.forms.informed_by_field)."""
    form.voice_entries = {str(e.public_id): e for e in entries}  # type: ignore[attr-defined]
    form.fields["voice"] = informed_by_field(entries)


def chosen_voice(form: forms.Form) -> list[Any]:
    entries = getattr(form, "voice_entries", {})
    return [entries[pid] for pid in form.cleaned_data.get("voice", []) if pid in entries]


class ReviewForm(_Step):
    """Progress on every outcome (a RAG rating and a note each), a summary and the next review."""

    date_field, what = "held_on", "the review was held"
    held_on = _date("When was the review held?", "Enter when the review was held")
    summary = _text("What was agreed", help_text="Decisions and actions from the review")
    next_review_on = _date(
        "Next review by",
        "Enter when the next review will be",
        help_text="When the team around the family will next meet. For example, 27 3 2026",
    )

    def __init__(self, *args: Any, outcomes: list[PlanOutcome], voice_entries: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.outcomes = outcomes
        add_informed_by(self, list(voice_entries))
        for outcome in outcomes:
            what = outcome.change if len(outcome.change) <= 60 else f"{outcome.change[:57]}..."
            self.fields[f"rag_{outcome.pk}"] = choice_field(
                f"Progress on '{what}'", Rag.choices, f"Select the progress on '{what}'"
            )
            self.fields[f"note_{outcome.pk}"] = _text("What has changed")
        per_outcome = [f"{kind}_{o.pk}" for o in outcomes for kind in ("rag", "note")]
        self.order_fields(["held_on", *per_outcome, "summary", "next_review_on", "backdated_reason"])

    def outcome_fields(self) -> list[tuple[PlanOutcome, Any, Any]]:
        return [(o, self[f"rag_{o.pk}"], self[f"note_{o.pk}"]) for o in self.outcomes]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        held, following = cleaned.get("held_on"), cleaned.get("next_review_on")
        if isinstance(held, dt.date) and isinstance(following, dt.date) and following <= held:
            self.error_once("next_review_on", "The next review must be after this one")
        return cleaned

    def progress(self) -> dict[int, tuple[str, str]]:
        data = self.cleaned_data
        return {o.pk: (data[f"rag_{o.pk}"], data.get(f"note_{o.pk}") or "") for o in self.outcomes}


class StepUpForm(_Step):
    date_field, what = "stepped_up_on", "of the step-up"
    reason = _text(
        "Why does the child need children's social care?",
        required="Say why the child needs social care",
        help_text="What has changed, and what you are worried will happen if nothing changes",
    )
    team = forms.ModelChoiceField(
        label="Which social care team will take the referral?",
        queryset=Team.objects.none(),
        empty_label="Choose a team",
        error_messages={
            "required": "Choose the team taking the referral",
            "invalid_choice": "Choose a team from the list",
        },
    )
    primary_need = choice_field(
        "Primary need (if known)",
        [("", "Not yet known")] + PrimaryNeed.choices,
        "Select a need from the list",
        radios=False,
        required=False,
    )
    stepped_up_on = _date("Date of the step-up", "Enter the date of the step-up")

    def __init__(self, *args: Any, teams: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]


class CloseForm(_Step):
    date_field, what = "closure_date", "the early help closed"
    outcome = choice_field(
        "Why is early help closing?",
        [(o.value, o.label) for o in CHOSEN_CLOSURE_OUTCOMES],
        "Select why early help is closing",
        help_text="To step up to social care or record that the family declined, use those steps instead.",
    )
    note = _text("Moving on", help_text="What has changed, and what support continues. Needed if you chose 'Other'.")
    closure_date = _date("Closure date", "Enter the closure date")

    def __init__(self, *args: Any, voice_entries: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        add_informed_by(self, list(voice_entries))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("outcome") == ClosureOutcome.OTHER and not (cleaned.get("note") or "").strip():
            self.error_once("note", "Say why early help is closing")
        return cleaned


def professionals(local_authority_id: int) -> Any:
    """Active users working in the child's local authority or its partnerships' organisations (any agency)."""
    orgs = Partnership.objects.filter(local_authority_id=local_authority_id).values("organisations")
    return (
        User.objects.filter(is_active=True, memberships__is_active=True)
        .filter(Q(memberships__organisation_id=local_authority_id) | Q(memberships__organisation_id__in=orgs))
        .distinct()
        .prefetch_related(Prefetch("memberships", queryset=Membership.objects.select_related("organisation")))
        .order_by("last_name", "first_name", "id")
    )
