"""Pages for partnership roles: serious incidents, their reviews, and the action tracker (ADR 0022).

Each page opens the partnership or the incident through learning.access (audited) inside one transaction
and renders inside it; a refusal is audited DENIED and answered 403 (no partnership role) or 404 (an
incident of another partnership). A change is one service call in a savepoint: a refused step leaves
nothing behind and the form comes back with the service's message.

Children: the list shows none. The incident page opens each linked child through
access.queries.open_person (need-to-know decides, and an ALLOWED read is audited); a refused child is
shown as "a child (details restricted)", never by name, and the page does not say whether it was refused.
"""

from __future__ import annotations

import datetime as dt
import functools
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

from safeguarding.access import queries
from safeguarding.accounts.principal import Principal
from safeguarding.core.forms import save_or_show_refusal
from safeguarding.organisations.models import Organisation, Partnership
from safeguarding.people.models import Person
from safeguarding.people.views.forms_base import posted

from . import access, rules, services
from . import forms as f
from .codes import ActionStatus, ReviewDecision
from .models import Action, Recommendation, SeriousIncident

View = Callable[..., HttpResponse]
RESTRICTED = "a child (details restricted)"


def principal_of(request: HttpRequest) -> Principal:
    return request.principal  # type: ignore[attr-defined,no-any-return]


def _refused(request: HttpRequest, refusal: access.LearningRefused, now: dt.datetime) -> HttpResponse:
    access.record_refusal(refusal, now=now)
    return render(request, "learning/refused.html", {"refusal": refusal}, status=refusal.status)


def _partnership_page(action: str, *, manage: bool = False) -> Callable[[View], View]:
    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            now, principal = timezone.now(), principal_of(request)
            try:
                with transaction.atomic():
                    partnership = access.open_partnership(principal, action=action, now=now, manage=manage)
                    return view(request, principal, partnership, now, *args, **kwargs)
            except access.LearningRefused as refusal:
                return _refused(request, refusal, now)

        return never_cache(login_required(wrapper))

    return decorate


def _incident_page(action: str, *, manage: bool = False) -> Callable[[View], View]:
    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, public_id: Any, *args: Any, **kwargs: Any) -> HttpResponse:
            now, principal = timezone.now(), principal_of(request)
            try:
                with transaction.atomic():
                    incident = access.open_incident(principal, public_id, action=action, now=now, manage=manage)
                    return view(request, principal, incident, now, *args, **kwargs)
            except access.LearningRefused as refusal:
                return _refused(request, refusal, now)

        return never_cache(login_required(wrapper))

    return decorate


def _save(form: forms.Form, call: Callable[[], Any]) -> Any:
    return save_or_show_refusal(form, call, services.StepRefused)


@dataclass(frozen=True)
class ChildShown:
    name: str
    public_id: str | None  # only when the principal may open the child's record


def children_shown(principal: Principal, incident: SeriousIncident, now: dt.datetime) -> list[ChildShown]:
    shown = []
    for child in incident.children.order_by("id"):
        try:
            person = queries.open_person(
                principal,
                child.public_id,
                now=now,
                action="learning.incident.child.view",
                details={"incident": str(incident.public_id)},
            ).person
        except queries.Refused:
            # Not recorded as DENIED: nobody asked for this child; the page simply does not show them.
            shown.append(ChildShown(RESTRICTED, None))
            continue
        shown.append(ChildShown(person.display_name, str(person.public_id)))
    return shown


# -- lists ---------------------------------------------------------------------------------------------


@_partnership_page("learning.incident.list")
def incident_list(
    request: HttpRequest, principal: Principal, partnership: Partnership, now: dt.datetime
) -> HttpResponse:
    today = timezone.localdate(now)
    standards = rules.standards_for(partnership.local_authority_id)
    incidents = list(SeriousIncident.objects.filter(partnership=partnership).order_by("aware_on", "id"))
    rows = [(incident, rules.next_step(incident, standards, today)) for incident in incidents]
    # Overdue first, then the soonest due, then those with nothing due.
    rows.sort(key=lambda r: (not r[1].overdue, r[1].due_on is None, r[1].due_on or today))
    context = {
        "partnership": partnership,
        "rows": rows,
        "today": today,
        "standards": standards,
        "can_manage": access.can_manage(principal),
    }
    return render(request, "learning/list.html", context)


