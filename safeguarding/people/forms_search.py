"""The person search form: name, date of birth, NHS number and postcode; at least one."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from safeguarding.core.forms import GovukDateField
from safeguarding.core.text import normalise_postcode

from .identifiers import InvalidNhsNumber, clean_nhs_number

NEED_ONE = "Enter a name, date of birth, NHS number or postcode"


class PersonSearchForm(forms.Form):
    name = forms.CharField(
        label="Name",
        required=False,
        max_length=100,
        help_text="First name, last name or both. The spelling does not need to be exact.",
    )
    date_of_birth = GovukDateField(
        label="Date of birth", required=False, help_text="Or expected due date. For example, 27 3 2016"
    )
    nhs_number = forms.CharField(
        label="NHS number", required=False, max_length=20, help_text="10 digits, for example 999 000 0018"
    )
    postcode = forms.CharField(
        label="Postcode", required=False, max_length=10, help_text="Of any address, current or past"
    )

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())

    def clean_nhs_number(self) -> str:
        raw = self.cleaned_data["nhs_number"].strip()
        if not raw:
            return ""
        try:
            return clean_nhs_number(raw)
        except InvalidNhsNumber as exc:
            raise ValidationError(str(exc)) from exc

    def clean_postcode(self) -> str:
        raw = self.cleaned_data["postcode"].strip()
        if not raw:
            return ""
        postcode = normalise_postcode(raw)
        if postcode is None:
            raise ValidationError("Enter a real postcode, like SW1A 1AA")
        return postcode

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not any(data.get(k) for k in ("name", "date_of_birth", "nhs_number", "postcode")):
            self.add_error("name", NEED_ONE)
        return data

    def criteria(self) -> dict[str, Any]:
        """Keyword arguments for access.queries.search_people (call after is_valid())."""
        born: dt.date | None = self.cleaned_data.get("date_of_birth")
        return {
            "name": self.cleaned_data.get("name", ""),
            "date_of_birth": born,
            "nhs_number": self.cleaned_data.get("nhs_number", ""),
            "postcode": self.cleaned_data.get("postcode", ""),
        }
