"""Forms for the learning pages. Forms parse; the rules (order, dates, required reasons) live in services."""

from __future__ import annotations

import re
import uuid
from typing import Any

from django import forms

from safeguarding.core.forms import date_field, text_area
from safeguarding.organisations.models import Organisation

from .codes import ActionStatus, FactorDomain, Pattern, ReviewDecision

UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)

BACKDATED_HELP = "Needed only when the date is more than a day ago"


def _backdated() -> forms.CharField:
    return forms.CharField(
        label="Why is this being recorded late?", max_length=300, required=False, help_text=BACKDATED_HELP
    )


class IncidentForm(forms.Form):
    reference = forms.CharField(
        label="Reference",
        max_length=40,
        help_text="The partnership's own reference, for example SI-2026-04",
        error_messages={"required": "Enter a reference for the incident"},
    )
    aware_on = date_field("Date the partnership became aware", "Enter the date the partnership became aware")
    summary = text_area("What happened", "Enter what happened")
    children = forms.CharField(
        label="Children concerned",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Paste the address of each child's record, one a line. Only people with access to a child's "
        "record will see who they are; everyone else sees 'a child (details restricted)'.",
    )
    backdated_reason = _backdated()

    def clean_children(self) -> list[uuid.UUID]:
        text = self.cleaned_data["children"]
        found = [uuid.UUID(m) for m in UUID_RE.findall(text)]
        leftover = UUID_RE.sub("", text)
        if re.search(r"[0-9a-f]{6,}", leftover, re.I) and not found:
            raise forms.ValidationError("Enter the address of each child's record, one a line")
        return list(dict.fromkeys(found))


class NotificationForm(forms.Form):
    notified_on = date_field("Date the national panel was notified", "Enter the date the panel was notified")
    backdated_reason = _backdated()


class RapidReviewForm(forms.Form):
    held_on = date_field("Date the rapid review was held", "Enter the date the rapid review was held")
    agencies = text_area("Agencies that took part", "Enter the agencies that took part", help_text="One a line")
    backdated_reason = _backdated()


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Is a local child safeguarding practice review needed?",
        choices=ReviewDecision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether a local review is needed"},
    )
    rationale = text_area("Reasons for the decision", "Enter the reasons for the decision")


class SentForm(forms.Form):
    sent_on = date_field("Date the rapid review was sent to the panel", "Enter the date it was sent")
    backdated_reason = _backdated()


class CommissionForm(forms.Form):
    commissioned_on = date_field("Date the local review was commissioned", "Enter the date it was commissioned")
    reviewer = forms.CharField(
        label="Lead reviewer", max_length=200, error_messages={"required": "Enter who is leading the review"}
    )
    backdated_reason = _backdated()


class PublishForm(forms.Form):
    published_on = date_field("Date published", "Enter the date it was published")
    report_url = forms.URLField(
        label="Link to the published report",
        required=False,
        assume_scheme="https",
        help_text="Needed when a local review was held",
        error_messages={"invalid": "Enter the report's address, like https://example.org/report.pdf"},
    )
    learning_briefing = text_area(
        "Learning briefing",
        "Enter the learning briefing",
        help_text="A short summary of the learning for practitioners, without naming the child",
    )
    backdated_reason = _backdated()


class EpisodeForm(forms.Form):
    occurred_on = date_field("Date of the episode", "Enter the date of the episode")
    what_happened = text_area("What happened", "Enter what happened")
    why_it_made_sense = text_area(
        "Why it made sense at the time",
        "Enter why it made sense to the practitioners at the time",
        help_text="What the practitioners knew and were trying to do then, without hindsight",
    )
    contributory_factors = text_area("Contributory factors", required=False)


class FindingForm(forms.Form):
    pattern = forms.ChoiceField(
        label="Kind of underlying pattern",
        choices=Pattern.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the kind of underlying pattern"},
    )
    statement = text_area("Finding", "Enter the finding", help_text="The pattern in the system, not one person's error")
    evidence = text_area("Evidence", "Enter the evidence for the finding")
    question_for_partnership = text_area("Question for the partnership", required=False)


class AnalysisForm(forms.Form):
    problem = text_area("Care or service delivery problem", "Enter the care or service delivery problem")
    domain = forms.ChoiceField(
        label="Contributory factor domain",
        choices=FactorDomain.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the contributory factor domain"},
    )
    why_1 = forms.CharField(label="Why? (1)", max_length=500, error_messages={"required": "Enter why it happened"})
    why_2 = forms.CharField(label="Why? (2)", max_length=500, required=False)
    why_3 = forms.CharField(label="Why? (3)", max_length=500, required=False)
    why_4 = forms.CharField(label="Why? (4)", max_length=500, required=False)
    why_5 = forms.CharField(label="Why? (5)", max_length=500, required=False)
    root_cause = text_area("Root cause", "Enter the root cause")


class RecommendationForm(forms.Form):
    text = text_area("Recommendation", "Enter the recommendation")


class ActionForm(forms.Form):
    description = text_area("What will be done", "Enter what will be done")
    owner_organisation = forms.ModelChoiceField(
        label="Agency that owns the action",
        queryset=Organisation.objects.none(),
        empty_label="Select an agency",
        error_messages={"required": "Select the agency that owns the action", "invalid_choice": "Select an agency"},
    )
    owner_name = forms.CharField(
        label="Name of the person who owns it", max_length=200, error_messages={"required": "Enter their name"}
    )
    due_on = date_field("Due date", "Enter the date the action is due")

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["owner_organisation"]
        field.queryset = Organisation.objects.filter(id__in=[o.id for o in organisations])  # type: ignore[attr-defined]


class ActionUpdateForm(forms.Form):
    status = forms.ChoiceField(
        label="Status",
        choices=ActionStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the action's status"},
    )
    evidence = text_area("Evidence of completion", required=False, help_text="Needed when the action is done")
    completed_on = date_field("Date it was done", "Enter the date it was done", required=False)
