"""Forms for creating and changing people's records. Validation only: writes are in services.

Every message is written for the person filling in the form (GOV.UK style): it says what is
wrong and how to put it right, and never repeats what was typed.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from safeguarding.core.forms import GovukDateField
from safeguarding.core.text import normalise_postcode

from .codes import Disability, Ethnicity, NameKind, PersonKind, RelationshipType, Sex
from .identifiers import InvalidNhsNumber, clean_nhs_number, clean_upn
from .models import Person
from .services import PERSON_FIELDS, date_errors

NAME_MAX = 100


def text_field(
    label: str,
    max_length: int,
    *,
    required: str = "",
    help_text: str = "",
    textarea: bool = False,
    min_length: int | None = None,
) -> forms.CharField:
    """A text field with GOV.UK messages. `required` is the message shown when it is left blank."""
    messages = {"max_length": f"{label} must be {max_length:,} characters or fewer"}
    if required:
        messages["required"] = required
    if min_length:
        messages["min_length"] = f"{label} must be at least {min_length} characters"
    return forms.CharField(
        label=label,
        max_length=max_length,
        min_length=min_length,
        required=bool(required),
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 4}) if textarea else None,
        error_messages=messages,
    )


def choice_field(
    label: str, choices: Any, message: str, *, radios: bool = True, required: bool = True, **kwargs: Any
) -> forms.ChoiceField:
    """A choice field whose message for a missing or unknown choice is the same clear sentence."""
    return forms.ChoiceField(
        label=label,
        choices=choices,
        required=required,
        widget=forms.RadioSelect if radios else forms.Select,
        error_messages={"required": message, "invalid_choice": message},
        **kwargs,
    )


def date_field(label: str, help_text: str = "") -> GovukDateField:
    incomplete = f"{label} must include a day, month and year"
    return GovukDateField(label=label, required=False, help_text=help_text, error_messages={"incomplete": incomplete})


def has_hidden_characters(value: str, *, multiline: bool) -> bool:
    """Control characters break exports and confuse screen readers; single-line answers have no line breaks."""
    allowed = "\n\r\t" if multiline else ""
    return any(unicodedata.category(c) == "Cc" and c not in allowed for c in value)


class RecordForm(forms.Form):
    """Refuses hidden control characters in every text answer and marks date inputs that are in error."""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name, value in list(cleaned.items()):
            multiline = isinstance(self.fields[name].widget, forms.Textarea)
            if isinstance(value, str) and has_hidden_characters(value, multiline=multiline):
                self.add_error(name, f"{self.fields[name].label} must not contain hidden control characters")
        return cleaned

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            field = self.fields.get(name)
            if isinstance(field, GovukDateField):
                field.widget.attrs["has_error"] = True

    def error_once(self, name: str, message: str) -> None:
        """Add an error to a field unless it already has one (the first problem is the one to fix)."""
        if name not in self.errors:
            self.add_error(name, message)


def _not_future(form: RecordForm, name: str, today: dt.date, message: str) -> None:
    value = form.cleaned_data.get(name)
    if isinstance(value, dt.date) and value > today:
        form.error_once(name, message)


class PersonDetailsForm(RecordForm):
    kind = choice_field("Who is the record for?", PersonKind.choices, "Select who the record is for")
    given_name = text_field("First name", NAME_MAX)
    family_name = text_field("Last name", NAME_MAX)
    date_of_birth = date_field("Date of birth", "For example, 27 3 2016. Leave blank if not known.")
    expected_due_date = date_field("Expected due date", "Only for an unborn child. For example, 14 2 2027")
    sex = choice_field("Sex", Sex.choices, "Select the person's sex, or Unknown", required=False, initial=Sex.UNKNOWN)
    gender = text_field(
        "Gender, in their own words", NAME_MAX, help_text="Only if they have told you. It can differ from their sex."
    )
    ethnicity = choice_field(
        "Ethnicity",
        Ethnicity.choices,
        "Select an ethnicity from the list",
        radios=False,
        required=False,
        initial=Ethnicity.NOBT,
    )
    first_language = text_field("First language", NAME_MAX)
    disabilities = forms.MultipleChoiceField(
        label="Disabilities",
        choices=Disability.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
        error_messages={"invalid_choice": "Select disabilities from the list"},
    )
    nhs_number = text_field("NHS number", 20, help_text="10 digits, for example 999 000 0018")
    upn = text_field("Unique pupil number (UPN)", 13, help_text="13 characters, for example A123456789012")
    la_person_id = text_field(
        "Local authority person ID", 36, help_text="The person's ID in your authority's other systems, if any"
    )

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_sex(self) -> str:
        return self.cleaned_data["sex"] or Sex.UNKNOWN

    def clean_ethnicity(self) -> str:
        return self.cleaned_data["ethnicity"] or Ethnicity.NOBT

    def clean_nhs_number(self) -> str:
        raw = self.cleaned_data["nhs_number"]
        if not raw:
            return ""
        try:
            return clean_nhs_number(raw)
        except InvalidNhsNumber as exc:
            raise ValidationError(str(exc)) from None

    def clean_upn(self) -> str:
        try:
            return clean_upn(self.cleaned_data["upn"])
        except ValueError as exc:
            raise ValidationError(str(exc)) from None

    def clean_disabilities(self) -> list[str]:
        codes = list(self.cleaned_data["disabilities"])
        if Disability.NONE in codes and len(codes) > 1:
            raise ValidationError("Select 'No disability' or the disabilities they have, not both")
        return codes

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for name in ("given_name", "family_name"):
            if isinstance(cleaned.get(name), str):
                cleaned[name] = " ".join(cleaned[name].split())
        kind = cleaned.get("kind")
        if kind and kind != PersonKind.UNBORN and not (cleaned.get("given_name") or cleaned.get("family_name")):
            self.error_once("given_name", "Enter a first name or a last name")
        if kind:
            problems = date_errors(
                kind=kind,
                date_of_birth=cleaned.get("date_of_birth"),
                expected_due_date=cleaned.get("expected_due_date"),
                today=self.today,
            )
            for name, message in problems.items():
                self.error_once(name, message)
        return cleaned

    def details(self) -> dict[str, Any]:
        """The person's details, as services.create_person and update_person take them."""
        return {name: self.cleaned_data[name] for name in DETAIL_FIELDS}


