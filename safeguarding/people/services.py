"""All writes to people, names, addresses, relationships and families.

Callers have already opened the record through safeguarding.access.queries (which
decides and audits the read); these functions check the rule for the write itself,
save, and write the audit row and chronology entry in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from safeguarding.access import services as access_services
from safeguarding.access.models import InvolvementKind
from safeguarding.accounts.roles import Capability
from safeguarding.audit import services as audit
from safeguarding.chronology import services as chronology
from safeguarding.core.text import fold, normalise_postcode
from safeguarding.organisations.models import Organisation, OrganisationType

from . import search
from .codes import PersonKind, RelationshipType
from .models import (
    Address,
    FamilyGroup,
    FamilyMember,
    MergeRecord,
    NameKey,
    Person,
    PersonDisability,
    PersonName,
    Relationship,
)

if TYPE_CHECKING:
    from safeguarding.accounts.principal import Principal


class PersonChangeRefused(Exception):
    """A change to a person's record was refused; the message is safe to show to users."""


PERSON_FIELDS = (
    "kind",
    "given_name",
    "family_name",
    "date_of_birth",
    "expected_due_date",
    "sex",
    "gender",
    "ethnicity",
    "first_language",
    "nhs_number",
    "upn",
    "la_person_id",
)


def _validate(obj: Any) -> None:
    try:
        obj.full_clean()
    except ValidationError as exc:
        raise PersonChangeRefused("; ".join(exc.messages)) from exc


DUE_DATE_PAST_DAYS = 60
DUE_DATE_AHEAD_DAYS = 300  # about ten months: a due date further ahead is a mistake


def date_errors(
    *, kind: str, date_of_birth: dt.date | None, expected_due_date: dt.date | None, today: dt.date
) -> dict[str, str]:
    """What is wrong with a person's dates, by field name (empty when nothing is). Shared by forms and services."""
    errors: dict[str, str] = {}
    if kind == PersonKind.UNBORN:
        if expected_due_date is None:
            errors["expected_due_date"] = "Enter the expected due date for an unborn child"
        elif expected_due_date < today - dt.timedelta(days=DUE_DATE_PAST_DAYS):
            errors["expected_due_date"] = (
                f"The expected due date is more than {DUE_DATE_PAST_DAYS} days ago. If the baby has been born, "
                "record them as a child with a date of birth"
            )
        elif expected_due_date > today + dt.timedelta(days=DUE_DATE_AHEAD_DAYS):
            errors["expected_due_date"] = "The expected due date must be within the next 10 months"
        if date_of_birth is not None:
            errors["date_of_birth"] = "An unborn child has no date of birth yet: leave it blank"
    elif date_of_birth is not None:
        if date_of_birth > today:
            errors["date_of_birth"] = "Date of birth must be today or in the past"
        elif date_of_birth < dt.date(1900, 1, 1):
            errors["date_of_birth"] = "Date of birth must be after 1 January 1900"
    return errors


def _check_dates(
    *, kind: str, date_of_birth: dt.date | None, expected_due_date: dt.date | None, today: dt.date
) -> None:
    errors = date_errors(kind=kind, date_of_birth=date_of_birth, expected_due_date=expected_due_date, today=today)
    if errors:
        raise PersonChangeRefused(next(iter(errors.values())))


def _check_can_change(principal: Principal, *people: Person) -> None:
    if not principal.can(Capability.CREATE_PERSON):
        raise PersonChangeRefused("Your role cannot change people's records")
    if any(p.is_merged for p in people):
        raise PersonChangeRefused("That record has been merged into another: use the record it was merged into")


def refresh_name_keys(person: Person) -> None:
    names = [(person.given_name, person.family_name)]
    names += [(n.given_name, n.family_name) for n in person.other_names.all()]
    keys = search.keys_for(names)
    NameKey.objects.filter(person=person).exclude(key__in=keys).delete()
    existing = set(NameKey.objects.filter(person=person).values_list("key", flat=True))
    NameKey.objects.bulk_create([NameKey(person=person, key=k) for k in keys - existing])
    person.search_name = fold(f"{person.family_name} {person.given_name}")[:250]


def _today(now: dt.datetime) -> dt.date:
    return timezone.localdate(now)


