"""The chronology's filter (GET) and the form for an event a partner reported."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from safeguarding.core.dates import is_backdated
from safeguarding.core.forms import GovukDateField
from safeguarding.organisations.models import Organisation
from safeguarding.people.forms import RecordForm, choice_field, text_field

from .models import Significance
from .queries import OTHER_AGENCY, Filter


class FilterForm(forms.Form):
    agency = forms.ChoiceField(label="Agency", required=False, widget=forms.Select(attrs={"class": "govuk-select"}))
    significance = forms.MultipleChoiceField(
        label="Significance", required=False, choices=Significance.choices, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, agencies: list[Organisation], other: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "Every agency")] + [(str(a.public_id), a.name) for a in agencies]
        if other:
            choices.append((OTHER_AGENCY, "Agencies not on the system"))
        field = self.fields["agency"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def filter(self) -> Filter:
        """The filter asked for; anything invalid (an agency no longer in the list) falls back to everything."""
        if not self.is_bound or not self.is_valid():
            return Filter()
        data = self.cleaned_data
        order = list(Significance.values)
        return Filter(agency=data["agency"], significance=tuple(sorted(data["significance"], key=order.index)))


OTHER = "__other__"


class ReportedEventForm(RecordForm):
    occurred_on = GovukDateField(
        label="When did it happen?",
        help_text="For example, 27 3 2026",
        error_messages={
            "required": "Enter when it happened",
            "incomplete": "When did it happen? must include a day, month and year",
        },
    )
    agency = choice_field("Which agency reported it?", [], "Select the agency that reported it", radios=False)
    agency_name = text_field("Name of the agency", 200, help_text="Only if it is not in the list.")
    summary = text_field("What happened?", 5000, textarea=True, required="Say what happened")
    impact = text_field("Impact on the child", 5000, textarea=True, help_text="What it meant for the child, if known.")
    significance = choice_field(
        "How significant is it for the child?",
        [
            (Significance.SIGNIFICANT, "Significant"),
            (Significance.CRITICAL, "Critical"),
            (Significance.ROUTINE, "Routine"),
        ],
        "Select how significant it is for the child",
        initial=Significance.SIGNIFICANT,
    )
    backdated_reason = text_field(
        "Why is this being recorded later?",
        2000,
        textarea=True,
        help_text="Only if it happened more than a day ago: for example, 'reported to me today by the school'.",
    )

    def __init__(self, *args: Any, agencies: list[Organisation], today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.agencies = {str(a.public_id): a for a in agencies}
        field = self.fields["agency"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "Select an agency")] + [(k, a.name) for k, a in self.agencies.items()]
        field.choices += [(OTHER, "Another agency (give its name)")]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        on = cleaned.get("occurred_on")
        if isinstance(on, dt.date):
            if on > self.today:
                self.error_once("occurred_on", "The date it happened cannot be in the future")
            elif is_backdated(on, recorded_on=self.today) and not (cleaned.get("backdated_reason") or "").strip():
                self.error_once("backdated_reason", "Say why this is being recorded more than a day after it happened")
        if cleaned.get("agency") == OTHER and not (cleaned.get("agency_name") or "").strip():
            self.error_once("agency_name", "Enter the name of the agency")
        return cleaned

    def chosen_agency(self) -> Organisation | None:
        return self.agencies.get(self.cleaned_data["agency"])