DETAIL_FIELDS = PERSON_FIELDS  # one list: what the form hands over is what the service takes


def person_initial(person: Person) -> dict[str, Any]:
    initial = {name: getattr(person, name) for name in DETAIL_FIELDS}
    initial["disabilities"] = list(person.disabilities.values_list("code", flat=True))
    return initial


class AddressFields(RecordForm):
    line_1 = text_field("Address line 1", 200, required="Enter the first line of the address")
    line_2 = text_field("Address line 2", 200)
    town = text_field("Town or city", NAME_MAX)
    postcode = text_field("Postcode", 10)

    def clean_postcode(self) -> str:
        raw = self.cleaned_data["postcode"]
        if raw and not normalise_postcode(raw):
            raise ValidationError("Enter a real postcode, like SW1A 1AA")
        return normalise_postcode(raw) or ""


class CreatePersonForm(PersonDetailsForm, AddressFields):
    """A new person: their details, optionally the pregnant person (for an unborn child) and a first address."""

    pregnant_person = forms.UUIDField(required=False, widget=forms.HiddenInput)
    confirmed_new = forms.BooleanField(label="I have checked: this is a new person", required=False)

    # The order of the page (and so of the error summary).
    field_order = ["confirmed_new", "pregnant_person", *PersonDetailsForm.base_fields, *AddressFields.base_fields]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["line_1"].required = False  # the first address is optional

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("kind") not in (None, PersonKind.UNBORN):
            if cleaned.get("expected_due_date"):
                self.error_once(
                    "expected_due_date", "Leave the expected due date blank: it is only for an unborn child"
                )
            if cleaned.get("pregnant_person"):
                self.add_error(None, "Only an unborn child's record can name a pregnant person")
        others = any(cleaned.get(name) for name in ("line_2", "town", "postcode"))
        if others and not cleaned.get("line_1"):
            self.error_once("line_1", "Enter the first line of the address, or leave the whole address blank")
        return cleaned

    def first_address(self) -> dict[str, str] | None:
        data = self.cleaned_data
        if not data.get("line_1"):
            return None
        return {name: data[name] for name in ("line_1", "line_2", "town", "postcode")}


class AddressForm(AddressFields):
    valid_from = date_field("Lived here from", "For example, 1 9 2025. Leave blank for today.")

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        _not_future(self, "valid_from", self.today, "The date they moved in must be today or in the past")
        return cleaned


class OtherNameForm(RecordForm):
    kind = choice_field("What kind of name is it?", NameKind.choices, "Select what kind of name it is")
    given_name = text_field("First name", NAME_MAX)
    family_name = text_field("Last name", NAME_MAX)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for name in ("given_name", "family_name"):
            if isinstance(cleaned.get(name), str):
                cleaned[name] = " ".join(cleaned[name].split())
        if not (cleaned.get("given_name") or cleaned.get("family_name")) and "family_name" not in self.errors:
            self.error_once("given_name", "Enter a first name or a last name")
        return cleaned


