"""Forms for the case audit pages. Forms parse; the rules live in services."""

from __future__ import annotations

from typing import Any

from django import forms

from safeguarding.accounts.models import User
from safeguarding.casework.codes import AbuseCategory
from safeguarding.core.forms import date_field, text_area
from safeguarding.organisations.models import Organisation

from .codes import ActionStatus, Cohort, FindingKind
from .models import AuditTool, Finding, Grade, GradingScale, Question


class _Choices(forms.ModelChoiceField):
    def __init__(self, *args: Any, label_from: Any = str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._label_from = label_from

    def label_from_instance(self, obj: Any) -> str:
        return str(self._label_from(obj))


class ScaleForm(forms.Form):
    name = forms.CharField(label="Name of the scale", max_length=120, error_messages={"required": "Enter a name"})
    grades = text_area(
        "Grades, best first", "Enter the grades, best first, one a line", help_text="One a line, for example Good"
    )


class ToolCopyForm(forms.Form):
    name = forms.CharField(label="Name of your tool", max_length=160, error_messages={"required": "Enter a name"})
    scale = _Choices(
        label="Grading scale",
        queryset=GradingScale.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect,
        label_from=lambda s: f"{s.name}: {', '.join(g.label for g in s.grades.all())}",
        error_messages={"required": "Select a grading scale"},
    )

    def __init__(self, *args: Any, scales: list[GradingScale], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["scale"]
        field.queryset = GradingScale.objects.filter(id__in=[s.id for s in scales]).prefetch_related("grades")  # type: ignore[attr-defined]


class QuestionForm(forms.Form):
    domain = forms.CharField(
        label="Domain",
        max_length=80,
        help_text="For example, Voice of the child",
        error_messages={"required": "Enter the domain"},
    )
    text = text_area("Question", "Enter the question")
    guidance = text_area("Guidance for auditors", required=False)


class AuditForm(forms.Form):
    reference = forms.CharField(
        label="Reference",
        max_length=40,
        help_text="Cases are shown by this reference and a number, for example NEG-26-03",
        error_messages={"required": "Enter a reference for the audit"},
    )
    title = forms.CharField(label="Title", max_length=160, error_messages={"required": "Enter a title"})
    theme = forms.CharField(
        label="Theme", max_length=120, help_text="For example, neglect", error_messages={"required": "Enter the theme"}
    )
    tool = _Choices(
        label="Audit tool",
        queryset=AuditTool.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={"required": "Select an audit tool"},
    )
    cohort = forms.ChoiceField(
        label="Which children to sample",
        choices=Cohort.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select which children to sample"},
    )
    category = forms.ChoiceField(
        label="Category of abuse, for child protection plans",
        choices=[("", "Any category"), *AbuseCategory.choices],
        required=False,
    )
    from_on = date_field("Start of the period", "Enter the start of the period")
    to_on = date_field("End of the period", "Enter the end of the period")
    sample_size = forms.IntegerField(
        label="How many cases to sample",
        min_value=1,
        max_value=60,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
        error_messages={"required": "Enter how many cases to sample", "invalid": "Enter a whole number"},
    )
    ends_on = date_field(
        "Audit ends on",
        "Enter the date the audit ends",
        help_text="Auditors can open the sampled children's records until this day, or until the audit is closed",
    )

    def __init__(self, *args: Any, tools: list[AuditTool], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["tool"]
        field.queryset = AuditTool.objects.filter(id__in=[t.id for t in tools])  # type: ignore[attr-defined]


class SampleForm(forms.Form):
    seed = forms.IntegerField(
        label="Seed (optional)",
        required=False,
        min_value=0,
        help_text="Leave blank for a new random seed. Enter a recorded seed to repeat a draw.",
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-10"}),
        error_messages={"invalid": "Enter a whole number"},
    )


class ExcludeForm(forms.Form):
    reason = text_area("Why is this case excluded?", "Say why the case is excluded")


class AssignForm(forms.Form):
    auditor = _Choices(
        label="Auditor",
        queryset=User.objects.none(),
        empty_label="Select an auditor",
        error_messages={"required": "Select an auditor", "invalid_choice": "Select an auditor"},
    )

    def __init__(self, *args: Any, auditors: list[tuple[User, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = {u.pk: f"{u.get_full_name()} ({m.get_role_display()}, {m.organisation.name})" for u, m in auditors}
        field = self.fields["auditor"]
        field.queryset = User.objects.filter(id__in=labels)  # type: ignore[attr-defined]
        field._label_from = lambda u: labels[u.pk]  # type: ignore[attr-defined]


class _NeededToSubmit:
    """Shown as needed (no "(optional)"), but empty is allowed: a draft may be saved part-done; the service
    refuses to submit until every grade and the agency's view are given."""

    def validate(self, value: Any) -> None:
        if value not in self.empty_values:  # type: ignore[attr-defined]
            super().validate(value)  # type: ignore[misc]


class _GradeField(_NeededToSubmit, forms.ChoiceField):
    pass


class _ViewField(_NeededToSubmit, forms.CharField):
    pass


class GradingForm(forms.Form):
    """One grade (radios) and a comment per question, then the agency's overall view."""

    def __init__(self, *args: Any, questions: list[Question], grades: list[Grade], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(str(g.pk), g.label) for g in grades]
        self.questions = questions
        for q in questions:
            self.fields[f"grade_{q.pk}"] = _GradeField(
                label=f"{q.number}. {q.text}",
                choices=choices,
                widget=forms.RadioSelect,
                help_text=q.guidance,
            )
            self.fields[f"comment_{q.pk}"] = forms.CharField(
                label=f"Comment on question {q.number}", widget=forms.Textarea(attrs={"rows": 3}), required=False
            )
        self.fields["overall_grade"] = _GradeField(
            label="Your agency's overall grade for the case", choices=choices, widget=forms.RadioSelect
        )
        self.fields["agency_view"] = _ViewField(
            label="Your agency's view of the case",
            widget=forms.Textarea(attrs={"rows": 5}),
            help_text="What your agency did well, what it could have done better, and what made a difference "
            "to the child",
        )

    def sections(self) -> list[tuple[str, list[tuple[Any, Any]]]]:
        out: list[tuple[str, list[tuple[Any, Any]]]] = []
        for q in self.questions:
            if not out or out[-1][0] != q.domain:
                out.append((q.domain, []))
            out[-1][1].append((self[f"grade_{q.pk}"], self[f"comment_{q.pk}"]))
        return out

    def answers(self) -> dict[int, tuple[int | None, str]]:
        data = self.cleaned_data
        return {
            q.pk: (int(data[f"grade_{q.pk}"]) if data.get(f"grade_{q.pk}") else None, data.get(f"comment_{q.pk}", ""))
            for q in self.questions
        }


class ModerateForm(forms.Form):
    agreed_grade = _Choices(
        label="Agreed grade",
        queryset=Grade.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the agreed grade"},
    )
    rationale = text_area("Why this grade was agreed", "Say why this grade was agreed")

    def __init__(self, *args: Any, grades: list[Grade], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agreed_grade"].queryset = Grade.objects.filter(id__in=[g.id for g in grades])  # type: ignore[attr-defined]


class FindingForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind of finding",
        choices=FindingKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether this is a strength or an area for improvement"},
    )
    tag = forms.CharField(
        label="Tag",
        max_length=60,
        help_text="A few words the partnership can group findings by, for example 'father not seen'",
        error_messages={"required": "Enter a short tag"},
    )
    text = text_area("Finding", "Enter the finding", help_text="Refer to the child by the case reference, not by name")
    question = _Choices(
        label="Question it relates to (optional)",
        queryset=Question.objects.none(),
        required=False,
        empty_label="No particular question",
    )

    def __init__(self, *args: Any, questions: list[Question], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["question"].queryset = Question.objects.filter(id__in=[q.id for q in questions])  # type: ignore[attr-defined]


class ThemeForm(forms.Form):
    title = forms.CharField(label="Theme", max_length=160, error_messages={"required": "Enter the theme's title"})
    summary = text_area("Summary", required=False)
    findings = forms.ModelMultipleChoiceField(
        label="Findings in this theme",
        queryset=Finding.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, findings: list[Finding], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = {
            f.pk: f"[{f.tag}] {f.get_kind_display()}, {f.assignment.organisation.name}, "
            f"{f.assignment.case.reference}: {f.text[:120]}"
            for f in findings
        }
        field = self.fields["findings"]
        field.queryset = Finding.objects.filter(id__in=labels)  # type: ignore[attr-defined]
        field.label_from_instance = lambda f: labels[f.pk]  # type: ignore[attr-defined]


class ActionForm(forms.Form):
    description = text_area("What will be done", "Enter what will be done")
    owner_organisation = forms.ModelChoiceField(
        label="Agency that owns the action",
        queryset=Organisation.objects.none(),
        empty_label="Select an agency",
        error_messages={"required": "Select the agency that owns the action", "invalid_choice": "Select an agency"},
    )
    owner_name = forms.CharField(
        label="Name of the person who owns it", max_length=200, error_messages={"required": "Enter their name"}
    )
    due_on = date_field("Due date", "Enter the date the action is due")

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_organisation"].queryset = Organisation.objects.filter(id__in=[o.id for o in organisations])  # type: ignore[attr-defined]


class ActionUpdateForm(forms.Form):
    status = forms.ChoiceField(
        label="Status",
        choices=ActionStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the action's status"},
    )
    evidence = text_area("Evidence of completion", required=False, help_text="Needed when the action is done")
    completed_on = date_field("Date it was done", "Enter the date it was done", required=False)


class CloseForm(forms.Form):
    summary = text_area(
        "Summary of what the audit found",
        "Enter a summary of what the audit found",
        help_text="For the partnership's report. Refer to cases by reference only.",
    )
