"""Create a person and change their record (people:create, edit, address-add, name-add, relationship-add).

Creating needs the CREATE_PERSON capability and a local authority membership: records of people are
held by the local authority. Changing a record needs the same capability and access to the record
(access.queries.open_person): a health partner who may read a child's record cannot change it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from safeguarding.access import queries
from safeguarding.accounts.principal import Principal
from safeguarding.accounts.roles import Capability
from safeguarding.organisations.models import OrganisationType
from safeguarding.people import services
from safeguarding.people.codes import PersonKind
from safeguarding.people.forms import (
    AddressForm,
    CreatePersonForm,
    OtherNameForm,
    PersonDetailsForm,
    RelationshipForm,
    person_initial,
)
from safeguarding.people.models import Person

from .forms_base import RecordPage, find_records, open_chosen, posted, record_form_view, refuse_for_role
from .record import principal_of, refusal_response

CHANGE_REFUSAL = (
    "Your role can read this record but cannot change it. Tell the child's social worker what needs to change."
)
NOT_AN_AUTHORITY = (
    "Records of people are held by the local authority. Health, police and other partners record a contact "
    "with the local authority's front door instead, and the front door finds or creates the person's record."
)
NO_ROLE = "Your role cannot create records. Ask a social worker or team manager to create it."


def _why_not_create(principal: Principal) -> str:
    """Why this principal may not create a record ("" when they may)."""
    if principal.membership is None:
        return NO_ROLE
    if principal.membership.organisation.type != OrganisationType.LOCAL_AUTHORITY:
        return NOT_AN_AUTHORITY
    return "" if principal.can(Capability.CREATE_PERSON) else NO_ROLE


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def person_create(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    principal = principal_of(request)
    problem = _why_not_create(principal)
    if problem:
        heading = "You cannot create records"
        return refuse_for_role(request, principal, action="person.create", message=problem, now=now, heading=heading)
    try:
        with transaction.atomic():
            return _create_page(request, principal, now)
    except queries.Refused as refusal:
        return refusal_response(request, refusal, now=now)


def _create_page(request: HttpRequest, principal: Principal, now: dt.datetime) -> HttpResponse:
    chosen = (posted(request) or request.GET).get("pregnant_person")
    pregnant = open_chosen(principal, chosen, now=now, action="person.create.pregnant-person")
    initial: dict[str, Any] = {"kind": PersonKind.UNBORN if pregnant else PersonKind.CHILD}
    if pregnant:
        initial |= {"pregnant_person": pregnant.public_id, "family_name": pregnant.family_name}
    form = CreatePersonForm(posted(request), initial=initial, today=timezone.localdate(now))
    duplicates: list[queries.DuplicateHit] = []
    if form.is_bound and form.is_valid():
        duplicates = _duplicates(principal, form, now)
        if not _needs_confirmation(request, form, duplicates):
            created = _create(request, principal, form, pregnant, now)
            if created is not None:
                return redirect("people:detail", public_id=created.public_id)
    context = {
        "form": form,
        "duplicates": duplicates,
        "seen_duplicates": " ".join(str(d.person.public_id) for d in duplicates),
        "pregnant": pregnant,
        **find_records(request, principal, now, exclude=None, unborn=False),
    }
    return render(request, "people/create.html", context, status=400 if form.errors else 200)


def _duplicates(principal: Principal, form: CreatePersonForm, now: dt.datetime) -> list[queries.DuplicateHit]:
    data = form.cleaned_data
    return queries.probable_duplicates(
        principal,
        now=now,
        action="person.create.duplicate-check",
        given_name=data["given_name"],
        family_name=data["family_name"],
        date_of_birth=data["date_of_birth"],
        nhs_number=data["nhs_number"],
    )


def _needs_confirmation(request: HttpRequest, form: CreatePersonForm, duplicates: list[queries.DuplicateHit]) -> bool:
    """True (with an error on the checkbox) unless the user confirmed a new person having seen every match."""
    if not duplicates:
        return False
    unseen = {str(d.person.public_id) for d in duplicates} - set(request.POST.get("seen_duplicates", "").split())
    if form.cleaned_data["confirmed_new"] and not unseen:
        return False
    if form.cleaned_data["confirmed_new"]:  # confirmed for an earlier list: untick, ask again
        data = request.POST.copy()
        data.pop("confirmed_new", None)
        form.data = data
    form.add_error("confirmed_new", "Check the possible matches. If none of them is this person, tick the box")
    return True


def _create(
    request: HttpRequest, principal: Principal, form: CreatePersonForm, pregnant: Person | None, now: dt.datetime
) -> Person | None:
    membership = principal.membership
    assert membership is not None
    try:
        with transaction.atomic():
            person = services.create_person(
                principal=principal,
                now=now,
                local_authority=membership.organisation,
                data=form.details(),
                disabilities=form.cleaned_data["disabilities"],
                pregnant_person=pregnant,
                first_address=form.first_address(),
            )
    except services.PersonChangeRefused as exc:
        form.add_error(None, str(exc))
        return None
    messages.success(request, f"Record created for {person.display_name}")
    return person


def _save_details(principal: Principal, person: Person, form: PersonDetailsForm, now: dt.datetime) -> str:
    data = form.details()
    services.update_person(
        person=person, principal=principal, now=now, data=data, disabilities=form.cleaned_data["disabilities"]
    )
    return "Details saved"


EDIT = RecordPage(
    action="person.edit",
    capability=Capability.CREATE_PERSON,
    refusal=CHANGE_REFUSAL,
    template="people/edit.html",
    title="Change details",
    form=lambda request, principal, person, now: PersonDetailsForm(
        posted(request), initial=person_initial(person), today=timezone.localdate(now)
    ),
    save=_save_details,
)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, public_id: object) -> HttpResponse:
    return record_form_view(request, public_id, EDIT)


def _save_address(principal: Principal, person: Person, form: AddressForm, now: dt.datetime) -> str:
    fields = ("line_1", "line_2", "town", "postcode", "valid_from")
    services.add_address(person=person, principal=principal, now=now, **{k: form.cleaned_data[k] for k in fields})
    return "Address added. The previous address is kept in the address history."


ADDRESS = RecordPage(
    action="person.address.form",
    capability=Capability.CREATE_PERSON,
    refusal=CHANGE_REFUSAL,
    template="people/address_add.html",
    title="Add an address",
    form=lambda request, principal, person, now: AddressForm(posted(request), today=timezone.localdate(now)),
    save=_save_address,
)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def address_add(request: HttpRequest, public_id: object) -> HttpResponse:
    return record_form_view(request, public_id, ADDRESS)


def _save_name(principal: Principal, person: Person, form: OtherNameForm, now: dt.datetime) -> str:
    data = form.cleaned_data
    services.add_other_name(
        person=person,
        principal=principal,
        now=now,
        kind=data["kind"],
        given_name=data["given_name"],
        family_name=data["family_name"],
    )
    return "Name added. Searches for this name will now find the record."


NAME = RecordPage(
    action="person.name.form",
    capability=Capability.CREATE_PERSON,
    refusal=CHANGE_REFUSAL,
    template="people/name_add.html",
    title="Add another name",
    form=lambda request, principal, person, now: OtherNameForm(posted(request)),
    save=_save_name,
)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def name_add(request: HttpRequest, public_id: object) -> HttpResponse:
    return record_form_view(request, public_id, NAME)


def _relationship_form(request: HttpRequest, principal: Principal, person: Person, now: dt.datetime) -> Any:
    raw = (posted(request) or request.GET).get("other")
    chosen = open_chosen(principal, raw, now=now, action="person.relationship.other")
    initial = {"other": chosen.public_id if chosen else None}
    today = timezone.localdate(now)
    return RelationshipForm(posted(request), initial=initial, person=person, chosen=chosen, today=today)


def _save_relationship(principal: Principal, person: Person, form: RelationshipForm, now: dt.datetime) -> str:
    type_, other_is_from = form.relationship_type()
    when = {"start_date": form.cleaned_data["start_date"], "description": form.cleaned_data["description"]}
    if form.chosen is None:
        new = form.new_person()
        rel = services.add_new_relative(
            principal=principal, now=now, person=person, data=new, type=type_, new_person_is_from=other_is_from, **when
        )
    else:
        pair = (form.chosen, person) if other_is_from else (person, form.chosen)
        rel = services.add_relationship(
            principal=principal, now=now, from_person=pair[0], to_person=pair[1], type=type_, **when
        )
    kind = rel.get_type_display().lower()
    return f"Recorded: {rel.from_person.display_name} is the {kind} of {rel.to_person.display_name}"


RELATIONSHIP = RecordPage(
    action="person.relationship.form",
    capability=Capability.CREATE_PERSON,
    refusal=CHANGE_REFUSAL,
    template="people/relationship_add.html",
    title="Record a relationship",
    form=_relationship_form,
    save=_save_relationship,
    context=lambda request, principal, person, form, now: find_records(request, principal, now, exclude=person),
)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def relationship_add(request: HttpRequest, public_id: object) -> HttpResponse:
    return record_form_view(request, public_id, RELATIONSHIP)
