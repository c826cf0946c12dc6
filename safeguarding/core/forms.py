"""GOV.UK form pieces: a three-box date input with clear error messages, and the field shapes pages share."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction


class GovukDateWidget(forms.MultiWidget):
    template_name = "django/forms/widgets/govuk_date.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__([forms.TextInput(), forms.TextInput(), forms.TextInput()], attrs)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, dt.date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class GovukDateField(forms.MultiValueField):
    widget = GovukDateWidget

    def __init__(self, **kwargs: Any) -> None:
        fields = (forms.CharField(), forms.CharField(), forms.CharField())
        super().__init__(fields=fields, require_all_fields=False, **kwargs)

    def compress(self, data_list: list[str]) -> dt.date | None:
        if not data_list or not any(p.strip() for p in data_list if p):
            return None
        day, month, year = (p.strip() if p else "" for p in data_list)
        if not (day and month and year):
            raise ValidationError(f"{self.label or 'Date'} must include a day, month and year")
        if not (day.isdigit() and month.isdigit() and year.isdigit()) or len(year) != 4:
            raise ValidationError(f"{self.label or 'Date'} must be a real date, for example 27 3 2019")
        try:
            return dt.date(int(year), int(month), int(day))
        except ValueError:
            raise ValidationError(f"{self.label or 'Date'} must be a real date") from None

    def validate(self, value: Any) -> None:
        if self.required and value is None:
            raise ValidationError(f"Enter {str(self.label or 'the date').lower()}")


def date_field(label: str, required_message: str, **kwargs: Any) -> GovukDateField:
    """A GOV.UK date input with its hint and the message shown when it is left empty."""
    kwargs.setdefault("help_text", "For example, 27 3 2026")
    return GovukDateField(label=label, error_messages={"required": required_message}, **kwargs)


def text_area(label: str, required_message: str = "", *, required: bool = True, **kwargs: Any) -> forms.CharField:
    """A four-line text area; `required_message` is what an empty required one says."""
    return forms.CharField(
        label=label,
        widget=forms.Textarea(attrs={"rows": 4}),
        required=required,
        error_messages={"required": required_message} if required_message else {},
        **kwargs,
    )


def save_or_show_refusal(form: forms.Form, call: Callable[[], Any], refusal: type[Exception]) -> Any:
    """Run one service call in a savepoint and return its result. A `refusal` (whose `field`, if any, names
    the form field it belongs to) goes onto the form instead, returns None and changes nothing."""
    try:
        with transaction.atomic():
            return call()
    except refusal as refused:
        field = getattr(refused, "field", None)
        form.add_error(field if field in form.fields else None, str(refused))
        return None