@_partnership_page("learning.action.list")
def action_list(request: HttpRequest, principal: Principal, partnership: Partnership, now: dt.datetime) -> HttpResponse:
    today = timezone.localdate(now)
    actions = list(
        Action.objects.filter(recommendation__incident__partnership=partnership).select_related(
            "owner_organisation", "recommendation__incident"
        )
    )
    rows = [(action, rules.action_state(action, today)) for action in actions]
    order = {"Overdue": 0, "Open": 1, "In progress": 1, "Done": 2}
    rows.sort(key=lambda r: (order[r[1]], r[0].due_on))
    context = {"partnership": partnership, "rows": rows, "today": today, "can_manage": access.can_manage(principal)}
    return render(request, "learning/actions.html", context)


# -- an incident ---------------------------------------------------------------------------------------


@_partnership_page("learning.incident.new", manage=True)
def incident_new(
    request: HttpRequest, principal: Principal, partnership: Partnership, now: dt.datetime
) -> HttpResponse:
    form = f.IncidentForm(posted(request))
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        wanted = data["children"]
        children = list(Person.objects.filter(public_id__in=wanted, local_authority=partnership.local_authority))
        if len(children) != len(wanted):
            form.add_error("children", "One of these is not the address of a child's record in this area")
        else:
            incident = _save(
                form,
                lambda: services.record_incident(
                    partnership=partnership,
                    principal=principal,
                    now=now,
                    reference=data["reference"],
                    aware_on=data["aware_on"],
                    summary=data["summary"],
                    children=children,
                    backdated_reason=data["backdated_reason"],
                ),
            )
            if incident is not None:
                messages.success(request, f"Incident {incident.reference} recorded")
                return redirect("learning:incident", public_id=incident.public_id)
    context = {"partnership": partnership, "form": form, "title": "Record a serious incident"}
    return render(request, "learning/form.html", context)


@_incident_page("learning.incident.view")
def incident_detail(
    request: HttpRequest, principal: Principal, incident: SeriousIncident, now: dt.datetime
) -> HttpResponse:
    today = timezone.localdate(now)
    standards = rules.standards_for(incident.partnership.local_authority_id)
    recommendations = list(incident.recommendations.prefetch_related("actions__owner_organisation"))
    context = {
        "incident": incident,
        "partnership": incident.partnership,
        "children": children_shown(principal, incident, now),
        "next_step": rules.next_step(incident, standards, today),
        "notification_due": rules.notification_due(incident, standards),
        "rapid_review_due": rules.rapid_review_due(incident, standards),
        "publication_due": rules.review_publication_due(incident),
        "standards": standards,
        "episodes": list(incident.episodes.all()),
        "findings": list(incident.findings.all()),
        "analyses": list(incident.analyses.all()),
        "recommendations": [(r, [(a, rules.action_state(a, today)) for a in r.actions.all()]) for r in recommendations],
        "today": today,
        "LCSPR": ReviewDecision.LCSPR,
        "can_manage": access.can_manage(principal),
    }
    return render(request, "learning/incident.html", context)


@dataclass(frozen=True)
class Step:
    title: str
    form: type[forms.Form]
    save: Callable[[SeriousIncident, Principal, dt.datetime, dict[str, Any]], Any]
    done: str


def _whys(data: dict[str, Any]) -> list[str]:
    return [data[f"why_{n}"] for n in range(1, 6)]


