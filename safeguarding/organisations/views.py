"""Pages for system administrators: organisations, successions, teams, users and memberships.

Every page needs Capability.MANAGE_ORGANISATIONS and an organisation in the administrator's
partnerships; anything else is a 403, audited as DENIED (see `_manager_page`). Writes go through
organisations.services, which validate, save and audit in one transaction.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from safeguarding.accounts.principal import Principal

from . import services
from .forms import (
    MembershipForm,
    OrganisationForm,
    OrganisationTypeFilterForm,
    ServiceErrorsMixin,
    SuccessionForm,
    TeamForm,
    UserCreateForm,
)

T = TypeVar("T")
USERS_PER_PAGE = 100
View = Callable[..., HttpResponse]


def principal_of(request: HttpRequest) -> Principal:
    return request.principal  # type: ignore[attr-defined,no-any-return]


def _manager_page(view: View) -> View:
    """Sign-in required, never cached; an AdminRefused anywhere in the view is audited and answered 403."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except services.AdminRefused as refusal:
            services.record_refusal(refusal, now=timezone.now())
            return render(request, "organisations/refused.html", {"refusal": refusal}, status=403)

    return never_cache(login_required(wrapper))


def _attempt(form: ServiceErrorsMixin, call: Callable[[], T]) -> T | None:
    """Run a service call; show its AdminChangeRefused errors on the form, against their fields."""
    try:
        return call()
    except services.AdminChangeRefused as refused:
        form.add_service_errors(refused)
        return None


def _form_page(request: HttpRequest, template: str, form: forms.Form, **context: Any) -> HttpResponse:
    return render(request, template, {"form": form, **context}, status=400 if form.errors else 200)


# Organisations -----------------------------------------------------------------------------


@_manager_page
def organisation_list(request: HttpRequest) -> HttpResponse:
    form = OrganisationTypeFilterForm(request.GET or None)
    kind = form.cleaned_data["type"] if form.is_valid() else ""
    organisations = services.organisations_for(principal_of(request), action="admin.organisations.list", type=kind)
    context = {"form": form, "organisations": organisations, "today": timezone.localdate()}
    return render(request, "organisations/list.html", context)


@_manager_page
def organisation_create(request: HttpRequest) -> HttpResponse:
    now, principal = timezone.now(), principal_of(request)
    services.ensure_can_manage(principal, action="admin.organisation-created")
    form = OrganisationForm(request.POST or None, partnerships=services.partnerships_for(principal))
    if request.method == "POST" and form.is_valid():
        data, partnerships = form.data_for_service(), list(form.cleaned_data["partnerships"])
        org = _attempt(
            form,
            lambda: services.create_organisation(principal=principal, now=now, data=data, partnerships=partnerships),
        )
        if org is not None:
            messages.success(request, f"{org.name} was added")
            return redirect("organisations:detail", public_id=org.public_id)
    return _form_page(request, "organisations/organisation_form.html", form, organisation=None)


@_manager_page
def organisation_detail(request: HttpRequest, public_id: object) -> HttpResponse:
    org = services.organisation_for(principal_of(request), public_id, action="admin.organisation.view")
    context = {"detail": services.organisation_detail(org), "organisation": org, "today": timezone.localdate()}
    return render(request, "organisations/detail.html", context)


@_manager_page
def organisation_edit(request: HttpRequest, public_id: object) -> HttpResponse:
    now, principal = timezone.now(), principal_of(request)
    org = services.organisation_for(principal, public_id, action="admin.organisation-updated")
    form = OrganisationForm(request.POST or None, initial=OrganisationForm.initial_for(org))
    if request.method == "POST" and form.is_valid():
        data = form.data_for_service()
        call = lambda: services.update_organisation(principal=principal, now=now, organisation=org, data=data)  # noqa: E731
        if _attempt(form, call) is not None:
            messages.success(request, f"{org.name} was updated")
            return redirect("organisations:detail", public_id=org.public_id)
    return _form_page(request, "organisations/organisation_form.html", form, organisation=org)


@_manager_page
def succession_create(request: HttpRequest, public_id: object) -> HttpResponse:
    now, principal = timezone.now(), principal_of(request)
    org = services.organisation_for(principal, public_id, action="admin.succession-recorded")
    form = SuccessionForm(request.POST or None, organisations=services.organisations_in_scope(principal), exclude=org)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        call = lambda: services.record_succession(  # noqa: E731
            principal=principal,
            now=now,
            predecessor=org,
            successor=data["successor"],
            effective_date=data["effective_date"],
            note=data["note"],
        )
        if _attempt(form, call) is not None:
            messages.success(request, f"{data['successor'].name} is recorded as the successor of {org.name}")
            return redirect("organisations:detail", public_id=org.public_id)
    return _form_page(request, "organisations/succession_form.html", form, organisation=org)


# Teams -------------------------------------------------------------------------------------


