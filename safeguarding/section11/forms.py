"""Forms for the section 11 pages. Rules live in services; forms parse and show their errors."""

from __future__ import annotations

from typing import Any

from django import forms

from safeguarding.core.forms import GovukDateField

from .models import Rag, Rating, Standard
from .services import Section11ChangeRefused

RAG_CHOICES = [(value, label) for value, label in Rag.choices]


class ServiceErrorsMixin(forms.Form):
    def add_service_errors(self, refused: Section11ChangeRefused) -> None:
        for name, messages in refused.errors.items():
            for message in messages:
                self.add_error(name if name in self.fields else None, message)


class StandardForm(ServiceErrorsMixin):
    title = forms.CharField(label="Title", max_length=200, error_messages={"required": "Enter the standard's title"})
    text = forms.CharField(
        label="What the standard requires",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter what the standard requires"},
    )
    source = forms.CharField(label="Source", max_length=300, required=False)
    is_active = forms.BooleanField(label="Use this standard in new cycles", required=False)


class CycleForm(ServiceErrorsMixin):
    name = forms.CharField(
        label="Name of the cycle",
        max_length=120,
        help_text="For example, 2026 to 2027",
        error_messages={"required": "Enter a name for the cycle, for example 2026 to 2027"},
    )
    opens_on = GovukDateField(label="Opens", error_messages={"required": "Enter the date the cycle opens"})
    self_assessment_due_on = GovukDateField(
        label="Self-assessments due", error_messages={"required": "Enter the date self-assessments are due"}
    )
    moderation_due_on = GovukDateField(
        label="Moderation due", error_messages={"required": "Enter the date moderation is due"}
    )


class SelfAssessmentForm(ServiceErrorsMixin):
    """Evidence and a RAG rating for every standard of the assessment; a draft may leave some blank."""

    def __init__(self, *args: Any, ratings: list[Rating], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.ratings = ratings
        for rating in ratings:
            self.fields[f"evidence_{rating.id}"] = forms.CharField(
                label="Evidence",
                required=False,
                initial=rating.evidence,
                widget=forms.Textarea(attrs={"rows": 4}),
                help_text="What shows the standard is met: policies, audits, minutes, figures",
            )
            self.fields[f"rag_{rating.id}"] = forms.ChoiceField(
                label="RAG rating",
                required=False,
                initial=rating.rag,
                choices=RAG_CHOICES,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": "Select red, amber or green"},
            )

    def sections(self) -> list[tuple[Rating, forms.BoundField, forms.BoundField]]:
        return [(r, self[f"evidence_{r.id}"], self[f"rag_{r.id}"]) for r in self.ratings]

    def entries(self) -> dict[int, tuple[str, str]]:
        data = self.cleaned_data
        return {r.id: (data[f"evidence_{r.id}"], data[f"rag_{r.id}"]) for r in self.ratings}


class ModerationForm(ServiceErrorsMixin):
    challenge = forms.CharField(
        label="Challenge",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What the organisation needs to show or explain. Leave blank if you agree the rating.",
    )
    agreed_rag = forms.ChoiceField(
        label="Agreed RAG rating",
        required=False,
        choices=RAG_CHOICES,
        widget=forms.RadioSelect,
        help_text="Select once the rating is agreed; leave unselected while the challenge is open",
        error_messages={"invalid_choice": "Select red, amber or green"},
    )


class ResponseForm(ServiceErrorsMixin):
    response = forms.CharField(
        label="Your response",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter your response to the challenge"},
    )


class ActionForm(ServiceErrorsMixin):
    description = forms.CharField(
        label="What needs to be done",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter what needs to be done"},
    )
    standard = forms.ModelChoiceField(
        label="Standard",
        queryset=Standard.objects.none(),
        required=False,
        empty_label="Not about one standard",
        error_messages={"invalid_choice": "Select a standard of this cycle"},
    )
    owner = forms.CharField(
        label="Owner",
        max_length=200,
        help_text="A named person or post",
        error_messages={"required": "Enter who owns the action"},
    )
    due_on = GovukDateField(label="Due", error_messages={"required": "Enter the date the action is due"})

    def __init__(self, *args: Any, standards: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["standard"].queryset = standards  # type: ignore[attr-defined]


class ActionUpdateForm(ServiceErrorsMixin):
    evidence = forms.CharField(
        label="Evidence of progress or completion", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    completed_on = GovukDateField(
        label="Date completed", required=False, help_text="Leave blank if the action is still open"
    )