@transaction.atomic
def create_person(
    *,
    principal: Principal,
    now: dt.datetime,
    local_authority: Organisation,
    data: dict[str, Any],
    disabilities: Iterable[str] = (),
    pregnant_person: Person | None = None,
    first_address: dict[str, Any] | None = None,
) -> Person:
    """Create a person held by the principal's own local authority, with their first address if given,
    and record the creator's involvement, so that they can open it."""
    if not principal.can(Capability.CREATE_PERSON):
        raise PersonChangeRefused("Your role cannot create records")
    if local_authority.type != OrganisationType.LOCAL_AUTHORITY:
        raise PersonChangeRefused("A person's record is held by a local authority")
    if principal.organisation_id != local_authority.pk:
        raise PersonChangeRefused("You can only create records held by your own local authority")
    person = Person(local_authority=local_authority, created_at=now, updated_at=now)
    for name in PERSON_FIELDS:
        if name in data:
            setattr(person, name, data[name])
    _check_pregnant_person(person, pregnant_person)
    person.pregnant_person = pregnant_person
    _check_dates(
        kind=person.kind,
        date_of_birth=person.date_of_birth,
        expected_due_date=person.expected_due_date,
        today=_today(now),
    )
    _validate(person)
    person.save()
    _set_disabilities(person, disabilities)
    refresh_name_keys(person)
    person.save(update_fields=["search_name"])
    audit.record(principal=principal, action="person.created", at=now, person=person)
    chronology.add_entry(
        person=person,
        principal=principal,
        occurred_on=_today(now),
        category="Record",
        summary=f"Record created ({person.get_kind_display().lower()})",
        source_type="people.person",
        source_id=str(person.public_id),
        now=now,
    )
    membership = principal.membership
    access_services.record_involvement(
        person=person,
        principal=principal,
        kind=InvolvementKind.KEY_PROFESSIONAL,
        user=principal.user,
        team=membership.team if membership else None,
        description="Created the record",
        now=now,
    )
    if first_address:
        add_address(person=person, principal=principal, now=now, **first_address)
    return person


def _check_pregnant_person(person: Person, pregnant_person: Person | None) -> None:
    if pregnant_person is None:
        return
    if person.kind != PersonKind.UNBORN:
        raise PersonChangeRefused("Only an unborn child's record can name a pregnant person")
    if pregnant_person.kind == PersonKind.UNBORN or pregnant_person.is_merged:
        raise PersonChangeRefused("Choose the record of the pregnant person")


def _set_disabilities(person: Person, codes: Iterable[str]) -> None:
    wanted = set(codes)
    if "NONE" in wanted and len(wanted) > 1:
        raise PersonChangeRefused("'No disability' cannot be combined with other disabilities")
    PersonDisability.objects.filter(person=person).exclude(code__in=wanted).delete()
    have = set(PersonDisability.objects.filter(person=person).values_list("code", flat=True))
    for code in sorted(wanted - have):
        _validate(PersonDisability(person=person, code=code))
        PersonDisability.objects.create(person=person, code=code)


@transaction.atomic
def update_person(
    *,
    person: Person,
    principal: Principal,
    now: dt.datetime,
    data: dict[str, Any],
    disabilities: Iterable[str] | None = None,
) -> Person:
    """Update details. A change of name keeps the old one as a previous name."""
    _check_can_change(principal, person)
    before = {name: getattr(person, name) for name in PERSON_FIELDS}
    old_name = (person.given_name, person.family_name)
    for name in PERSON_FIELDS:
        if name in data:
            setattr(person, name, data[name])
    _check_dates(
        kind=person.kind,
        date_of_birth=person.date_of_birth,
        expected_due_date=person.expected_due_date,
        today=_today(now),
    )
    person.updated_at = now
    _validate(person)
    changed = sorted(name for name in PERSON_FIELDS if before[name] != getattr(person, name))
    person.save()
    if disabilities is not None:
        wanted = set(disabilities)
        previous = set(person.disabilities.values_list("code", flat=True))
        _set_disabilities(person, wanted)
        if previous != wanted:
            changed.append("disabilities")
    if old_name != (person.given_name, person.family_name) and any(old_name):
        PersonName.objects.create(
            person=person, kind="PREVIOUS", given_name=old_name[0], family_name=old_name[1], valid_to=_today(now)
        )
        chronology.add_entry(
            person=person,
            principal=principal,
            occurred_on=_today(now),
            category="Record",
            summary=f"Name changed from {old_name[0]} {old_name[1]}".strip(),
            source_type="people.person",
            source_id=str(person.public_id),
            now=now,
        )
    refresh_name_keys(person)
    person.save(update_fields=["search_name"])
    audit.record(principal=principal, action="person.updated", at=now, person=person, details={"fields": changed})
    return person


