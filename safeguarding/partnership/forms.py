"""Forms for the partnership pages. Rules live in services; forms parse and show their errors."""

from __future__ import annotations

from typing import Any

from django import forms

from safeguarding.accounts.models import Membership
from safeguarding.core.forms import GovukDateField
from safeguarding.organisations.models import Organisation, OrganisationType

from .models import AccountableRole, RoleScope, TrainingKind
from .services import PartnershipChangeRefused


class ServiceErrorsMixin(forms.Form):
    def add_service_errors(self, refused: PartnershipChangeRefused) -> None:
        for name, messages in refused.errors.items():
            for message in messages:
                self.add_error(name if name in self.fields else None, message)


class AccountableOnForm(forms.Form):
    on = GovukDateField(
        label="Date", help_text="For example, 31 3 2012", error_messages={"required": "Enter the date to look at"}
    )


class HoldingForm(ServiceErrorsMixin):
    holder_name = forms.CharField(
        label="Name of the person who holds the role",
        max_length=200,
        error_messages={"required": "Enter the name of the person who holds the role"},
    )
    organisation = forms.ModelChoiceField(
        label="Organisation that holds the role",
        queryset=Organisation.objects.none(),
        required=False,
        error_messages={
            "required": "Select the organisation that holds the role",
            "invalid_choice": "Select an organisation in this partnership's area",
        },
    )
    is_acting = forms.BooleanField(label="They are acting in the role", required=False)
    starts_on = GovukDateField(
        label="Start date", error_messages={"required": "Enter the date they started in the role"}
    )
    ends_on = GovukDateField(label="End date", required=False, help_text="Leave blank if they still hold the role")
    note = forms.CharField(
        label="Where these details come from",
        max_length=300,
        required=False,
        help_text="Needed when the start date is in the past, for example 'appointment letter, 2 May 2019'",
    )

    def __init__(self, *args: Any, role: AccountableRole, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        allowed = [o for o in organisations if not role.held_by_types or o.type in role.held_by_types]
        field.queryset = Organisation.objects.filter(id__in=[o.id for o in allowed]).order_by("name")  # type: ignore[attr-defined]
        if role.held_by_types:
            field.required = True
            field.empty_label = "Select an organisation"  # type: ignore[attr-defined]
        else:
            field.empty_label = "The partnership (its local authority)"  # type: ignore[attr-defined]
            field.help_text = "Any organisation of the area, or the partnership itself"


class RoleForm(ServiceErrorsMixin):
    name = forms.CharField(
        label="Name of the role", max_length=200, error_messages={"required": "Enter the role's name"}
    )
    responsibilities = forms.CharField(
        label="What the role is responsible for",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say what the role is responsible for"},
    )
    statutory_source = forms.CharField(
        label="Statutory source or local decision", max_length=300, required=False,
        help_text="For example, 'Counter-Terrorism and Security Act 2015 s26' or 'Partnership board, March 2026'",
    )  # fmt: skip
    scope = forms.ChoiceField(
        label="Who holds it",
        choices=RoleScope.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether one person holds it for the area or one in each organisation"},
    )
    held_by_types = forms.MultipleChoiceField(
        label="Types of organisation that hold it",
        choices=OrganisationType.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Leave all unticked if any organisation of the area, or the partnership itself, may hold it",
    )
    is_statutory = forms.BooleanField(label="Raise an alert when it is vacant", required=False)


class EndHoldingForm(ServiceErrorsMixin):
    ends_on = GovukDateField(
        label="Last day in the role", error_messages={"required": "Enter their last day in the role"}
    )


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Membership) -> str:  # type: ignore[override]
        return f"{obj.user}, {obj.get_role_display()}, {obj.team.name if obj.team else obj.organisation.name}"


class TrainingRecordForm(ServiceErrorsMixin):
    membership = StaffChoiceField(
        label="Member of staff",
        queryset=Membership.objects.none(),
        empty_label="Select a member of staff",
        error_messages={"required": "Select the member of staff", "invalid_choice": "Select a member of staff"},
    )
    course = forms.CharField(label="Course", max_length=200, error_messages={"required": "Enter the course's name"})
    completed_on = GovukDateField(label="Date completed", error_messages={"required": "Enter the date completed"})
    kind = forms.ChoiceField(
        label="Kind of training",
        choices=TrainingKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the kind of training"},
    )
    level = forms.TypedChoiceField(
        label="Level",
        choices=[(str(n), str(n)) for n in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the level"},
    )
    hours = forms.DecimalField(
        label="Hours",
        min_value=0.25,
        max_value=100,
        decimal_places=2,
        error_messages={"required": "Enter the hours", "invalid": "Enter the hours as a number, like 3.5"},
    )
    provider = forms.CharField(label="Provider", max_length=200, required=False)
    evidence = forms.CharField(
        label="Evidence",
        max_length=300,
        required=False,
        help_text="Needed when the date is more than a day ago, for example 'certificate seen'",
    )

    def __init__(self, *args: object, staff: list[Membership], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["membership"]
        field.queryset = (  # type: ignore[attr-defined]
            Membership.objects.filter(id__in=[m.id for m in staff])
            .select_related("user", "team", "organisation")
            .order_by("user__last_name", "user__first_name")
        )


class TrainingImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file of training records",
        help_text="Columns: worker (username or email), course, completed_on (2026-03-31), hours, level (1 to 5), "
        "kind (intercollegiate or multi-agency), and optionally provider",
        error_messages={"required": "Select a CSV file to import", "empty": "The selected file is empty"},
    )
