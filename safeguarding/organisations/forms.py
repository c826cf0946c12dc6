"""Forms for managing organisations, teams, users and memberships. They check types and shapes the
user can fix field by field; the rules themselves are in services.py, whose errors are put back on
the form with add_service_errors()."""

from __future__ import annotations

from typing import Any

from django import forms

from safeguarding.accounts.roles import Role
from safeguarding.core.forms import GovukDateField

from .models import Organisation, OrganisationType, Partnership, Team
from .services import ORGANISATION_FIELDS, AdminChangeRefused


class ServiceErrorsMixin:
    """Show a service's AdminChangeRefused errors against the right fields."""

    def add_service_errors(self, refused: AdminChangeRefused) -> None:
        form: Any = self
        for name, messages in refused.errors.items():
            for message in messages:
                form.add_error(name if name in form.fields else None, message)


def _choice_label(team: Team) -> str:
    return f"{team.name} ({team.organisation.name})"


class TeamChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class ScopedTeamChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return _choice_label(obj)


class OrganisationTypeFilterForm(forms.Form):
    type = forms.ChoiceField(
        label="Type of organisation", required=False, choices=[("", "All types"), *OrganisationType.choices]
    )


class OrganisationForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField(label="Name", max_length=200)
    type = forms.ChoiceField(label="Type of organisation", choices=[("", "Choose a type"), *OrganisationType.choices])
    dfe_la_code = forms.CharField(
        label="DfE LA code", required=False, max_length=10, help_text="Local authorities only: 3 digits, like 201"
    )
    ods_code = forms.CharField(
        label="ODS code",
        required=False,
        max_length=20,
        help_text="NHS Organisation Data Service code: 3 to 10 letters and numbers, like RZZ or A81001",
    )
    school_urn = forms.CharField(
        label="URN", required=False, max_length=10, help_text="Schools and early years settings only: 6 digits"
    )
    valid_from = GovukDateField(label="Date it opened", required=False, help_text="For example, 1 4 2013")
    valid_to = GovukDateField(
        label="Date it closed", required=False, help_text="Leave blank if it is still open. For example, 30 6 2022"
    )
    office_hours_phone = forms.CharField(label="Phone number (office hours)", required=False, max_length=30)
    out_of_hours_phone = forms.CharField(
        label="Phone number (out of hours)",
        required=False,
        max_length=30,
        help_text="For a local authority, the emergency duty team",
    )
    inbox_email = forms.EmailField(label="Shared inbox email address", required=False, max_length=254)

    def __init__(self, *args: Any, partnerships: list[Partnership] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if partnerships is not None:  # creating: choose where it belongs
            checkboxes = forms.CheckboxSelectMultiple()
            checkboxes.template_name = "organisations/widgets/checkbox_select.html"  # an id for the error summary
            self.fields["partnerships"] = forms.ModelMultipleChoiceField(
                label="Safeguarding partnership",
                queryset=Partnership.objects.filter(pk__in=[p.pk for p in partnerships]).order_by("name"),
                widget=checkboxes,
                help_text="Select all that apply",
                error_messages={"required": "Choose the safeguarding partnership the organisation belongs to"},
            )

    @classmethod
    def initial_for(cls, organisation: Organisation) -> dict[str, Any]:
        return {name: getattr(organisation, name) for name in ORGANISATION_FIELDS}

    def data_for_service(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in ORGANISATION_FIELDS}


class SuccessionForm(ServiceErrorsMixin, forms.Form):
    successor = forms.ModelChoiceField(
        label="Successor organisation",
        queryset=Organisation.objects.none(),
        empty_label="Choose an organisation",
        help_text="The organisation that took on its work",
    )
    effective_date = GovukDateField(label="Date the change took effect", help_text="For example, 1 7 2022")
    note = forms.CharField(
        label="Note", required=False, max_length=300, help_text="For example, the name of the order or merger"
    )

    def __init__(self, *args: Any, organisations: list[Organisation], exclude: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["successor"]
        field.queryset = Organisation.objects.filter(pk__in=[o.pk for o in organisations if o.pk != exclude.pk])


class TeamForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField(label="Team name", max_length=200)
    parent = TeamChoiceField(
        label="Parent team",
        required=False,
        queryset=Team.objects.none(),
        empty_label="None: a top-level team",
        help_text="Managers of the parent team can see the records this team works with",
    )
    inbox_email = forms.EmailField(label="Team inbox email address", required=False, max_length=254)

    def __init__(self, *args: Any, organisation: Organisation, team: Team | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parents = Team.objects.filter(organisation=organisation).order_by("name")
        if team is not None:
            parents = parents.exclude(pk=team.pk)
            self.fields["is_active"] = forms.BooleanField(
                label="This team is active", required=False, help_text="Untick when the team has closed"
            )
        field: Any = self.fields["parent"]
        field.queryset = parents


ROLE_CHOICES = [("", "Choose a role"), *Role.choices]


class UserCreateForm(ServiceErrorsMixin, forms.Form):
    username = forms.CharField(label="Username", max_length=150, help_text="What they type to sign in")
    first_name = forms.CharField(label="First name", max_length=150)
    last_name = forms.CharField(label="Last name", max_length=150)
    email = forms.EmailField(label="Email address", max_length=254)
    job_title = forms.CharField(label="Job title", required=False, max_length=200)
    role = forms.ChoiceField(label="Role", choices=ROLE_CHOICES)
    team = TeamChoiceField(label="Team", required=False, queryset=Team.objects.none(), empty_label="No team")
    password = forms.CharField(
        label="Initial password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 12 characters, not a common password and not like their name. Give it to them "
        "separately; they will set up their authenticator app when they first sign in.",
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["team"]
        field.queryset = Team.objects.filter(organisation=organisation, is_active=True).order_by("name")


class MembershipForm(ServiceErrorsMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        label="Organisation", queryset=Organisation.objects.none(), empty_label="Choose an organisation"
    )
    team = ScopedTeamChoiceField(
        label="Team",
        required=False,
        queryset=Team.objects.none(),
        empty_label="No team",
        help_text="The team must be in the organisation you chose",
    )
    role = forms.ChoiceField(label="Role", choices=ROLE_CHOICES)
    starts_on = GovukDateField(label="Start date", required=False, help_text="Leave blank to start now")
    ends_on = GovukDateField(label="End date", required=False, help_text="Leave blank if it has no end date")

    def __init__(self, *args: Any, organisations: list[Organisation], teams: list[Team], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        org_field: Any = self.fields["organisation"]
        org_field.queryset = Organisation.objects.filter(pk__in=[o.pk for o in organisations]).order_by("name")
        team_field: Any = self.fields["team"]
        team_field.queryset = (
            Team.objects.filter(pk__in=[t.pk for t in teams])
            .select_related("organisation")
            .order_by("organisation__name", "name")
        )
