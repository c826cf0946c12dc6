from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from safeguarding.casework.forms import BACKDATED_HELP, event_date
from safeguarding.core.dates import is_backdated
from safeguarding.people.forms import RecordForm, choice_field, text_field

from .models import LegalStatus

START, CHANGE, END = "START", "CHANGE", "END"


class LookedAfterForm(RecordForm):
    """One form for the three events. Which ones are offered depends on whether the child is looked after now."""

    what = choice_field("What has happened?", [], "Select what has happened")
    legal_status = choice_field("Legal status", LegalStatus.choices, "Select the legal status", required=False)
    happened_on = event_date("Date it happened")
    backdated_reason = text_field("Why it is being recorded now", 2000, help_text=BACKDATED_HELP, textarea=True)

    def __init__(self, *args: Any, today: dt.date, is_looked_after: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        field = self.fields["what"]
        if is_looked_after:
            field.choices = [(CHANGE, "Their legal status changed"), (END, "They stopped being looked after")]  # type: ignore[attr-defined]
            self.fields["legal_status"].help_text = "The new legal status, if it changed"
        else:  # only one thing can happen: ask for the status and the date, not a one-option question
            field.choices = [(START, "They became looked after")]  # type: ignore[attr-defined]
            field.widget = forms.HiddenInput()
            field.initial = START
            self.fields["legal_status"].required = True

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("what") in (START, CHANGE) and not cleaned.get("legal_status"):
            self.error_once("legal_status", "Select the legal status")
        day = cleaned.get("happened_on")
        if isinstance(day, dt.date):
            if day > self.today:
                self.error_once("happened_on", "The date it happened cannot be in the future")
            elif is_backdated(day, recorded_on=self.today) and not cleaned.get("backdated_reason", "").strip():
                self.error_once("backdated_reason", "Say why this is being recorded more than a day after it happened")
        return cleaned
