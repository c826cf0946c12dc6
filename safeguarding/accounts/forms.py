"""Input parsing for sign-in, the MFA code and the role choice. No decisions here: see services.py."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from .models import Membership

SIGN_IN_FAILED = "Enter a correct username and password"
_SEPARATORS = re.compile(r"[\s-]")


class SignInForm(forms.Form):
    username = forms.CharField(
        label="Username",
        max_length=150,
        error_messages={"required": "Enter your username", "max_length": SIGN_IN_FAILED},
        widget=forms.TextInput(
            attrs={
                "class": "govuk-!-width-one-half",
                "autocomplete": "username",
                "spellcheck": "false",
                "autocapitalize": "none",
            }
        ),
    )
    password = forms.CharField(
        label="Password",
        max_length=4096,
        strip=False,
        error_messages={"required": "Enter your password", "max_length": SIGN_IN_FAILED},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class CodeForm(forms.Form):
    """Six digits from an authenticator app. Spaces and dashes that apps show are ignored."""

    code = forms.CharField(
        label="Code from your authenticator app",
        help_text="The code is 6 numbers. It changes every 30 seconds.",
        max_length=20,
        error_messages={
            "required": "Enter the 6-digit code from your authenticator app",
            "max_length": "The code must be 6 numbers",
        },
        widget=forms.TextInput(
            attrs={
                "class": "govuk-input--width-5 govuk-input--extra-letter-spacing",
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
            }
        ),
    )

    def clean_code(self) -> str:
        code = _SEPARATORS.sub("", self.cleaned_data["code"])
        if not (len(code) == 6 and code.isascii() and code.isdigit()):
            raise ValidationError("The code must be 6 numbers")
        return code


def membership_label(membership: Membership) -> str:
    place = (
        f"{membership.team.name}, {membership.organisation.name}" if membership.team else membership.organisation.name
    )
    return f"{membership.get_role_display()}: {place}"


class ChooseRoleForm(forms.Form):
    """Parses the chosen membership's public id. Whether it may be used is the service's decision."""

    membership = forms.UUIDField(
        label="Which role are you working in?",
        error_messages={"required": "Select the role you are working in", "invalid": "Select one of your roles"},
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, memberships: list[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        widget = self.fields["membership"].widget
        assert isinstance(widget, forms.RadioSelect)
        widget.choices = [(str(m.public_id), membership_label(m)) for m in memberships]
