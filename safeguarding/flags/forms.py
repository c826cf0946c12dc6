from __future__ import annotations

from safeguarding.people.forms import RecordForm, text_field

from .services import NOTE_MAX


class LookupForm(RecordForm):
    nhs_number = text_field(
        "NHS number", 40, required="Enter an NHS number", help_text="10 digits, for example 999 012 3454"
    )


class ActedOnForm(RecordForm):
    note = text_field(
        "What did you do?",
        NOTE_MAX,
        required="Say what you did about this access, for example who you spoke to",
        help_text="This goes into the child's chronology.",
        textarea=True,
    )