@transaction.atomic
def add_other_name(
    *, person: Person, principal: Principal, now: dt.datetime, kind: str, given_name: str, family_name: str
) -> PersonName:
    _check_can_change(principal, person)
    name = PersonName(person=person, kind=kind, given_name=given_name.strip(), family_name=family_name.strip())
    if not (name.given_name or name.family_name):
        raise PersonChangeRefused("Enter a name")
    _validate(name)
    name.save()
    refresh_name_keys(person)
    person.save(update_fields=["search_name"])
    audit.record(principal=principal, action="person.name-added", at=now, person=person, details={"kind": kind})
    return name


@transaction.atomic
def add_address(
    *,
    person: Person,
    principal: Principal,
    now: dt.datetime,
    line_1: str,
    line_2: str = "",
    town: str = "",
    postcode: str = "",
    valid_from: dt.date | None = None,
) -> Address:
    """Add a current address; the previous current address ends the day before."""
    _check_can_change(principal, person)
    clean_postcode = ""
    if postcode.strip():
        clean_postcode = normalise_postcode(postcode) or ""
        if not clean_postcode:
            raise PersonChangeRefused("Enter a real postcode, like SW1A 1AA")
    start = valid_from or _today(now)
    if start > _today(now):
        raise PersonChangeRefused("An address cannot start in the future")
    current = list(person.addresses.filter(valid_to__isnull=True))
    for address in current:
        if address.valid_from and start < address.valid_from:
            raise PersonChangeRefused(
                f"The current address has been theirs since {address.valid_from.day} {address.valid_from:%B %Y}: "
                "the new address must start on or after that date"
            )
    address = Address(
        person=person,
        line_1=line_1.strip(),
        line_2=line_2.strip(),
        town=town.strip(),
        postcode=clean_postcode,
        valid_from=start,
    )
    _validate(address)
    for previous in current:
        previous.valid_to = max(start - dt.timedelta(days=1), previous.valid_from or start)
        previous.save(update_fields=["valid_to"])
    address.save()
    audit.record(principal=principal, action="person.address-added", at=now, person=person)
    chronology.add_entry(
        person=person,
        principal=principal,
        occurred_on=start,
        category="Address",
        summary=f"Moved to {address.town or 'a new address'} {address.postcode}".strip(),
        source_type="people.address",
        source_id=str(address.pk),
        now=now,
    )
    return address


@transaction.atomic
def add_relationship(
    *,
    principal: Principal,
    now: dt.datetime,
    from_person: Person,
    to_person: Person,
    type: str,
    start_date: dt.date | None = None,
    description: str = "",
) -> Relationship:
    """Record that `from_person` is the <type> of `to_person` (both records already opened by the caller)."""
    _check_can_change(principal, from_person, to_person)
    if from_person.pk == to_person.pk:
        raise PersonChangeRefused("A person cannot be related to themselves")
    if type not in RelationshipType.values:
        raise PersonChangeRefused("Choose a relationship type")
    if start_date and start_date > _today(now):
        raise PersonChangeRefused("The relationship cannot start in the future")
    same = Relationship.objects.filter(
        Q(from_person=from_person, to_person=to_person) | Q(from_person=to_person, to_person=from_person), type=type
    )
    if same.filter(end_date__isnull=True).exists():
        raise PersonChangeRefused("That relationship is already recorded")
    if same.filter(from_person=from_person, to_person=to_person).exists():
        raise PersonChangeRefused("That relationship was recorded before and has ended")
    relationship = Relationship(
        from_person=from_person, to_person=to_person, type=type, start_date=start_date, description=description
    )
    _validate(relationship)
    relationship.save()
    label = RelationshipType(type).label.lower()
    for subject in (from_person, to_person):
        audit.record(
            principal=principal,
            action="person.relationship-added",
            at=now,
            person=subject,
            details={"relationship": relationship.pk, "type": type},
        )
        chronology.add_entry(
            person=subject,
            principal=principal,
            occurred_on=start_date or _today(now),
            category="Family",
            summary=f"{from_person.display_name} recorded as {label} of {to_person.display_name}",
            source_type="people.relationship",
            source_id=str(relationship.pk),
            now=now,
        )
    return relationship


