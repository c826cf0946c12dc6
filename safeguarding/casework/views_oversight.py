"""Management oversight pages for one episode: its allocation history, decisions and supervision,
and the forms a team manager uses to transfer the work, record a decision or a supervision.

Every page opens the child through access.queries.open_person (audited) and renders inside the same
transaction (CONTRIBUTING); refusals are audited and answered by people.views.record.refusal_response.
A role without the capability gets a 403 saying what it cannot do (forms_base.refuse_for_role).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from safeguarding.access import queries
from safeguarding.accounts.models import User
from safeguarding.accounts.principal import Principal
from safeguarding.accounts.roles import Capability
from safeguarding.core.dates import is_backdated
from safeguarding.core.forms import GovukDateField
from safeguarding.organisations.models import Team
from safeguarding.people.models import Person
from safeguarding.people.views.forms_base import refuse_for_role
from safeguarding.people.views.record import principal_of, refusal_response

from . import oversight
from .models import Allocation, Episode, ManagementDecision, Supervision
from .workflow import StepRefused

TEXT_MAX = oversight.TEXT_MAX
NO_CASEWORK = "Your role does not work on social care casework, so it cannot see management oversight."


class _MissingCapability(Exception):
    def __init__(self, person: Person) -> None:
        self.person = person


def _episode(person: Person, episode_id: Any) -> Episode:
    """The child's episode (404 when it is not theirs): read only after open_person."""
    episode = (
        Episode.objects.filter(person=person, public_id=episode_id)
        .select_related("allocated_worker", "team", "local_authority")
        .first()
    )
    if episode is None:
        raise Http404("No such episode for this child")
    episode.person = person
    return episode


# ---- forms ----------------------------------------------------------------------------------


def _text(label: str, *, required: str = "", help_text: str = "", rows: int = 4) -> forms.CharField:
    errors = {"max_length": f"{label} must be {TEXT_MAX:,} characters or fewer"}
    if required:
        errors["required"] = required
    return forms.CharField(
        label=label,
        required=bool(required),
        max_length=TEXT_MAX,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages=errors,
    )


BACKDATED_HELP = "Only needed when the date is more than a day ago"


class _DatedForm(forms.Form):
    date_label = "Date"

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["on"] = GovukDateField(
            initial=today, label=self.date_label, help_text=f"For example, {today.day} {today.month} {today.year}"
        )
        self.order_fields(["on", *[name for name in self.fields if name != "on"]])
        self.fields["backdated_reason"] = _text("Why is this being recorded now?", help_text=BACKDATED_HELP, rows=2)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day = data.get("on")
        if day is not None:
            if day > self.today:
                self.add_error("on", f"{self.date_label} must be today or in the past")
            elif is_backdated(day, recorded_on=self.today) and not (data.get("backdated_reason") or "").strip():
                self.add_error("backdated_reason", "Say why this is being recorded more than a day after it happened")
        return data


class DecisionForm(_DatedForm):
    date_label = "Date of the decision"
    decision = _text("Decision", required="Enter the decision", rows=3)
    rationale = _text("Why you made this decision", required="Enter why you made this decision")


