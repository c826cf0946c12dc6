"""The form for an information-sharing decision. The rules are the service's (services.check), shown per field."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from safeguarding.core.forms import GovukDateField
from safeguarding.organisations.models import Organisation
from safeguarding.people.forms import RecordForm, choice_field, text_field

from . import services
from .codes import Category, Consent, Decision, LawfulBasis, SpecialCondition

TEXT_MAX = 5_000
BACKDATED_HELP = "Only if the decision was made more than a day ago."


class DecisionForm(RecordForm):
    recipient_organisation = forms.ModelChoiceField(
        label="Which organisation?",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="None, or not listed",
        help_text="The agency the information is, or is not, shared with.",
        error_messages={"invalid_choice": "Select an organisation from the list"},
    )
    recipient_name = text_field("Name of the person", 200, help_text="If known, or if there is no organisation.")
    recipient_role = text_field("Their role", 200, help_text="For example, designated safeguarding lead.")
    description = text_field("What information?", TEXT_MAX, textarea=True, required=services.MESSAGES["description"])
    categories = forms.MultipleChoiceField(
        label="What kind of information?",
        choices=Category.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply. Special category data needs an Article 9 condition as well.",
        error_messages={"required": services.MESSAGES["categories"], "invalid_choice": services.MESSAGES["categories"]},
    )
    decision = choice_field("What was decided?", Decision.choices, services.MESSAGES["decision"])
    reason = text_field("Why?", TEXT_MAX, textarea=True, required=services.MESSAGES["reason"])
    lawful_basis = choice_field(
        "Lawful basis for sharing",
        [("", "None: the information is not shared"), *LawfulBasis.choices],
        services.MESSAGES["basis"],
        required=False,
        help_text="Public task covers the statutory safeguarding functions (Children Acts 1989 and 2004).",
    )
    special_condition = forms.BooleanField(
        label=SpecialCondition.SAFEGUARDING.label,
        required=False,
        help_text="Tick only when sharing health, ethnicity or religion, or sex life information.",
    )
    consent = choice_field("Consent", Consent.choices, services.MESSAGES["consent"])
    consent_reason = text_field(
        "About consent",
        TEXT_MAX,
        textarea=True,
        help_text="Needed if consent was not sought, or if sharing although consent was refused or not yet given.",
    )
    decided_on = GovukDateField(
        label="When was the decision made?",
        help_text="For example, 27 3 2026",
        error_messages={
            "incomplete": "The date of the decision must include a day, month and year",
            "required": "Enter when the decision was made",
        },
    )
    backdated_reason = text_field("Why is this being recorded later?", 2000, textarea=True, help_text=BACKDATED_HELP)

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["decided_on"].initial = today
        field = self.fields["recipient_organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Organisation.objects.filter(valid_to__isnull=True).order_by("name")
        field.to_field_name = "public_id"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        cleaned["special_condition"] = SpecialCondition.SAFEGUARDING if cleaned.get("special_condition") else ""
        if not cleaned.get("recipient_organisation") and not (cleaned.get("recipient_name") or "").strip():
            self.error_once("recipient_name", services.MESSAGES["recipient"])
        if "decision" in cleaned and "categories" in cleaned and "consent" in cleaned:
            for name, message in services.check(
                decision=cleaned["decision"],
                reason=cleaned.get("reason", "") or "x",  # its own required message is shown already
                lawful_basis=cleaned.get("lawful_basis", ""),
                special_condition=cleaned.get("special_condition", ""),
                categories=cleaned["categories"],
                consent=cleaned["consent"],
                consent_reason=cleaned.get("consent_reason", ""),
            ):
                self.error_once(name, message)
        on = cleaned.get("decided_on")
        if isinstance(on, dt.date):
            for name, message in services.check_date(
                on, today=self.today, backdated_reason=cleaned.get("backdated_reason", "")
            ):
                self.error_once(name, message)
        return cleaned