@transaction.atomic
def add_new_relative(
    *,
    principal: Principal,
    now: dt.datetime,
    person: Person,
    data: dict[str, Any],
    type: str,
    new_person_is_from: bool,
    start_date: dt.date | None = None,
    description: str = "",
) -> Relationship:
    """Create a record for a relative of `person` (held by the same local authority) and record the
    relationship: the new person is the <type> of `person` when new_person_is_from, else the reverse."""
    relative = create_person(principal=principal, now=now, local_authority=person.local_authority, data=data)
    from_person, to_person = (relative, person) if new_person_is_from else (person, relative)
    return add_relationship(
        principal=principal,
        now=now,
        from_person=from_person,
        to_person=to_person,
        type=type,
        start_date=start_date,
        description=description,
    )


@transaction.atomic
def end_relationship(*, relationship: Relationship, principal: Principal, end_date: dt.date, now: dt.datetime) -> None:
    if relationship.start_date and end_date < relationship.start_date:
        raise PersonChangeRefused("The end date must be on or after the start date")
    relationship.end_date = end_date
    relationship.save(update_fields=["end_date"])
    for subject in (relationship.from_person, relationship.to_person):
        audit.record(
            principal=principal,
            action="person.relationship-ended",
            at=now,
            person=subject,
            details={"relationship": relationship.pk},
        )


@transaction.atomic
def create_family(
    *, principal: Principal, now: dt.datetime, name: str, members: Iterable[Person], local_authority: Organisation
) -> FamilyGroup:
    family = FamilyGroup(local_authority=local_authority, name=name.strip(), created_at=now)
    _validate(family)
    family.save()
    for person in members:
        FamilyMember.objects.create(family=family, person=person, start_date=now.date())
        audit.record(
            principal=principal,
            action="family.member-added",
            at=now,
            person=person,
            object_type="family",
            object_id=str(family.public_id),
        )
    return family


@transaction.atomic
def add_family_member(*, family: FamilyGroup, person: Person, principal: Principal, now: dt.datetime) -> FamilyMember:
    if FamilyMember.objects.filter(family=family, person=person).exists():
        raise PersonChangeRefused(f"{person.display_name} is already in this family")
    member = FamilyMember.objects.create(family=family, person=person, start_date=now.date())
    audit.record(
        principal=principal,
        action="family.member-added",
        at=now,
        person=person,
        object_type="family",
        object_id=str(family.public_id),
    )
    return member


@dataclass(frozen=True)
class ProbableDuplicate:
    person: Person
    reasons: tuple[str, ...]


def probable_duplicates(
    *,
    local_authority_ids: Iterable[int],
    given_name: str,
    family_name: str,
    date_of_birth: dt.date | None,
    nhs_number: str = "",
    exclude_id: int | None = None,
) -> list[ProbableDuplicate]:
    """Records that are probably the same person: same NHS number, or a similar name
    with the same date of birth. Restricted records are never offered."""
    base = Person.objects.filter(
        local_authority_id__in=list(local_authority_ids), merged_into__isnull=True, is_restricted=False
    )
    if exclude_id:
        base = base.exclude(pk=exclude_id)
    found: dict[int, ProbableDuplicate] = {}
    if nhs_number:
        for p in base.filter(nhs_number=nhs_number)[:10]:
            found[p.pk] = ProbableDuplicate(p, ("same NHS number",))
    if date_of_birth:
        named = search.candidates(f"{given_name} {family_name}")
        if named is not None:
            query = f"{given_name} {family_name}"
            for p in base.filter(id__in=named.values("id"), date_of_birth=date_of_birth)[:20]:
                if p.pk not in found and search.similarity(query, p) >= 0.85:
                    found[p.pk] = ProbableDuplicate(p, ("similar name and same date of birth",))
    return list(found.values())


def _move_relationships(*, survivor: Person, duplicate: Person) -> None:
    """Point the duplicate's relationships at the survivor, unless the survivor already has the same one
    (or it links the two records to each other): those stay with the duplicate, where they are kept."""
    for rel in Relationship.objects.filter(Q(from_person=duplicate) | Q(to_person=duplicate)):
        other = rel.to_person_id if rel.from_person_id == duplicate.pk else rel.from_person_id
        if (
            other == survivor.pk
            or Relationship.objects.filter(
                Q(from_person=survivor, to_person_id=other) | Q(from_person_id=other, to_person=survivor), type=rel.type
            ).exists()
        ):
            continue
        if rel.from_person_id == duplicate.pk:
            rel.from_person = survivor
        else:
            rel.to_person = survivor
        rel.save(update_fields=["from_person", "to_person"])


