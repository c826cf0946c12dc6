"""People endpoints of API v1: search and read, through the access layer (decided and audited)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from safeguarding.access import queries
from safeguarding.accounts.principal import Principal
from safeguarding.core.text import normalise_postcode

from .identifiers import InvalidNhsNumber, clean_nhs_number
from .models import Person

router = Router(tags=["people"])


class SearchHitOut(Schema):
    id: uuid.UUID
    given_name: str
    family_name: str
    date_of_birth: dt.date | None
    local_authority: str
    can_open: bool


class NameOut(Schema):
    kind: str
    given_name: str
    family_name: str


class AddressOut(Schema):
    line_1: str
    line_2: str
    town: str
    postcode: str
    valid_from: dt.date | None
    valid_to: dt.date | None


class RelationshipOut(Schema):
    person_id: uuid.UUID | None = Field(description="null when the relative's record is restricted")
    person_name: str
    type: str = Field(description="RelationshipType, read as: `from` is the <type> of `to`")
    direction: str = Field(description="'from' when the relative is the <type> of this person, else 'to'")
    start_date: dt.date | None
    end_date: dt.date | None


class InvolvementOut(Schema):
    kind: str
    worker: str | None
    team: str | None
    organisation: str
    start_date: dt.date


class PersonOut(Schema):
    id: uuid.UUID
    kind: str
    given_name: str
    family_name: str
    other_names: list[NameOut]
    date_of_birth: dt.date | None
    expected_due_date: dt.date | None
    sex: str
    gender: str
    ethnicity: str
    first_language: str
    disabilities: list[str]
    nhs_number: str
    upn: str
    la_person_id: str
    is_restricted: bool
    local_authority: str
    merged_into: uuid.UUID | None
    addresses: list[AddressOut]
    relationships: list[RelationshipOut]
    involvements: list[InvolvementOut]


class MeOut(Schema):
    username: str
    name: str
    role: str
    organisation: str | None
    team: str | None


def _principal(request: HttpRequest) -> Principal:
    return request.principal  # type: ignore[attr-defined,no-any-return]


@router.get("/me", response=MeOut, summary="Who this token acts as")
def me(request: HttpRequest) -> dict[str, Any]:
    principal = _principal(request)
    membership = principal.membership
    return {
        "username": principal.user.username,
        "name": str(principal.user),
        "role": principal.role,
        "organisation": membership.organisation.name if membership else None,
        "team": membership.team.name if membership and membership.team else None,
    }


@router.get("/people", response=list[SearchHitOut], summary="Search for people (minimal details)")
def search(
    request: HttpRequest,
    name: str = "",
    date_of_birth: dt.date | None = None,
    nhs_number: str = "",
    postcode: str = "",
) -> list[dict[str, Any]]:
    principal = _principal(request)
    now = timezone.now()
    name = " ".join(name.split())[:100]
    if not (name or date_of_birth or nhs_number.strip() or postcode.strip()):
        raise HttpError(422, "Give at least one of name, date_of_birth, nhs_number or postcode")
    if nhs_number.strip():
        try:
            nhs_number = clean_nhs_number(nhs_number)
        except InvalidNhsNumber as exc:
            raise HttpError(422, str(exc)) from None
    clean_postcode = ""
    if postcode.strip():
        clean_postcode = normalise_postcode(postcode) or ""
        if not clean_postcode:
            raise HttpError(422, "postcode is not a UK postcode")
    with transaction.atomic():
        result = queries.search_people(
            principal, now=now, name=name, date_of_birth=date_of_birth, nhs_number=nhs_number, postcode=clean_postcode
        )
        return [
            {
                "id": h.person.public_id,
                "given_name": h.person.given_name,
                "family_name": h.person.family_name,
                "date_of_birth": h.person.date_of_birth,
                "local_authority": h.person.local_authority.name,
                "can_open": h.can_open,
            }
            for h in result.hits
        ]


@router.get("/people/{person_id}", response=PersonOut, summary="Read one person's record")
def read(request: HttpRequest, person_id: uuid.UUID) -> dict[str, Any]:
    principal = _principal(request)
    now = timezone.now()
    with transaction.atomic():
        person = queries.open_person(principal, person_id, now=now, action="person.view").person
        return _person_out(person, now=now)


def _person_out(person: Person, *, now: dt.datetime) -> dict[str, Any]:
    family = queries.family_relationships(person)
    relationships = []
    for rel in family.direct:
        other = rel.from_person if rel.to_person_id == person.pk else rel.to_person
        hidden = other.is_restricted
        relationships.append(
            {
                "person_id": None if hidden else other.public_id,
                "person_name": "Name withheld (restricted record)" if hidden else other.display_name,
                "type": rel.type,
                "direction": "from" if rel.to_person_id == person.pk else "to",
                "start_date": rel.start_date,
                "end_date": rel.end_date,
            }
        )
    involvements = [
        {
            "kind": inv.kind,
            "worker": str(inv.user) if inv.user else None,
            "team": inv.team.name if inv.team else None,
            "organisation": inv.organisation.name,
            "start_date": inv.start_date,
        }
        for inv in person.involvements.select_related("user", "team", "organisation")
        .filter(start_date__lte=now.date())
        .exclude(end_date__lt=now.date())
    ]
    return {
        "id": person.public_id,
        "kind": person.kind,
        "given_name": person.given_name,
        "family_name": person.family_name,
        "other_names": list(person.other_names.values("kind", "given_name", "family_name")),
        "date_of_birth": person.date_of_birth,
        "expected_due_date": person.expected_due_date,
        "sex": person.sex,
        "gender": person.gender,
        "ethnicity": person.ethnicity,
        "first_language": person.first_language,
        "disabilities": list(person.disabilities.values_list("code", flat=True)),
        "nhs_number": person.nhs_number,
        "upn": person.upn,
        "la_person_id": person.la_person_id,
        "is_restricted": person.is_restricted,
        "local_authority": person.local_authority.name,
        "merged_into": person.merged_into.public_id if person.merged_into else None,
        "addresses": list(person.addresses.values("line_1", "line_2", "town", "postcode", "valid_from", "valid_to")),
        "relationships": relationships,
        "involvements": involvements,
    }