class SupervisionForm(_DatedForm):
    date_label = "Date of the supervision"
    worker = forms.ChoiceField(
        label="Worker supervised",
        error_messages={
            "required": "Choose the worker you supervised",
            "invalid_choice": "Choose the worker you supervised",
        },
    )
    discussion = _text("What was discussed", required="Enter what was discussed", rows=6)
    actions = _text("Actions agreed", help_text="Who will do what, by when")

    def __init__(self, *args: Any, workers: list[User], allocated: User | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.workers = {str(u.public_id): u for u in workers}
        field = self.fields["worker"]
        field.choices = [("", "Choose a worker")] + [(k, u.get_full_name()) for k, u in self.workers.items()]  # type: ignore[attr-defined]
        if allocated is not None and str(allocated.public_id) in self.workers:
            field.initial = str(allocated.public_id)
        self.order_fields(["on", "worker", "discussion", "actions", "backdated_reason"])

    def chosen(self) -> User:
        return self.workers[self.cleaned_data["worker"]]


def _supervision_form(request: HttpRequest, episode: Episode, today: dt.date) -> SupervisionForm:
    """The episode's team's caseworkers, and the allocated worker wherever they now work."""
    workers = oversight.caseworkers_in(episode.team) if episode.team else []
    if episode.allocated_worker is not None and episode.allocated_worker not in workers:
        workers.insert(0, episode.allocated_worker)
    workers = [u for u in workers if u != principal_of(request).user]
    return SupervisionForm(_posted(request), today=today, workers=workers, allocated=episode.allocated_worker)


class TransferForm(_DatedForm):
    date_label = "Date of the handover"
    allocate_to = forms.ChoiceField(
        label="Who will hold the work",
        error_messages={"required": "Choose who will hold the work", "invalid_choice": "Choose who will hold the work"},
    )
    reason = _text("Why", help_text="Needed when the work moves away from a worker or team", rows=3)

    def __init__(self, *args: Any, options: list[tuple[Team, User | None]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.options = {f"{team.public_id}:{user.public_id if user else ''}": (team, user) for team, user in options}
        choices: list[tuple[str, Any]] = [("", "Choose a worker or team")]
        by_team: dict[str, list[tuple[str, str]]] = {}
        for key, (team, user) in self.options.items():
            label = user.get_full_name() if user else f"{team.name}: not yet allocated to a worker"
            by_team.setdefault(team.name, []).append((key, label))
        choices += list(by_team.items())
        self.fields["allocate_to"].choices = choices  # type: ignore[attr-defined]
        self.order_fields(["allocate_to", "on", "reason", "backdated_reason"])

    def chosen(self) -> tuple[Team, User | None]:
        return self.options[self.cleaned_data["allocate_to"]]


def _transfer_options(episode: Episode) -> list[tuple[Team, User | None]]:
    """Every current team of the child's authority, with its caseworkers (one query each for teams and members)."""
    from safeguarding.accounts.models import Membership
    from safeguarding.accounts.roles import role_can

    teams = list(Team.objects.filter(organisation_id=episode.local_authority_id, is_active=True).order_by("name"))
    members = (
        Membership.objects.filter(team__in=teams, is_active=True)
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    )
    workers: dict[int | None, list[User]] = {}
    for m in members:
        if role_can(m.role, Capability.RECORD_CASEWORK) and m.user not in workers.setdefault(m.team_id, []):
            workers[m.team_id].append(m.user)
    options: list[tuple[Team, User | None]] = []
    for team in teams:
        options.append((team, None))
        options += [(team, user) for user in workers.get(team.pk, [])]
    return options


# ---- the form pages -------------------------------------------------------------------------


@dataclass(frozen=True)
class OversightPage:
    action: str
    title: str
    submit: str
    form: Callable[[HttpRequest, Episode, dt.date], forms.Form]
    save: Callable[[Principal, Episode, Any, dt.datetime], str]
    intro: str = ""


def _form_view(request: HttpRequest, public_id: Any, episode_id: Any, page: OversightPage) -> HttpResponse:
    now = timezone.now()
    principal = principal_of(request)
    try:
        with transaction.atomic():
            person = queries.open_person(principal, public_id, now=now, action=page.action).person
            if not principal.can(Capability.AUTHORISE_CASEWORK):
                raise _MissingCapability(person)
            episode = _episode(person, episode_id)
            form = page.form(request, episode, timezone.localdate(now))
            if form.is_bound and form.is_valid():
                try:
                    with transaction.atomic():
                        message = page.save(principal, episode, form, now)
                except StepRefused as exc:
                    form.add_error(None, str(exc))
                else:
                    messages.success(request, message)
                    return redirect("oversight:episode", public_id=person.public_id, episode=episode.public_id)
            context = {"form": form, "person": person, "episode": episode, "page": page}
            return render(request, "casework/oversight/form.html", context, status=400 if form.errors else 200)
    except queries.Refused as refusal:
        return refusal_response(request, refusal, now=now)
    except _MissingCapability as missing:
        return refuse_for_role(
            request, principal, action=page.action, message=oversight.NOT_A_MANAGER, now=now, person=missing.person
        )


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _save_decision(principal: Principal, episode: Episode, form: Any, now: dt.datetime) -> str:
    data = form.cleaned_data
    oversight.record_management_decision(
        episode=episode,
        principal=principal,
        now=now,
        decided_on=data["on"],
        decision=data["decision"],
        rationale=data["rationale"],
        backdated_reason=data["backdated_reason"],
    )
    return "Management decision recorded"


def _save_supervision(principal: Principal, episode: Episode, form: Any, now: dt.datetime) -> str:
    data = form.cleaned_data
    oversight.record_supervision(
        episode=episode,
        principal=principal,
        now=now,
        held_on=data["on"],
        worker=form.chosen(),
        discussion=data["discussion"],
        actions=data["actions"],
        backdated_reason=data["backdated_reason"],
    )
    return "Supervision recorded"


def _save_transfer(principal: Principal, episode: Episode, form: Any, now: dt.datetime) -> str:
    data = form.cleaned_data
    team, worker = form.chosen()
    oversight.allocate(
        episode=episode,
        principal=principal,
        now=now,
        team=team,
        worker=worker,
        start_date=data["on"],
        reason=data["reason"],
        backdated_reason=data["backdated_reason"],
    )
    return f"Work allocated to {worker.get_full_name() if worker else team.name}"


DECISION = OversightPage(
    action="management-decision.form",
    title="Record a management decision",
    submit="Record decision",
    form=lambda request, episode, today: DecisionForm(_posted(request), today=today),
    save=_save_decision,
    intro=(
        "Say what you decided and why, so the reasoning is there for the worker, the family "
        "and anyone who reads the record later."
    ),
)
SUPERVISION = OversightPage(
    action="supervision.form",
    title="Record case supervision",
    submit="Record supervision",
    form=_supervision_form,
    save=_save_supervision,
    intro=(
        "Supervision about this child with the worker. The child's chronology shows that it happened; "
        "what was discussed stays on this page."
    ),
)
TRANSFER = OversightPage(
    action="episode.transfer.form",
    title="Allocate or transfer the work",
    submit="Allocate",
    form=lambda request, episode, today: TransferForm(
        _posted(request), today=today, options=_transfer_options(episode)
    ),
    save=_save_transfer,
    intro=(
        "The worker and team who hand the work on lose access from the handover date, unless they are "
        "involved in another way; the new worker and team gain it."
    ),
)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def decision_new(request: HttpRequest, public_id: Any, episode: Any) -> HttpResponse:
    return _form_view(request, public_id, episode, DECISION)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def supervision_new(request: HttpRequest, public_id: Any, episode: Any) -> HttpResponse:
    return _form_view(request, public_id, episode, SUPERVISION)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def transfer(request: HttpRequest, public_id: Any, episode: Any) -> HttpResponse:
    return _form_view(request, public_id, episode, TRANSFER)


# ---- the oversight page ---------------------------------------------------------------------


@never_cache
@login_required
@require_GET
def episode_oversight(request: HttpRequest, public_id: Any, episode: Any) -> HttpResponse:
    """Allocation history, management decisions and supervision for one episode (a fixed number of queries)."""
    now = timezone.now()
    principal = principal_of(request)
    action = "oversight.view"
    try:
        with transaction.atomic():
            person = queries.open_person(principal, public_id, now=now, action=action).person
            if not (principal.can(Capability.RECORD_CASEWORK) or principal.can(Capability.AUTHORISE_CASEWORK)):
                raise _MissingCapability(person)
            record = _episode(person, episode)
            context = {
                "person": person,
                "episode": record,
                "allocations": list(
                    Allocation.objects.filter(episode=record)
                    .select_related("worker", "team", "recorded_by")
                    .order_by("-start_date", "-id")
                ),
                "decisions": list(
                    ManagementDecision.objects.filter(episode=record)
                    .select_related("recorded_by")
                    .order_by("-decided_on", "-id")
                ),
                "supervisions": list(
                    oversight.supervisions_visible_to(principal, Supervision.objects.filter(episode=record))
                    .select_related("supervisor", "worker")
                    .order_by("-held_on", "-id")
                ),
                "can_oversee": principal.can(Capability.AUTHORISE_CASEWORK) and record.is_open,
            }
            return render(request, "casework/oversight/episode.html", context)
    except queries.Refused as refusal:
        return refusal_response(request, refusal, now=now)
    except _MissingCapability as missing:
        return refuse_for_role(request, principal, action=action, message=NO_CASEWORK, now=now, person=missing.person)