@transaction.atomic
def merge_people(
    *, survivor: Person, duplicate: Person, principal: Principal, reason: str, now: dt.datetime
) -> MergeRecord:
    """Merge `duplicate` into `survivor`. Nothing is deleted: the duplicate's names become
    aliases of the survivor, its relationships, addresses, involvements and chronology move
    across, and the duplicate points at the survivor. Both keep their audit trails."""
    if not principal.can(Capability.MERGE_PEOPLE):
        raise PersonChangeRefused("Only a team manager can merge records")
    if survivor.pk == duplicate.pk:
        raise PersonChangeRefused("Choose two different records")
    if duplicate.is_merged or survivor.is_merged:
        raise PersonChangeRefused("One of these records has already been merged")
    if survivor.local_authority_id != duplicate.local_authority_id:
        raise PersonChangeRefused("Records held by different local authorities cannot be merged")
    if survivor.kind == PersonKind.UNBORN and duplicate.kind != PersonKind.UNBORN:
        raise PersonChangeRefused(
            "Merge the unborn child's record into the record of the born child or adult, not the other way round"
        )
    if not reason.strip():
        raise PersonChangeRefused("Give a reason for the merge")
    from safeguarding.access.models import Involvement, NamedAccess
    from safeguarding.chronology.models import ChronologyEntry

    if fold(f"{duplicate.given_name} {duplicate.family_name}") not in (
        "",
        fold(f"{survivor.given_name} {survivor.family_name}"),
    ):
        PersonName.objects.create(
            person=survivor, kind="ALIAS", given_name=duplicate.given_name, family_name=duplicate.family_name
        )
    PersonName.objects.filter(person=duplicate).update(person=survivor)
    Address.objects.filter(person=duplicate).update(person=survivor)
    Involvement.objects.filter(person=duplicate).update(person=survivor)
    # One open grant per user and record: a user named on both keeps the survivor's grant.
    already_named = list(
        NamedAccess.objects.filter(person=survivor, revoked_at__isnull=True).values_list("user_id", flat=True)
    )
    NamedAccess.objects.filter(person=duplicate).exclude(revoked_at__isnull=True, user_id__in=already_named).update(
        person=survivor
    )
    ChronologyEntry.objects.filter(person=duplicate).update(person=survivor)
    Person.objects.filter(pregnant_person=duplicate).update(pregnant_person=survivor)
    Person.objects.filter(merged_into=duplicate).update(merged_into=survivor)
    _move_relationships(survivor=survivor, duplicate=duplicate)
    duplicate_codes = set(duplicate.disabilities.values_list("code", flat=True)) - {"NONE"}
    for code in duplicate_codes:
        PersonDisability.objects.get_or_create(person=survivor, code=code)
    if duplicate_codes:
        survivor.disabilities.filter(code="NONE").delete()
    for fm in FamilyMember.objects.filter(person=duplicate):
        if not FamilyMember.objects.filter(family=fm.family, person=survivor).exists():
            fm.person = survivor
            fm.save(update_fields=["person"])
    for field_name in ("nhs_number", "upn", "date_of_birth", "la_person_id", "first_language"):
        if not getattr(survivor, field_name) and getattr(duplicate, field_name):
            setattr(survivor, field_name, getattr(duplicate, field_name))
    survivor.is_restricted = survivor.is_restricted or duplicate.is_restricted
    survivor.updated_at = now
    survivor.save()
    refresh_name_keys(survivor)
    survivor.save(update_fields=["search_name"])
    duplicate.merged_into = survivor
    duplicate.updated_at = now
    duplicate.save(update_fields=["merged_into", "updated_at"])
    record = MergeRecord.objects.create(
        survivor=survivor, duplicate=duplicate, merged_by=principal.user, merged_at=now, reason=reason.strip()
    )
    for subject in (survivor, duplicate):
        audit.record(
            principal=principal,
            action="person.merged",
            at=now,
            person=subject,
            reason=reason,
            details={"survivor": str(survivor.public_id), "duplicate": str(duplicate.public_id)},
        )
    chronology.add_entry(
        person=survivor,
        principal=principal,
        occurred_on=_today(now),
        category="Record",
        summary=f"Duplicate record merged into this one ({duplicate.display_name})",
        source_type="people.merge",
        source_id=str(record.pk),
        now=now,
    )
    return record
