"""Create a person and change their record (people:create, edit, address-add, name-add, relationship-add)."""

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
from safeguarding.access.policy import searchable_local_authorities
from safeguarding.accounts.principal import Principal
from safeguarding.accounts.roles import Capability
from safeguarding.audit import services as audit
from safeguarding.audit.models import Outcome
from safeguarding.organisations.models import OrganisationType
from safeguarding.people import services
from safeguarding.people.codes import PersonKind, RelationshipType
from safeguarding.people.forms import AddressForm, CreatePersonForm, OtherNameForm, PersonDetailsForm, RelationshipForm
from safeguarding.people.models import Person

from .forms_base import record_form_view
from .record import principal_of

DETAIL_FIELDS = services.PERSON_FIELDS


def _details(data: dict[str, Any]) -> dict[str, Any]:
    return {
        name: data.get(name) or ("" if name not in ("date_of_birth", "expected_due_date") else None)
        for name in DETAIL_FIELDS
    }


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def person_create(request: HttpRequest) -> HttpResponse:
    principal = principal_of(request)
    now = timezone.now()
    membership = principal.membership
    if not principal.can(Capability.CREATE_PERSON) or membership is None:
        return _refuse_create(request, principal, now, "Your role cannot create records")
    if membership.organisation.type != OrganisationType.LOCAL_AUTHORITY:
        return _refuse_create(
            request,
            principal,
            now,
            "Records of people are held by the local authority. Record a contact instead, and the front door "
            "will find or create the child's record.",
        )
    form = CreatePersonForm(request.POST or None, initial={"kind": PersonKind.CHILD})
    duplicates: list[services.ProbableDuplicate] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        duplicates = services.probable_duplicates(
            local_authority_ids=searchable_local_authorities(principal),
            given_name=data["given_name"],
            family_name=data["family_name"],
            date_of_birth=data["date_of_birth"],
            nhs_number=data["nhs_number"],
        )
        if duplicates and not data["confirmed_new"]:
            form.add_error("confirmed_new", "Check the possible matches below, then confirm this is a new person")
        else:
            try:
                person = _create(principal, membership.organisation, data, now)
            except services.PersonChangeRefused as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, f"Record created for {person.display_name}")
                return redirect("people:detail", public_id=person.public_id)
    context = {"form": form, "duplicates": duplicates}
    return render(request, "people/create.html", context, status=400 if form.errors else 200)


@transaction.atomic
def _create(principal: Principal, local_authority: Any, data: dict[str, Any], now: dt.datetime) -> Person:
    person = services.create_person(
        principal=principal,
        now=now,
        local_authority=local_authority,
        data=_details(data),
        disabilities=data["disabilities"],
    )
    if data.get("line_1"):
        services.add_address(
            person=person,
            principal=principal,
            now=now,
            line_1=data["line_1"],
            town=data.get("town", ""),
            postcode=data.get("postcode", ""),
        )
    return person


def _refuse_create(request: HttpRequest, principal: Principal, now: dt.datetime, message: str) -> HttpResponse:
    with transaction.atomic():
        audit.record(
            principal=principal,
            action="person.create",
            at=now,
            outcome=Outcome.DENIED,
            basis="no-capability",
            reason=message,
        )
    return render(request, "people/cannot_create.html", {"message": message}, status=403)


def _person_initial(person: Person) -> dict[str, Any]:
    initial = {name: getattr(person, name) for name in DETAIL_FIELDS}
    initial["disabilities"] = list(person.disabilities.values_list("code", flat=True))
    return initial


def _save_details(principal: Principal, person: Person, data: dict[str, Any], now: dt.datetime) -> str:
    services.update_person(
        person=person, principal=principal, now=now, data=_details(data), disabilities=data["disabilities"]
    )
    return "Details saved"


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, public_id: object) -> HttpResponse:
    return record_form_view(
        request,
        public_id,
        action="person.edit",
        capability=Capability.CREATE_PERSON,
        form_class=PersonDetailsForm,
        save=_save_details,
        template="people/record_form.html",
        title="Change details",
        initial=_person_initial,
    )


def _save_address(principal: Principal, person: Person, data: dict[str, Any], now: dt.datetime) -> str:
    services.add_address(
        person=person,
        principal=principal,
        now=now,
        line_1=data["line_1"],
        line_2=data["line_2"],
        town=data["town"],
        postcode=data["postcode"],
        valid_from=data["valid_from"],
    )
    return "Address added"


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def address_add(request: HttpRequest, public_id: object) -> HttpResponse:
    return record_form_view(
        request,
        public_id,
        action="person.address.form",
        capability=Capability.CREATE_PERSON,
        form_class=AddressForm,
        save=_save_address,
        template="people/record_form.html",
        title="Add an address",
    )


def _save_name(principal: Principal, person: Person, data: dict[str, Any], now: dt.datetime) -> str:
    services.add_other_name(
        person=person,
        principal=principal,
        now=now,
        kind=data["kind"],
        given_name=data["given_name"],
        family_name=data["family_name"],
    )
    return "Name added"


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def name_add(request: HttpRequest, public_id: object) -> HttpResponse:
    return record_form_view(
        request,
        public_id,
        action="person.name.form",
        capability=Capability.CREATE_PERSON,
        form_class=OtherNameForm,
        save=_save_name,
        template="people/record_form.html",
        title="Add a previous name or alias",
    )


def _save_relationship(principal: Principal, person: Person, data: dict[str, Any], now: dt.datetime) -> str:
    if data["other"]:
        other = queries.open_person(principal, data["other"], now=now, action="person.relationship.link").person
    else:
        other = services.create_person(
            principal=principal,
            now=now,
            local_authority=person.local_authority,
            data={
                "kind": data["new_kind"],
                "given_name": data["new_given_name"],
                "family_name": data["new_family_name"],
                "date_of_birth": data["new_date_of_birth"],
            },
        )
    from_person, to_person = (other, person) if data["direction"] == "OTHER_IS" else (person, other)
    services.add_relationship(
        principal=principal,
        now=now,
        from_person=from_person,
        to_person=to_person,
        type=data["type"],
        start_date=data["start_date"],
        description=data["description"],
    )
    return (
        f"{from_person.display_name} recorded as {RelationshipType(data['type']).label.lower()} of "
        f"{to_person.display_name}"
    )


def _relationship_search(
    request: HttpRequest, principal: Principal, person: Person, now: dt.datetime
) -> dict[str, Any]:
    query = " ".join(request.GET.get("q", "").split())[:100]
    if not query:
        return {"query": ""}
    result = queries.search_people(principal, now=now, name=query)
    hits = [h.person for h in result.hits if h.can_open and h.person.pk != person.pk]
    return {"query": query, "hits": hits}


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def relationship_add(request: HttpRequest, public_id: object) -> HttpResponse:
    # A chosen other person the user cannot open is refused (and audited) by record_form_view.
    return record_form_view(
        request,
        public_id,
        action="person.relationship.form",
        capability=Capability.CREATE_PERSON,
        form_class=RelationshipForm,
        save=_save_relationship,
        template="people/relationship_add.html",
        title="Record a relationship",
        extra=_relationship_search,
        initial=lambda p: {"direction": "OTHER_IS", "new_kind": PersonKind.ADULT, "other": request.GET.get("other")},
    )