# "The other person is the … of <name>". A value is the relationship type, read with the other
# person as `from_person`; "~" marks the reverse (this person is the <type> of the other person).
def relationship_choices(name: str) -> list[tuple[str, str]]:
    return [
        (RelationshipType.PARENT, f"parent of {name}"),
        (f"~{RelationshipType.PARENT}", f"child of {name}"),
        (RelationshipType.STEP_PARENT, f"step-parent of {name}"),
        (f"~{RelationshipType.STEP_PARENT}", f"step-child of {name}"),
        (RelationshipType.GRANDPARENT, f"grandparent of {name}"),
        (f"~{RelationshipType.GRANDPARENT}", f"grandchild of {name}"),
        (RelationshipType.SIBLING, f"sibling (brother or sister) of {name}"),
        (RelationshipType.HALF_SIBLING, f"half-sibling of {name}"),
        (RelationshipType.CARER, f"carer of {name}"),
        (f"~{RelationshipType.CARER}", f"cared for by {name}"),
        (RelationshipType.PARTNER_OF_PARENT, f"partner of {name}'s parent"),
        (f"~{RelationshipType.PARTNER_OF_PARENT}", f"child of {name}'s partner"),
        (RelationshipType.PARTNER, f"partner of {name}"),
        (RelationshipType.OTHER, f"something else to {name} (say what in the notes)"),
    ]


NEW_KINDS = [(PersonKind.ADULT, "Adult"), (PersonKind.CHILD, "Child")]


class RelationshipForm(RecordForm):
    other = forms.UUIDField(required=False, widget=forms.HiddenInput)
    new_given_name = text_field("First name", NAME_MAX)
    new_family_name = text_field("Last name", NAME_MAX)
    new_date_of_birth = date_field("Date of birth", "For example, 9 1 1988. Leave blank if not known.")
    new_sex = choice_field(
        "Sex", Sex.choices, "Select the new person's sex, or Unknown", required=False, initial=Sex.UNKNOWN
    )
    new_kind = choice_field("Adult or child?", NEW_KINDS, "Select adult or child", initial=PersonKind.ADULT)
    relationship = choice_field("", [], "Select how the other person is related")
    start_date = date_field("Since when?", "For example, 1 6 2020. Leave blank if not known.")
    description = text_field("Notes", 200, help_text="For example, 'paternal grandmother' or 'foster carer'")

    def __init__(self, *args: Any, person: Person, today: dt.date, chosen: Person | None = None, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.today = today
        self.chosen = chosen
        field = self.fields["relationship"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = relationship_choices(person.display_name)
        other = chosen.display_name if chosen else "The other person"
        field.label = f"{other} is the …"
        if chosen:  # an existing record was chosen: the new person's details are not asked for
            self.fields["new_kind"].required = False

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        _not_future(self, "start_date", self.today, "The relationship cannot start in the future")
        if cleaned.get("other") or "other" in self.errors:
            return cleaned
        for name in ("new_given_name", "new_family_name"):
            if isinstance(cleaned.get(name), str):
                cleaned[name] = " ".join(cleaned[name].split())
        if not (cleaned.get("new_given_name") or cleaned.get("new_family_name")):
            self.error_once("new_given_name", "Find the other person's record, or enter the name of a new person")
        problem = date_errors(
            kind=cleaned.get("new_kind") or PersonKind.ADULT,
            date_of_birth=cleaned.get("new_date_of_birth"),
            expected_due_date=None,
            today=self.today,
        ).get("date_of_birth")
        if problem:
            self.error_once("new_date_of_birth", problem)
        return cleaned

    def relationship_type(self) -> tuple[str, bool]:
        """The relationship type, and whether the other person is the `from_person` (the <type> of this one)."""
        value = self.cleaned_data["relationship"]
        return value.lstrip("~"), not value.startswith("~")

    def new_person(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "kind": data["new_kind"],
            "given_name": data["new_given_name"],
            "family_name": data["new_family_name"],
            "date_of_birth": data["new_date_of_birth"],
            "sex": data["new_sex"] or Sex.UNKNOWN,
        }


class MergeForm(RecordForm):
    duplicate = forms.UUIDField(
        widget=forms.HiddenInput, error_messages={"required": "Choose the duplicate record", "invalid": "Choose again"}
    )
    reason = text_field(
        "Why are these records the same person?",
        2000,
        required="Enter why you are sure these records are the same person",
        help_text="For example, the NHS number and date of birth match and the surname was misspelt. "
        "Auditors can read this.",
        textarea=True,
    )

    def __init__(self, *args: Any, chosen: Person | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.chosen = chosen


class FindPersonForm(forms.Form):
    """Find a record to choose (GET): name and date of birth, at least one."""

    name = text_field("Name", NAME_MAX, help_text="First name, last name or both")
    date_of_birth = date_field("Date of birth", "For example, 9 1 1988")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["name"] = " ".join((cleaned.get("name") or "").split())
        if not self.errors and not (cleaned["name"] or cleaned.get("date_of_birth")):
            self.add_error("name", "Enter a name or a date of birth to search")
        return cleaned
