"""The auditor's search form and the alert review form."""

from __future__ import annotations

import re
import uuid
from typing import Any

from django import forms

from safeguarding.core.forms import GovukDateField

from .models import Outcome
from .queries import Criteria


class AuditSearchForm(forms.Form):
    username = forms.CharField(label="Username", required=False, max_length=150)
    child = forms.CharField(
        label="Child's NHS number or record ID",
        required=False,
        max_length=40,
        help_text="For example, 999 123 4567",
    )
    action = forms.CharField(
        label="Action",
        required=False,
        max_length=80,
        help_text="For example person.view, or person. for every action on records",
    )
    outcome = forms.ChoiceField(label="Outcome", required=False, choices=[("", "Any outcome"), *Outcome.choices])
    date_from = GovukDateField(label="From", required=False, help_text="For example, 1 4 2025")
    date_to = GovukDateField(label="To", required=False, help_text="Includes this day")

    def clean_child(self) -> str:
        value = str(self.cleaned_data["child"]).replace(" ", "").strip()
        if not value:
            return ""
        if re.fullmatch(r"\d{10}", value):
            return value
        try:
            return str(uuid.UUID(value))
        except ValueError:
            raise forms.ValidationError("Enter a 10-digit NHS number or a record ID") from None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "To must be the same as or after From")
        return data

    def criteria(self) -> Criteria:
        data = self.cleaned_data
        return Criteria(
            username=data["username"].strip(),
            child=data["child"],
            action=data["action"].strip(),
            outcome=data["outcome"],
            date_from=data["date_from"],
            date_to=data["date_to"],
        )


class AlertReviewForm(forms.Form):
    note = forms.CharField(
        label="Review note",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What you checked and what you found, for example: confirmed with the duty manager",
    )
