"""Forms for creating and changing people's records. Validation only: writes are in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from safeguarding.core.forms import GovukDateField
from safeguarding.core.text import has_control_characters, normalise_postcode

from .codes import Disability, Ethnicity, NameKind, PersonKind, RelationshipType, Sex
from .identifiers import InvalidNhsNumber, clean_nhs_number, clean_upn


class CleanTextForm(forms.Form):
    """Refuses control characters in any text field (they break exports and screen readers)."""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name, value in cleaned.items():
            if isinstance(value, str) and has_control_characters(value):
                self.add_error(name, "Remove the hidden control characters from this answer")
        return cleaned


class PersonDetailsForm(CleanTextForm):
    kind = forms.ChoiceField(label="Who is this?", choices=PersonKind.choices, widget=forms.RadioSelect)
    given_name = forms.CharField(label="First name", max_length=100, required=False)
    family_name = forms.CharField(label="Last name", max_length=100, required=False)
    date_of_birth = GovukDateField(label="Date of birth", required=False, help_text="For example, 27 3 2016")
    expected_due_date = GovukDateField(
        label="Expected due date", required=False, help_text="For an unborn child only. For example, 14 2 2027"
    )
    sex = forms.ChoiceField(label="Sex", choices=Sex.choices, initial=Sex.UNKNOWN, widget=forms.RadioSelect)
    gender = forms.CharField(label="Gender, as they describe it", max_length=100, required=False)
    ethnicity = forms.ChoiceField(label="Ethnicity", choices=Ethnicity.choices, initial=Ethnicity.NOBT)
    first_language = forms.CharField(label="First language", max_length=100, required=False)
    disabilities = forms.MultipleChoiceField(
        label="Disabilities", choices=Disability.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    nhs_number = forms.CharField(label="NHS number", max_length=20, required=False, help_text="10 digits")
    upn = forms.CharField(label="Unique pupil number", max_length=13, required=False)
    la_person_id = forms.CharField(label="Local authority person ID", max_length=36, required=False)

    def clean_nhs_number(self) -> str:
        raw = self.cleaned_data["nhs_number"].strip()
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
        codes = self.cleaned_data["disabilities"]
        if "NONE" in codes and len(codes) > 1:
            raise ValidationError("Choose 'No disability' or the disabilities, not both")
        return list(codes)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for name in ("given_name", "family_name"):
            if isinstance(cleaned.get(name), str):
                cleaned[name] = " ".join(cleaned[name].split())
        if cleaned.get("kind") == PersonKind.UNBORN:
            if not cleaned.get("expected_due_date") and "expected_due_date" not in self.errors:
                self.add_error("expected_due_date", "Enter the expected due date for an unborn child")
        elif not (cleaned.get("given_name") or cleaned.get("family_name")) and not self.errors.get("given_name"):
            self.add_error("given_name", "Enter a first name or a last name")
        return cleaned


class CreatePersonForm(PersonDetailsForm):
    line_1 = forms.CharField(label="Address line 1", max_length=200, required=False)
    town = forms.CharField(label="Town or city", max_length=100, required=False)
    postcode = forms.CharField(label="Postcode", max_length=10, required=False)
    confirmed_new = forms.BooleanField(label="I have checked: this is a new person", required=False)

    def clean_postcode(self) -> str:
        raw = self.cleaned_data["postcode"].strip()
        if raw and not normalise_postcode(raw):
            raise ValidationError("Enter a real postcode, like SW1A 1AA")
        return normalise_postcode(raw) or ""


class AddressForm(CleanTextForm):
    line_1 = forms.CharField(label="Address line 1", max_length=200)
    line_2 = forms.CharField(label="Address line 2", max_length=200, required=False)
    town = forms.CharField(label="Town or city", max_length=100, required=False)
    postcode = forms.CharField(label="Postcode", max_length=10, required=False)
    valid_from = GovukDateField(label="Lived here from", required=False, help_text="Leave blank for today")

    def clean_postcode(self) -> str:
        raw = self.cleaned_data["postcode"].strip()
        if raw and not normalise_postcode(raw):
            raise ValidationError("Enter a real postcode, like SW1A 1AA")
        return normalise_postcode(raw) or ""


class OtherNameForm(CleanTextForm):
    kind = forms.ChoiceField(label="Kind of name", choices=NameKind.choices, widget=forms.RadioSelect)
    given_name = forms.CharField(label="First name", max_length=100, required=False)
    family_name = forms.CharField(label="Last name", max_length=100, required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not (cleaned.get("given_name") or cleaned.get("family_name")) and not self.errors:
            self.add_error("given_name", "Enter a first name or a last name")
        return cleaned


DIRECTIONS = [("OTHER_IS", "The other person is this person's …"), ("THIS_IS", "This person is the other person's …")]


class RelationshipForm(CleanTextForm):
    type = forms.ChoiceField(label="Relationship", choices=RelationshipType.choices)
    direction = forms.ChoiceField(label="Which way round?", choices=DIRECTIONS, widget=forms.RadioSelect)
    other = forms.UUIDField(required=False, widget=forms.HiddenInput)
    new_given_name = forms.CharField(label="First name", max_length=100, required=False)
    new_family_name = forms.CharField(label="Last name", max_length=100, required=False)
    new_date_of_birth = GovukDateField(label="Date of birth", required=False)
    new_kind = forms.ChoiceField(
        label="Adult or child?",
        choices=[(PersonKind.ADULT, "Adult"), (PersonKind.CHILD, "Child")],
        initial=PersonKind.ADULT,
        widget=forms.RadioSelect,
        required=False,
    )
    start_date = GovukDateField(label="Since", required=False)
    description = forms.CharField(label="Notes", max_length=200, required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        new_name = cleaned.get("new_given_name") or cleaned.get("new_family_name")
        cleaned["new_kind"] = cleaned.get("new_kind") or PersonKind.ADULT
        if not cleaned.get("other") and not new_name and not self.errors:
            self.add_error("new_given_name", "Choose a person from the search, or enter the name of a new person")
        return cleaned


class MergeForm(CleanTextForm):
    duplicate = forms.UUIDField(label="Record ID of the duplicate")
    reason = forms.CharField(label="Why are these the same person?", max_length=2000, widget=forms.Textarea)
