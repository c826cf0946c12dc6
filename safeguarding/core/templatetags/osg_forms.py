"""Template helpers that give Django form fields GOV.UK Design System markup."""

from __future__ import annotations

from django import forms, template
from django.forms.boundfield import BoundField
from django.utils.safestring import SafeString

register = template.Library()

_INPUT_CLASS = {
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "selectmultiple": "govuk-select",
    "passwordinput": "govuk-input govuk-!-width-one-half",
}


@register.filter
def widget_type(field: BoundField) -> str:
    return field.field.widget.__class__.__name__.lower()


@register.filter
def is_first_heading(field: BoundField) -> bool:
    return bool(getattr(field.field, "is_page_heading", False))


@register.filter
def govuk_widget(field: BoundField) -> SafeString:
    kind = widget_type(field)
    css = _INPUT_CLASS.get(kind, "govuk-input")
    if field.errors:
        css += {"govuk-textarea": " govuk-textarea--error", "govuk-select": " govuk-select--error"}.get(
            css.split()[0], " govuk-input--error"
        )
    existing = field.field.widget.attrs.get("class", "")
    attrs: dict[str, str | bool] = {"class": f"{css} {existing}".strip()}
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}-hint")
    if field.errors:
        described.append(f"{field.auto_id}-error")
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)


@register.simple_tag
def nhs(number: str) -> str:
    return f"{number[:3]} {number[3:6]} {number[6:]}" if number and len(number) == 10 else (number or "")


@register.filter
def field_value(form: forms.Form, name: str) -> object:
    return form[name].value()