@_manager_page
def team_create(request: HttpRequest, public_id: object) -> HttpResponse:
    now, principal = timezone.now(), principal_of(request)
    org = services.organisation_for(principal, public_id, action="admin.team-created")
    form = TeamForm(request.POST or None, organisation=org)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        call = lambda: services.create_team(  # noqa: E731
            principal=principal,
            now=now,
            organisation=org,
            name=data["name"],
            parent=data["parent"],
            inbox_email=data["inbox_email"],
        )
        team = _attempt(form, call)
        if team is not None:
            messages.success(request, f"{team.name} was added")
            return redirect("organisations:detail", public_id=org.public_id)
    return _form_page(request, "organisations/team_form.html", form, organisation=org, team=None)


@_manager_page
def team_edit(request: HttpRequest, public_id: object) -> HttpResponse:
    now, principal = timezone.now(), principal_of(request)
    team = services.team_for(principal, public_id, action="admin.team-updated")
    initial = {"name": team.name, "parent": team.parent_id, "inbox_email": team.inbox_email}
    form = TeamForm(
        request.POST or None, initial=initial | {"is_active": team.is_active}, organisation=team.organisation, team=team
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        call = lambda: services.update_team(  # noqa: E731
            principal=principal,
            now=now,
            team=team,
            name=data["name"],
            parent=data["parent"],
            inbox_email=data["inbox_email"],
            is_active=data["is_active"],
        )
        if _attempt(form, call) is not None:
            messages.success(request, f"{team.name} was updated")
            return redirect("organisations:detail", public_id=team.organisation.public_id)
    return _form_page(request, "organisations/team_form.html", form, organisation=team.organisation, team=team)


# Users and memberships ---------------------------------------------------------------------


@_manager_page
def user_list(request: HttpRequest, public_id: object) -> HttpResponse:
    org = services.organisation_for(principal_of(request), public_id, action="admin.users.list")
    page = Paginator(services.organisation_members(org), USERS_PER_PAGE).get_page(request.GET.get("page"))
    context = {"organisation": org, "page": page, "memberships": page.object_list, "today": timezone.localdate()}
    return render(request, "organisations/users.html", context)


@_manager_page
def user_create(request: HttpRequest, public_id: object) -> HttpResponse:
    now, principal = timezone.now(), principal_of(request)
    org = services.organisation_for(principal, public_id, action="admin.user-created")
    form = UserCreateForm(request.POST or None, organisation=org)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {k: data[k] for k in ("username", "first_name", "last_name", "email", "job_title", "password", "role")}
        call = lambda: services.create_user(principal=principal, now=now, organisation=org, team=data["team"], **fields)  # noqa: E731
        user = _attempt(form, call)
        if user is not None:
            messages.success(request, f"{user} was added. They can sign in as {user.username}")
            return redirect("organisations:user-detail", public_id=user.public_id)
    return _form_page(request, "organisations/user_form.html", form, organisation=org)


@_manager_page
def user_detail(request: HttpRequest, public_id: object) -> HttpResponse:
    principal = principal_of(request)
    user = services.user_for(principal, public_id, action="admin.user.view")
    context = {
        "managed_user": user,
        "memberships": services.user_memberships(principal, user),
        "today": timezone.localdate(),
        "is_me": user.pk == principal.user.pk,
    }
    return render(request, "organisations/user_detail.html", context)


@_manager_page
def user_status(request: HttpRequest, public_id: object) -> HttpResponse:
    now, principal = timezone.now(), principal_of(request)
    user = services.user_for(principal, public_id, action="admin.user-status")
    active, error = not user.is_active, ""
    if request.method == "POST":
        try:
            services.set_user_active(principal=principal, now=now, user=user, active=active)
        except services.AdminChangeRefused as refused:
            error = str(refused)
        else:
            messages.success(request, f"{user} was {'reactivated' if active else 'deactivated'}")
            return redirect("organisations:user-detail", public_id=user.public_id)
    context = {"managed_user": user, "active": active, "error": error}
    return render(request, "organisations/user_status.html", context, status=400 if error else 200)


@_manager_page
def membership_add(request: HttpRequest, public_id: object) -> HttpResponse:
    now, principal = timezone.now(), principal_of(request)
    user = services.user_for(principal, public_id, action="admin.membership-added")
    orgs, teams = services.organisations_in_scope(principal), services.teams_in_scope(principal)
    form = MembershipForm(request.POST or None, organisations=orgs, teams=teams)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {k: data[k] for k in ("organisation", "role", "team", "starts_on", "ends_on")}
        membership = _attempt(form, lambda: services.add_membership(principal=principal, now=now, user=user, **fields))
        if membership is not None:
            messages.success(request, f"{user} now has the role {membership}")
            return redirect("organisations:user-detail", public_id=user.public_id)
    return _form_page(request, "organisations/membership_form.html", form, managed_user=user)


@_manager_page
def membership_end(request: HttpRequest, public_id: object) -> HttpResponse:
    now, principal = timezone.now(), principal_of(request)
    membership = services.membership_for(principal, public_id, action="admin.membership-ended")
    error = ""
    if request.method == "POST":
        try:
            services.end_membership(principal=principal, now=now, membership=membership)
        except services.AdminChangeRefused as refused:
            error = str(refused)
        else:
            messages.success(request, f"{membership.user}'s role {membership} has ended")
            return redirect("organisations:user-detail", public_id=membership.user.public_id)
    context = {"membership": membership, "error": error}
    return render(request, "organisations/membership_end.html", context, status=400 if error else 200)
