from __future__ import annotations

from django import forms

from .models import BreakGlassReason


class BreakGlassForm(forms.Form):
    reason_code = forms.ChoiceField(
        label="Why do you need access?", choices=BreakGlassReason.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label="Explain what has happened", max_length=2000, widget=forms.Textarea, help_text="Auditors will read this."
    )


class RestrictForm(forms.Form):
    reason = forms.CharField(label="Why must this record be restricted?", max_length=2000, widget=forms.Textarea)


class NamedAccessForm(forms.Form):
    user = forms.ChoiceField(label="Who should be able to see this record?")
    reason = forms.CharField(label="Why do they need access?", max_length=2000, widget=forms.Textarea)
