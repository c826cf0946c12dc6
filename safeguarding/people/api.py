"""People endpoints of API v1: search and read, through the one access layer, decided and audited as the pages are.

Each operation computes `now` once and calls access.queries inside one transaction, building the whole
response (a validated schema instance of plain values) inside the same block, so the audit row commits
with the read or neither happens. A refusal is caught outside the block, audited on its own with
queries.record_refusal() and answered 403, or 404 when the caller may not know the record exists (the
same answer as for a record that does not exist).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Literal

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema
from ninja.errors import HttpError, ValidationError
from pydantic import field_validator
from pydantic_core import PydanticCustomError

from safeguarding.access import queries
from safeguarding.access.models import Involvement, InvolvementKind
from safeguarding.accounts.principal import Principal
from safeguarding.accounts.roles import Role
from safeguarding.core.text import has_control_characters, normalise_postcode

from .codes import INVERSE_LABELS, Disability, Ethnicity, NameKind, PersonKind, RelationshipType, Sex
from .identifiers import InvalidNhsNumber, clean_nhs_number
from .models import Address, Person, PersonName, Relationship

router = Router(tags=["people"])

WITHHELD = "Name withheld (restricted record)"
NOT_FOUND = "No such record"
NEED_ONE = "Give at least one of name, date_of_birth, nhs_number or postcode"


# Input


class PersonSearch(Schema):
    """Search criteria: give at least one. Names match with tolerance for spelling."""

    name: str = Field("", max_length=100, description="First name, last name or both; spelling need not be exact")
    date_of_birth: dt.date | None = Field(None, description="YYYY-MM-DD; also matches an unborn child's due date")
    nhs_number: str = Field("", max_length=20, description="10 digits with a valid check digit; spaces are ignored")
    postcode: str = Field("", max_length=10, description="Of any address, current or past")

    @field_validator("date_of_birth", mode="before")
    @classmethod
    def _blank_date(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("name", "nhs_number", "postcode")
    @classmethod
    def _printable(cls, value: str) -> str:
        if has_control_characters(value):
            raise PydanticCustomError("control_characters", "Remove the control characters")
        return value

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        return " ".join(value.split())

    @field_validator("nhs_number")
    @classmethod
    def _nhs_number(cls, value: str) -> str:
        if not value.strip():
            return ""
        try:
            return clean_nhs_number(value)
        except InvalidNhsNumber as exc:
            raise PydanticCustomError("nhs_number", str(exc)) from None

    @field_validator("postcode")
    @classmethod
    def _postcode(cls, value: str) -> str:
        if not value.strip():
            return ""
        postcode = normalise_postcode(value)
        if postcode is None:
            raise PydanticCustomError("postcode", "Enter a real postcode, like SW1A 1AA")
        return postcode

    def is_empty(self) -> bool:
        return not (self.name or self.date_of_birth or self.nhs_number or self.postcode)


# Output


class SearchHitOut(Schema):
    id: uuid.UUID = Field(description="The record's public id: read it with GET /people/{id} when can_open")
    given_name: str
    family_name: str
    date_of_birth: dt.date | None
    local_authority: str = Field(description="The local authority that holds the record")
    can_open: bool = Field(description="Whether this token's membership may open the record")


class PersonRefOut(Schema):
    id: uuid.UUID | None = Field(description="null when the other record is restricted")
    name: str = Field(description=f'"{WITHHELD}" when the other record is restricted')


class OtherNameOut(Schema):
    kind: NameKind
    given_name: str
    family_name: str
    valid_from: dt.date | None
    valid_to: dt.date | None


class DisabilityOut(Schema):
    code: Disability
    label: str


class AddressOut(Schema):
    line_1: str
    line_2: str
    town: str
    postcode: str
    valid_from: dt.date | None
    valid_to: dt.date | None = Field(description="null while the address is current")


class RelationshipOut(Schema):
    person: PersonRefOut = Field(description="The other person")
    type: RelationshipType = Field(description="As recorded: `from` is the <type> of `to`")
    direction: Literal["from", "to"] = Field(
        description="'from' when the other person is the <type> of this person, 'to' when this person is theirs"
    )
    relationship: str = Field(description="What the other person is to this person, e.g. Parent or Child")
    description: str
    start_date: dt.date | None
    end_date: dt.date | None


class InvolvementOut(Schema):
    kind: InvolvementKind
    worker: str | None = Field(description="The professional's name, when a person (not only a team) is involved")
    team: str | None
    organisation: str
    start_date: dt.date
    end_date: dt.date | None


class PersonOut(Schema):
    id: uuid.UUID
    kind: PersonKind
    given_name: str
    family_name: str
    other_names: list[OtherNameOut] = Field(description="Previous names, aliases and preferred names")
    date_of_birth: dt.date | None
    expected_due_date: dt.date | None = Field(description="For an unborn child")
    pregnant_person: PersonRefOut | None = Field(description="For an unborn child, when recorded")
    sex: Sex
    gender: str = Field(description="As the person describes it")
    ethnicity: Ethnicity
    first_language: str
    disabilities: list[DisabilityOut]
    nhs_number: str
    upn: str = Field(description="Unique pupil number")
    la_person_id: str = Field(description="The local authority's own id for the person")
    is_restricted: bool
    local_authority: str
    merged_into: uuid.UUID | None = Field(description="The record this one was merged into; keep working there")
    access_basis: str = Field(description="Why this token may open the record, e.g. own-involvement")
    current_address: AddressOut | None
    addresses: list[AddressOut] = Field(description="Every address, current first, then the most recent")
    relationships: list[RelationshipOut]
    involvements: list[InvolvementOut] = Field(description="Professionals and teams involved today")


class OrganisationOut(Schema):
    id: uuid.UUID
    name: str


class TeamOut(Schema):
    id: uuid.UUID
    name: str


class MembershipOut(Schema):
    id: uuid.UUID
    role: Role
    role_label: str
    organisation: OrganisationOut
    team: TeamOut | None


class UserOut(Schema):
    id: uuid.UUID
    username: str
    name: str


class MeOut(Schema):
    user: UserOut
    membership: MembershipOut


class ErrorDetailOut(Schema):
    field: str = Field(description='The parameter at fault; "" for the request as a whole')
    location: str = Field(description="Where the parameter is: query or path")
    message: str


class ErrorBodyOut(Schema):
    code: Literal[
        "bad-request",
        "unauthenticated",
        "forbidden",
        "not-found",
        "method-not-allowed",
        "invalid",
        "too-many-requests",
        "server-error",
    ]
    message: str = Field(description="Safe to show to a person")
    details: list[ErrorDetailOut] = Field(description="Each problem with the request (422 only; else empty)")


class ErrorOut(Schema):
    """Every error the API answers has this shape."""

    error: ErrorBodyOut


# Operations


def principal_of(request: HttpRequest) -> Principal:
    principal = request.auth  # type: ignore[attr-defined]
    assert isinstance(principal, Principal)
    return principal


def refusal_error(refusal: queries.Refused, *, now: dt.datetime) -> HttpError:
    """Audit a refused read (in its own transaction) and say how to answer it: 404 or 403."""
    queries.record_refusal(refusal, now=now)
    if refusal.public_id and not refusal.visible:
        return HttpError(404, NOT_FOUND)
    return HttpError(403, str(refusal))


@router.get(
    "/me", response={200: MeOut, 401: ErrorOut}, summary="Who this token acts as", operation_id="me", tags=["tokens"]
)
def me(request: HttpRequest) -> MeOut:
    """The user and membership (role, organisation, team) this token acts through. No personal data of children."""
    principal = principal_of(request)
    membership = principal.membership
    assert membership is not None  # tokens belong to a membership
    team = membership.team
    return MeOut(
        user=UserOut(id=principal.user.public_id, username=principal.user.username, name=str(principal.user)),
        membership=MembershipOut(
            id=membership.public_id,
            role=Role(membership.role),
            role_label=membership.get_role_display(),
            organisation=OrganisationOut(id=membership.organisation.public_id, name=membership.organisation.name),
            team=TeamOut(id=team.public_id, name=team.name) if team else None,
        ),
    )


@router.get(
    "/people",
    response={200: list[SearchHitOut], 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    summary="Search for people (minimal details)",
    operation_id="search_people",
)
def search_people(request: HttpRequest, response: HttpResponse, criteria: Query[PersonSearch]) -> list[SearchHitOut]:
    """People in this membership's search scope, with whether each may be opened. Audited with every row shown.

    At most SEARCH_RESULT_LIMIT rows; the header X-Results-Truncated says whether more matched."""
    if criteria.is_empty():
        raise ValidationError([{"loc": ("query",), "msg": NEED_ONE, "type": "missing"}])
    principal = principal_of(request)
    now = timezone.now()
    try:
        with transaction.atomic():
            result = queries.search_people(principal, now=now, **criteria.model_dump())
            response["X-Results-Truncated"] = "true" if result.truncated else "false"
            return [_hit(hit) for hit in result.hits]
    except queries.Refused as refusal:
        raise refusal_error(refusal, now=now) from None


@router.get(
    "/people/{uuid:person_id}",
    response={200: PersonOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="Read one person's record",
    operation_id="read_person",
)
def read_person(request: HttpRequest, person_id: Path[uuid.UUID]) -> PersonOut:
    """One record, when this membership has a legitimate relationship with the person. Audited.

    403 when the caller may know the record exists but may not open it; 404 when it does not exist
    or the caller may not know that it does."""
    principal = principal_of(request)
    now = timezone.now()
    try:
        with transaction.atomic():
            opened = queries.open_person(principal, person_id, now=now, action="person.view")
            return _person(opened, now=now)
    except queries.Refused as refusal:
        raise refusal_error(refusal, now=now) from None


# Building the responses (call only after the access layer has allowed and audited the read)


def _hit(hit: queries.SearchHit) -> SearchHitOut:
    person = hit.person
    return SearchHitOut(
        id=person.public_id,
        given_name=person.given_name,
        family_name=person.family_name,
        date_of_birth=person.date_of_birth,
        local_authority=person.local_authority.name,
        can_open=hit.can_open,
    )


def _ref(person: Person) -> PersonRefOut:
    if person.is_restricted:
        return PersonRefOut(id=None, name=WITHHELD)
    return PersonRefOut(id=person.public_id, name=person.display_name)


def _address(address: Address) -> AddressOut:
    return AddressOut(
        line_1=address.line_1,
        line_2=address.line_2,
        town=address.town,
        postcode=address.postcode,
        valid_from=address.valid_from,
        valid_to=address.valid_to,
    )


def _relationship(person: Person, rel: Relationship) -> RelationshipOut:
    theirs = rel.to_person_id == person.pk  # the other person is the <type> of this person
    kind = RelationshipType(rel.type)
    return RelationshipOut(
        person=_ref(rel.from_person if theirs else rel.to_person),
        type=kind,
        direction="from" if theirs else "to",
        relationship=kind.label if theirs else INVERSE_LABELS[kind],
        description=rel.description,
        start_date=rel.start_date,
        end_date=rel.end_date,
    )


def _person(opened: queries.Opened, *, now: dt.datetime) -> PersonOut:
    person = opened.person
    record = queries.person_record(person, now=now, chronology_limit=0, log_limit=0)
    return PersonOut(
        id=person.public_id,
        kind=PersonKind(person.kind),
        given_name=person.given_name,
        family_name=person.family_name,
        other_names=[_other_name(name) for name in record.other_names],
        date_of_birth=person.date_of_birth,
        expected_due_date=person.expected_due_date,
        pregnant_person=_ref(person.pregnant_person) if person.pregnant_person else None,
        sex=Sex(person.sex),
        gender=person.gender,
        ethnicity=Ethnicity(person.ethnicity),
        first_language=person.first_language,
        disabilities=[DisabilityOut(code=Disability(d.code), label=d.get_code_display()) for d in record.disabilities],
        nhs_number=person.nhs_number,
        upn=person.upn,
        la_person_id=person.la_person_id,
        is_restricted=person.is_restricted,
        local_authority=person.local_authority.name,
        merged_into=person.merged_into.public_id if person.merged_into else None,
        access_basis=opened.basis.value,
        current_address=next((_address(a) for a in record.addresses if a.is_current), None),
        addresses=[_address(a) for a in record.addresses],
        relationships=[_relationship(person, rel) for rel in record.relationships.direct],
        involvements=[_involvement(inv) for inv in record.involvements],
    )


def _other_name(name: PersonName) -> OtherNameOut:
    return OtherNameOut(
        kind=NameKind(name.kind),
        given_name=name.given_name,
        family_name=name.family_name,
        valid_from=name.valid_from,
        valid_to=name.valid_to,
    )


def _involvement(inv: Involvement) -> InvolvementOut:
    return InvolvementOut(
        kind=InvolvementKind(inv.kind),
        worker=str(inv.user) if inv.user else None,
        team=inv.team.name if inv.team else None,
        organisation=inv.organisation.name,
        start_date=inv.start_date,
        end_date=inv.end_date,
    )
