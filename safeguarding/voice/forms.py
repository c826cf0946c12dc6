"""Forms for the child's voice and visits. Dates: none in the future; more than a day ago needs a reason."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from safeguarding.core.dates import is_backdated
from safeguarding.core.forms import GovukDateField
from safeguarding.people.forms import RecordForm, choice_field, text_field

from .codes import Gathered, Place
from .models import WORD_FIELDS, VoiceEntry

WORDS_MAX = 10_000
BACKDATED_HELP = "Only if this happened more than a day ago: for example, 'visit written up after a court day'."


def _words(label: str, help_text: str) -> forms.CharField:
    return text_field(label, WORDS_MAX, textarea=True, help_text=help_text)


def _required_date(label: str, message: str) -> GovukDateField:
    incomplete = f"{label} must include a day, month and year"
    errors = {"incomplete": incomplete, "required": message}
    return GovukDateField(label=label, help_text="For example, 27 3 2026", error_messages=errors)


class _Dated(RecordForm):
    date_field = ""
    what = ""

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields[self.date_field].initial = today

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        on = cleaned.get(self.date_field)
        if isinstance(on, dt.date):
            if on > self.today:
                self.error_once(self.date_field, f"The date {self.what} cannot be in the future")
            elif is_backdated(on, recorded_on=self.today) and not (cleaned.get("backdated_reason") or "").strip():
                message = f"Say why this is being recorded more than a day after {self.what}"
                self.error_once("backdated_reason", message)
        return cleaned


class VoiceForm(_Dated):
    date_field, what = "recorded_on", "the child gave their views"

    recorded_on = _required_date("When did the child give their views?", "Enter when the child gave their views")
    gathered = choice_field("How were their views gathered?", Gathered.choices, "Select how their views were gathered")
    worries = _words("House of worries", "What worries them, or what they do not like. Write their exact words.")
    good_things = _words("House of good things", "What is going well, or what they like.")
    wishes = _words("House of dreams", "How things would be if everything were good, or what they wish for.")
    want_to_happen = _words("What I want to happen", "In their words: what they want to happen next.")
    words = _words(
        "Anything else they said, wrote, drew or showed",
        "For a baby, what you saw: for example, how they responded to each carer.",
    )
    backdated_reason = text_field("Why is this being recorded later?", 2000, textarea=True, help_text=BACKDATED_HELP)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        parts = ("worries", "good_things", "wishes", "want_to_happen", "words")
        if not any((cleaned.get(p) or "").strip() for p in parts) and not any(p in self.errors for p in parts):
            self.add_error("worries", "Write what the child said, wrote, drew or showed in at least one box")
        return cleaned


SEEN = [("ALONE", "Yes, and seen alone"), ("SEEN", "Yes, but not alone"), ("NOT_SEEN", "No, the child was not seen")]


class VisitForm(_Dated):
    date_field, what = "visited_on", "the visit"

    visited_on = _required_date("Date of the visit", "Enter the date of the visit")
    place = choice_field("Where was the visit?", Place.choices, "Select where the visit was")
    seen = choice_field("Was the child seen?", SEEN, "Select whether the child was seen, and seen alone")
    not_seen_reason = text_field(
        "Why was the child not seen?", 2000, textarea=True, help_text="Only if the child was not seen."
    )
    note = text_field("Notes", WORDS_MAX, textarea=True, help_text="What you saw and what happens next.")
    backdated_reason = text_field("Why is this being recorded later?", 2000, textarea=True, help_text=BACKDATED_HELP)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("seen") == "NOT_SEEN" and not (cleaned.get("not_seen_reason") or "").strip():
            self.error_once("not_seen_reason", "Say why the child was not seen")
        return cleaned


def informed_by_field(entries: list[VoiceEntry]) -> forms.MultipleChoiceField:
    """Checkboxes for a decision, assessment or plan form: "Which of the child's words informed this?".

    `entries` from voice.queries.voice_for_person; resolve the ticked values with voice.queries.chosen_entries
    and pass them to voice.services.link_voice in the same service call as the decision."""
    choices = [(str(e.public_id), f"{e.recorded_on:%-d %b %Y}: \u201c{_first_words(e)}\u201d") for e in entries]
    return forms.MultipleChoiceField(
        label="Which of the child's words informed this?",
        choices=choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick every entry you took into account." if choices else "No words from the child are recorded yet.",
    )


def _first_words(entry: VoiceEntry, length: int = 80) -> str:
    text = next((getattr(entry, f) for f in WORD_FIELDS if getattr(entry, f)), "")
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "\u2026"
