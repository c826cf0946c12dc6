"""Forms for break-glass, restricting a record and naming people on it. Validation only: writes are in services."""

from __future__ import annotations

from typing import Any

from django import forms

from safeguarding.accounts.models import User
from safeguarding.people.forms import RecordForm, choice_field, text_field

from .models import BreakGlassReason

EXPLANATION_MAX = 2000


class BreakGlassForm(RecordForm):
    reason_code = choice_field(
        "Why do you need to open this record now?", BreakGlassReason.choices, "Select why you need emergency access"
    )
    reason = text_field(
        "Explain what has happened",
        EXPLANATION_MAX,
        required="Explain why you need emergency access",
        min_length=10,
        help_text="Say who asked, what has happened and why it cannot wait. Auditors will read this.",
        textarea=True,
    )


class RestrictForm(RecordForm):
    reason = text_field(
        "Why must this record be restricted?",
        EXPLANATION_MAX,
        required="Enter why this record must be restricted",
        help_text="For example, the child is placed for adoption. Auditors can read this.",
        textarea=True,
    )


class NamedAccessForm(RecordForm):
    """Choose a colleague (a user of the manager's own organisation) from the list or by username."""

    user = forms.ChoiceField(label="Choose from your organisation", required=False)
    username = text_field("Or enter their username", 150)
    reason = text_field(
        "Why do they need to see this record?",
        EXPLANATION_MAX,
        required="Enter why they need to see this record",
        textarea=True,
    )

    def __init__(self, *args: Any, colleagues: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.colleagues = {str(u.public_id): u for u in colleagues}
        field = self.fields["user"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "Choose a person")] + [
            (key, f"{u.get_full_name() or u.username} ({u.username})") for key, u in self.colleagues.items()
        ]
        field.error_messages["invalid_choice"] = "Choose a person from the list"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        chosen = self.colleagues.get(cleaned.get("user") or "")
        username = (cleaned.get("username") or "").strip().lower()
        if username:
            typed = next((u for u in self.colleagues.values() if u.username.lower() == username), None)
            if typed is None:
                self.add_error("username", "No one in your organisation has that username")
            elif chosen is not None and chosen != typed:
                self.add_error("username", "Choose a person from the list or enter a username, not both")
            chosen = chosen or typed
        elif chosen is None and not self.errors:
            self.add_error("user", "Choose a person from the list, or enter their username")
        cleaned["colleague"] = chosen
        return cleaned