STEPS: dict[str, Step] = {
    "notify": Step(
        "Record the notification to the national panel",
        f.NotificationForm,
        lambda i, p, n, d: services.record_notification(incident=i, principal=p, now=n, **d),
        "Notification to the national panel recorded",
    ),
    "rapid-review": Step(
        "Record the rapid review",
        f.RapidReviewForm,
        lambda i, p, n, d: services.record_rapid_review(incident=i, principal=p, now=n, **d),
        "Rapid review recorded",
    ),
    "decision": Step(
        "Record the decision on a local review",
        f.DecisionForm,
        lambda i, p, n, d: services.record_decision(incident=i, principal=p, now=n, **d),
        "Decision recorded",
    ),
    "sent": Step(
        "Record the rapid review sent to the panel",
        f.SentForm,
        lambda i, p, n, d: services.record_sent_to_panel(incident=i, principal=p, now=n, **d),
        "Rapid review sent to the panel",
    ),
    "commission": Step(
        "Commission the local child safeguarding practice review",
        f.CommissionForm,
        lambda i, p, n, d: services.commission_review(incident=i, principal=p, now=n, **d),
        "Local review commissioned",
    ),
    "publish": Step(
        "Publish the report and learning briefing",
        f.PublishForm,
        lambda i, p, n, d: services.publish(incident=i, principal=p, now=n, **d),
        "Learning published",
    ),
    "episode": Step(
        "Add a key practice episode",
        f.EpisodeForm,
        lambda i, p, n, d: services.add_practice_episode(incident=i, principal=p, now=n, **d),
        "Key practice episode added",
    ),
    "finding": Step(
        "Add a finding",
        f.FindingForm,
        lambda i, p, n, d: services.add_finding(incident=i, principal=p, now=n, **d),
        "Finding added",
    ),
    "analysis": Step(
        "Add a root cause analysis",
        f.AnalysisForm,
        lambda i, p, n, d: services.add_root_cause_analysis(
            incident=i,
            principal=p,
            now=n,
            problem=d["problem"],
            domain=d["domain"],
            whys=_whys(d),
            root_cause=d["root_cause"],
        ),
        "Root cause analysis added",
    ),
    "recommendation": Step(
        "Add a recommendation",
        f.RecommendationForm,
        lambda i, p, n, d: services.add_recommendation(incident=i, principal=p, now=n, **d),
        "Recommendation added",
    ),
}


@_incident_page("learning.incident.change", manage=True)
def incident_step(
    request: HttpRequest, principal: Principal, incident: SeriousIncident, now: dt.datetime, step: str
) -> HttpResponse:
    page = STEPS.get(step)
    if page is None:
        raise Http404
    form = page.form(posted(request))
    saved = (
        form.is_bound
        and form.is_valid()
        and _save(form, lambda: page.save(incident, principal, now, form.cleaned_data))
    )
    if saved:
        messages.success(request, page.done)
        return redirect("learning:incident", public_id=incident.public_id)
    context = {"incident": incident, "partnership": incident.partnership, "form": form, "title": page.title}
    return render(request, "learning/form.html", context)


def _agencies(partnership: Partnership) -> list[Organisation]:
    return [partnership.local_authority, *partnership.organisations.exclude(pk=partnership.local_authority_id)]


@_incident_page("learning.incident.change", manage=True)
def action_new(
    request: HttpRequest, principal: Principal, incident: SeriousIncident, now: dt.datetime, recommendation: Any
) -> HttpResponse:
    rec = Recommendation.objects.filter(incident=incident, public_id=recommendation).first()
    if rec is None:
        raise Http404
    form = f.ActionForm(posted(request), organisations=_agencies(incident.partnership))
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        saved = _save(
            form,
            lambda: services.add_action(
                recommendation=rec,
                principal=principal,
                now=now,
                description=d["description"],
                owner_organisation=d["owner_organisation"],
                owner_name=d["owner_name"],
                due_on=d["due_on"],
            ),
        )
        if saved is not None:
            messages.success(request, "Action added")
            return redirect("learning:incident", public_id=incident.public_id)
    context = {
        "incident": incident,
        "partnership": incident.partnership,
        "form": form,
        "title": "Add an action",
        "caption": rec.text,
    }
    return render(request, "learning/form.html", context)


@_incident_page("learning.incident.change", manage=True)
def action_update(
    request: HttpRequest, principal: Principal, incident: SeriousIncident, now: dt.datetime, action: Any
) -> HttpResponse:
    item = Action.objects.filter(recommendation__incident=incident, public_id=action).first()
    if item is None:
        raise Http404
    initial = {"status": item.status, "evidence": item.evidence}
    form = f.ActionUpdateForm(posted(request), initial=initial)
    if item.status == ActionStatus.DONE and not form.is_bound:
        form.add_error(None, "This action is closed: it was done, with evidence")
    elif form.is_bound and form.is_valid():
        d = form.cleaned_data
        saved = _save(
            form,
            lambda: services.update_action(
                action=item,
                principal=principal,
                now=now,
                status=d["status"],
                evidence=d["evidence"],
                completed_on=d["completed_on"],
            ),
        )
        if saved is not None:
            messages.success(request, "Action updated")
            return redirect("learning:incident", public_id=incident.public_id)
    context = {
        "incident": incident,
        "partnership": incident.partnership,
        "form": form,
        "title": "Update the action",
        "caption": item.description,
    }
    return render(request, "learning/form.html", context)
