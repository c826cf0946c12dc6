"""Managing organisations, teams, users and memberships: who may, and every write (with its audit row).

Only a principal whose role has Capability.MANAGE_ORGANISATIONS may manage anything, and only
organisations in their scope: their own organisation and every organisation in a safeguarding
partnership that their organisation belongs to (or leads). A refusal raises AdminRefused; the
view records it with record_refusal() and answers 403. A change that is not valid raises
AdminChangeRefused, whose messages (keyed by field) are safe to show. Passwords are never audited.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from safeguarding.accounts.models import Membership, User
from safeguarding.accounts.roles import Capability, Role
from safeguarding.audit import services as audit
from safeguarding.audit.models import Outcome

from .models import Organisation, OrganisationType, Partnership, Succession, Team

if TYPE_CHECKING:
    from safeguarding.accounts.principal import Principal

Errors = dict[str, list[str]]

ORGANISATION_FIELDS = (
    "name",
    "type",
    "dfe_la_code",
    "ods_code",
    "school_urn",
    "valid_from",
    "valid_to",
    "office_hours_phone",
    "out_of_hours_phone",
    "inbox_email",
)
URN_TYPES = frozenset({OrganisationType.SCHOOL, OrganisationType.EARLY_YEARS})
_LA_CODE = re.compile(r"^[0-9]{3}$")
_ODS_CODE = re.compile(r"^[A-Z0-9]{3,10}$")
_URN = re.compile(r"^[0-9]{6}$")
_PHONE = re.compile(r"^\+?[0-9]{3,15}$")
_PHONE_SEPARATORS = re.compile(r"[\s()-]+")


class AdminRefused(Exception):
    """The principal may not manage this. Record it with record_refusal() and answer 403."""

    def __init__(
        self, *, principal: Principal, action: str, object_type: str = "", object_id: str = "", message: str = ""
    ) -> None:
        self.principal = principal
        self.action = action
        self.object_type = object_type
        self.object_id = object_id
        self.message = message or "You cannot manage organisations"
        super().__init__(self.message)


class AdminChangeRefused(Exception):
    """A change was not made because it is not valid. `errors` maps field names ("" for the
    whole form) to messages that are safe to show."""

    def __init__(self, errors: Errors) -> None:
        self.errors = {key: list(messages) for key, messages in errors.items() if messages}
        super().__init__("; ".join(m for messages in self.errors.values() for m in messages))


def _refuse(field_name: str, message: str) -> AdminChangeRefused:
    return AdminChangeRefused({field_name: [message]})


# ---------------------------------------------------------------------------------------------------------------------
# Scope: who may manage what


def _own_partnerships(principal: Principal) -> QuerySet[Partnership]:
    org_id = principal.organisation_id
    return Partnership.objects.filter(Q(organisations=org_id) | Q(local_authority_id=org_id)).distinct()


def manageable_organisation_ids(principal: Principal) -> set[int]:
    """The organisations this principal may manage (empty without the capability)."""
    if not principal.can(Capability.MANAGE_ORGANISATIONS) or principal.organisation_id is None:
        return set()
    partnership_ids = list(_own_partnerships(principal).values_list("id", flat=True))
    ids = set(Organisation.objects.filter(partnerships__in=partnership_ids).values_list("id", flat=True))
    ids |= set(Partnership.objects.filter(id__in=partnership_ids).values_list("local_authority_id", flat=True))
    ids.add(principal.organisation_id)
    return ids


def ensure_can_manage(
    principal: Principal, *, action: str, organisation: Organisation | None = None, scope: set[int] | None = None
) -> None:
    """Raise AdminRefused unless the principal may manage organisations (and this one, if given)."""
    if not principal.can(Capability.MANAGE_ORGANISATIONS):
        raise AdminRefused(principal=principal, action=action, object_type="organisation" if organisation else "")
    if organisation is not None:
        scope = manageable_organisation_ids(principal) if scope is None else scope
        if organisation.pk not in scope:
            raise AdminRefused(
                principal=principal,
                action=action,
                object_type="organisation",
                object_id=str(organisation.public_id),
                message="You cannot manage this organisation",
            )


def record_refusal(refusal: AdminRefused, *, now: dt.datetime) -> None:
    """Audit a refused attempt (in its own transaction: the attempt's own was rolled back)."""
    with transaction.atomic():
        audit.record(
            principal=refusal.principal,
            action=refusal.action,
            at=now,
            outcome=Outcome.DENIED,
            object_type=refusal.object_type,
            object_id=refusal.object_id,
            basis="out-of-scope" if refusal.object_id else "no-capability",
        )


def partnerships_for(principal: Principal) -> list[Partnership]:
    """The partnerships a new organisation may join: those of the principal's organisation."""
    if not principal.can(Capability.MANAGE_ORGANISATIONS):
        return []
    return list(_own_partnerships(principal).order_by("name"))


def _parse(public_id: Any) -> uuid.UUID:
    try:
        return public_id if isinstance(public_id, uuid.UUID) else uuid.UUID(str(public_id))
    except ValueError:
        raise Http404 from None


# ---------------------------------------------------------------------------------------------------------------------
# Reads for the pages


def organisations_for(principal: Principal, *, action: str, type: str = "") -> list[Organisation]:
    """The organisations the principal may manage, optionally of one type (two queries)."""
    ensure_can_manage(principal, action=action)
    qs = Organisation.objects.filter(id__in=manageable_organisation_ids(principal))
    if type:
        qs = qs.filter(type=type)
    return list(qs.annotate(team_count=Count("teams", distinct=True)).order_by("name"))


def organisation_for(principal: Principal, public_id: Any, *, action: str) -> Organisation:
    """One organisation the principal may manage; Http404 if there is none, AdminRefused if out of scope."""
    ensure_can_manage(principal, action=action)
    organisation = Organisation.objects.filter(public_id=_parse(public_id)).first()
    if organisation is None:
        raise Http404
    ensure_can_manage(principal, action=action, organisation=organisation)
    return organisation


def team_for(principal: Principal, public_id: Any, *, action: str) -> Team:
    ensure_can_manage(principal, action=action)
    team = Team.objects.select_related("organisation", "parent").filter(public_id=_parse(public_id)).first()
    if team is None:
        raise Http404
    ensure_can_manage(principal, action=action, organisation=team.organisation)
    return team


def user_for(principal: Principal, public_id: Any, *, action: str) -> User:
    """A user with at least one membership (current or not) in an organisation the principal manages."""
    ensure_can_manage(principal, action=action)
    user = User.objects.filter(public_id=_parse(public_id)).first()
    if user is None:
        raise Http404
    if not Membership.objects.filter(user=user, organisation_id__in=manageable_organisation_ids(principal)).exists():
        raise AdminRefused(
            principal=principal,
            action=action,
            object_type="user",
            object_id=str(user.public_id),
            message="You cannot manage this user",
        )
    return user


def membership_for(principal: Principal, public_id: Any, *, action: str) -> Membership:
    ensure_can_manage(principal, action=action)
    membership = (
        Membership.objects.select_related("user", "organisation", "team").filter(public_id=_parse(public_id)).first()
    )
    if membership is None:
        raise Http404
    ensure_can_manage(principal, action=action, organisation=membership.organisation)
    return membership


@dataclass
class OrganisationDetail:
    organisation: Organisation
    teams: list[Team]
    members: list[Membership]
    member_count: int
    predecessors: list[Succession]
    successors: list[Succession]
    partnerships: list[Partnership]
    manageable: set[int] = field(default_factory=set)


def organisation_detail(organisation: Organisation, *, member_limit: int = 50) -> OrganisationDetail:
    """Everything on the organisation's page, in a fixed number of queries (call after organisation_for)."""
    members = Membership.objects.filter(organisation=organisation).select_related("user", "team")
    return OrganisationDetail(
        organisation=organisation,
        teams=team_tree(organisation),
        members=list(members.order_by("user__last_name", "user__first_name", "id")[:member_limit]),
        member_count=members.count(),
        predecessors=list(
            Succession.objects.filter(successor=organisation).select_related("predecessor").order_by("effective_date")
        ),
        successors=list(
            Succession.objects.filter(predecessor=organisation).select_related("successor").order_by("effective_date")
        ),
        partnerships=list(organisation.partnerships.select_related("local_authority").order_by("name")),
    )


def team_tree(organisation: Organisation) -> list[Team]:
    """The organisation's teams, each followed by its sub-teams; each has .depth (0 for the top)."""
    teams = list(Team.objects.filter(organisation=organisation).select_related("parent").order_by("name"))
    children: dict[int | None, list[Team]] = {}
    for team in teams:
        children.setdefault(team.parent_id, []).append(team)
    ordered: list[Team] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for team in children.get(parent_id, []):
            if team in ordered:
                continue
            team.depth = depth  # type: ignore[attr-defined]
            ordered.append(team)
            walk(team.pk, depth + 1)

    walk(None, 0)
    for team in teams:  # a parent in another organisation: list it at the top level
        if team not in ordered:
            team.depth = 0  # type: ignore[attr-defined]
            ordered.append(team)
    return ordered


def organisation_members(organisation: Organisation) -> QuerySet[Membership]:
    """Memberships of the organisation, for the users page (a queryset, for pagination)."""
    return (
        Membership.objects.filter(organisation=organisation)
        .select_related("user", "team")
        .order_by("user__last_name", "user__first_name", "user__id", "id")
    )


def user_memberships(principal: Principal, user: User) -> list[Membership]:
    """The user's memberships in the organisations the principal manages (call after user_for)."""
    return list(
        Membership.objects.filter(user=user, organisation_id__in=manageable_organisation_ids(principal))
        .select_related("organisation", "team")
        .order_by("-is_active", "organisation__name", "team__name", "role")
    )


def teams_in_scope(principal: Principal) -> list[Team]:
    return list(
        Team.objects.filter(organisation_id__in=manageable_organisation_ids(principal), is_active=True)
        .select_related("organisation")
        .order_by("organisation__name", "name")
    )


def organisations_in_scope(principal: Principal) -> list[Organisation]:
    return list(Organisation.objects.filter(id__in=manageable_organisation_ids(principal)).order_by("name"))


# ---------------------------------------------------------------------------------------------------------------------
# Validation


def _clean_phone(raw: str | None, field_name: str, errors: Errors) -> str:
    value = " ".join((raw or "").split())
    if value and not _PHONE.match(_PHONE_SEPARATORS.sub("", value)):
        errors.setdefault(field_name, []).append("Enter a phone number, like 01632 960 001 or +44 1632 960 001")
    return value


def _clean_organisation(data: dict[str, Any], *, instance: Organisation | None) -> dict[str, Any]:
    """Normalise and check an organisation's fields; raise AdminChangeRefused listing every problem."""
    errors: Errors = {}
    clean: dict[str, Any] = {
        name: data.get(name, getattr(instance, name) if instance else None) for name in ORGANISATION_FIELDS
    }
    for name in ("name", "type", "dfe_la_code", "ods_code", "school_urn", "inbox_email"):
        clean[name] = " ".join(str(clean[name] or "").split())
    clean["ods_code"] = clean["ods_code"].upper()
    if not clean["name"]:
        errors["name"] = ["Enter the organisation's name"]
    if clean["type"] not in OrganisationType.values:
        errors["type"] = ["Choose the type of organisation"]
    if clean["dfe_la_code"]:
        if not _LA_CODE.match(clean["dfe_la_code"]):
            errors["dfe_la_code"] = ["A DfE LA code is 3 digits, for example 201"]
        elif clean["type"] != OrganisationType.LOCAL_AUTHORITY:
            errors["dfe_la_code"] = ["Only a local authority has a DfE LA code"]
    if clean["ods_code"] and not _ODS_CODE.match(clean["ods_code"]):
        errors["ods_code"] = ["An ODS code is 3 to 10 letters and numbers, for example RZZ or A81001"]
    if clean["school_urn"]:
        if not _URN.match(clean["school_urn"]):
            errors["school_urn"] = ["A URN is 6 digits, for example 100000"]
        elif clean["type"] not in URN_TYPES:
            errors["school_urn"] = ["Only a school or early years setting has a URN"]
    for name in ("office_hours_phone", "out_of_hours_phone"):
        clean[name] = _clean_phone(clean[name], name, errors)
    valid_from, valid_to = clean["valid_from"], clean["valid_to"]
    if valid_from and valid_to and valid_to < valid_from:
        errors["valid_to"] = ["The date it closed must be the same as or after the date it opened"]
    others = Organisation.objects.exclude(pk=instance.pk) if instance else Organisation.objects.all()
    for name, label in (("dfe_la_code", "DfE LA code"), ("ods_code", "ODS code"), ("school_urn", "URN")):
        if clean[name] and name not in errors:
            holder = others.filter(**{name: clean[name]}).first()
            if holder is not None:
                errors[name] = [f"{holder.name} already has the {label} {clean[name]}"]
    if errors:
        raise AdminChangeRefused(errors)
    return clean


def _full_clean(obj: Any) -> None:
    try:
        obj.full_clean()
    except ValidationError as exc:
        raise AdminChangeRefused({k if k != "__all__" else "": v for k, v in exc.message_dict.items()}) from exc


def _as_json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {k: [_as_json(before[k]), _as_json(after[k])] for k in after if before.get(k) != after[k]}


# ---------------------------------------------------------------------------------------------------------------------
# Organisations


@transaction.atomic
def create_organisation(
    *, principal: Principal, now: dt.datetime, data: dict[str, Any], partnerships: list[Partnership]
) -> Organisation:
    """Create an organisation in one or more of the principal's partnerships (so that it stays manageable)."""
    action = "admin.organisation-created"
    ensure_can_manage(principal, action=action)
    allowed = {p.pk for p in partnerships_for(principal)}
    if not allowed:
        raise _refuse("partnerships", "Your organisation is not in a safeguarding partnership, so you cannot add one")
    if not partnerships or any(p.pk not in allowed for p in partnerships):
        raise _refuse("partnerships", "Choose the safeguarding partnership the organisation belongs to")
    clean = _clean_organisation(data, instance=None)
    organisation = Organisation(**clean)
    _full_clean(organisation)
    organisation.save()
    for partnership in partnerships:
        partnership.organisations.add(organisation)
    audit.record(
        principal=principal,
        action=action,
        at=now,
        object_type="organisation",
        object_id=str(organisation.public_id),
        details={"fields": {k: _as_json(v) for k, v in clean.items()}, "partnerships": [p.name for p in partnerships]},
    )
    return organisation


@transaction.atomic
def update_organisation(
    *, principal: Principal, now: dt.datetime, organisation: Organisation, data: dict[str, Any]
) -> Organisation:
    action = "admin.organisation-updated"
    ensure_can_manage(principal, action=action, organisation=organisation)
    before = {name: getattr(organisation, name) for name in ORGANISATION_FIELDS}
    clean = _clean_organisation(data, instance=organisation)
    changed = _changes(before, clean)
    if not changed:
        return organisation
    for name, value in clean.items():
        setattr(organisation, name, value)
    _full_clean(organisation)
    organisation.save()
    audit.record(
        principal=principal,
        action=action,
        at=now,
        object_type="organisation",
        object_id=str(organisation.public_id),
        details={"changed": changed},
    )
    return organisation


def _leads_back(successor: Organisation, predecessor: Organisation) -> bool:
    """True when `predecessor` already descends from `successor` (the new link would make a loop)."""
    seen: set[int] = set()
    frontier = {successor.pk}
    while frontier:
        if predecessor.pk in frontier:
            return True
        seen |= frontier
        frontier = (
            set(Succession.objects.filter(predecessor_id__in=frontier).values_list("successor_id", flat=True)) - seen
        )
    return False


@transaction.atomic
def record_succession(
    *,
    principal: Principal,
    now: dt.datetime,
    predecessor: Organisation,
    successor: Organisation,
    effective_date: dt.date,
    note: str = "",
) -> Succession:
    """Record that `successor` took on `predecessor`'s functions on `effective_date`.

    Both organisations are kept, so records made under the old name keep their history. If the
    predecessor has no closing date, it closes the day before the succession takes effect."""
    action = "admin.succession-recorded"
    scope = manageable_organisation_ids(principal)
    ensure_can_manage(principal, action=action, organisation=predecessor, scope=scope)
    ensure_can_manage(principal, action=action, organisation=successor, scope=scope)
    if predecessor.pk == successor.pk:
        raise _refuse("successor", "An organisation cannot succeed itself")
    if Succession.objects.filter(predecessor=predecessor, successor=successor).exists():
        raise _refuse("successor", f"{successor.name} is already recorded as a successor of {predecessor.name}")
    if _leads_back(successor, predecessor):
        raise _refuse("successor", f"{successor.name} is recorded as a predecessor of {predecessor.name}")
    closes = predecessor.valid_to or effective_date - dt.timedelta(days=1)
    if predecessor.valid_from and closes < predecessor.valid_from:
        raise _refuse("effective_date", f"The date must be after {predecessor.name} opened")
    succession = Succession(
        predecessor=predecessor, successor=successor, effective_date=effective_date, note=" ".join(note.split())
    )
    _full_clean(succession)
    succession.save()
    details: dict[str, Any] = {
        "predecessor": str(predecessor.public_id),
        "successor": str(successor.public_id),
        "effective_date": effective_date.isoformat(),
    }
    if predecessor.valid_to is None:
        predecessor.valid_to = closes
        predecessor.save(update_fields=["valid_to"])
        details["predecessor_valid_to"] = closes.isoformat()
    audit.record(
        principal=principal,
        action=action,
        at=now,
        object_type="organisation",
        object_id=str(predecessor.public_id),
        details=details,
    )
    return succession


# ---------------------------------------------------------------------------------------------------------------------
# Teams


def _check_team(*, team: Team, parent: Team | None) -> None:
    if parent is None:
        return
    if parent.organisation_id != team.organisation_id:
        raise _refuse("parent", "Choose a parent team in the same organisation")
    ancestor: Team | None = parent
    while ancestor is not None:
        if team.pk is not None and ancestor.pk == team.pk:
            raise _refuse("parent", "A team cannot sit beneath itself or one of its own sub-teams")
        ancestor = ancestor.parent


def _check_team_name(team: Team) -> None:
    if not team.name:
        raise _refuse("name", "Enter the team's name")
    clash = Team.objects.filter(organisation_id=team.organisation_id, name__iexact=team.name).exclude(pk=team.pk)
    if clash.exists():
        raise _refuse("name", f"{team.organisation.name} already has a team called {team.name}")


@transaction.atomic
def create_team(
    *,
    principal: Principal,
    now: dt.datetime,
    organisation: Organisation,
    name: str,
    parent: Team | None = None,
    inbox_email: str = "",
) -> Team:
    action = "admin.team-created"
    ensure_can_manage(principal, action=action, organisation=organisation)
    team = Team(organisation=organisation, name=" ".join(name.split()), parent=parent, inbox_email=inbox_email.strip())
    _check_team(team=team, parent=parent)
    _check_team_name(team)
    _full_clean(team)
    team.save()
    audit.record(
        principal=principal,
        action=action,
        at=now,
        object_type="team",
        object_id=str(team.public_id),
        details={
            "organisation": str(organisation.public_id),
            "name": team.name,
            "parent": parent.name if parent else None,
            "inbox_email": team.inbox_email,
        },
    )
    return team


@transaction.atomic
def update_team(
    *,
    principal: Principal,
    now: dt.datetime,
    team: Team,
    name: str,
    parent: Team | None,
    inbox_email: str = "",
    is_active: bool = True,
) -> Team:
    action = "admin.team-updated"
    ensure_can_manage(principal, action=action, organisation=team.organisation)
    before = {
        "name": team.name,
        "parent": team.parent.name if team.parent else None,
        "inbox_email": team.inbox_email,
        "is_active": team.is_active,
    }
    team.name, team.parent, team.inbox_email, team.is_active = (
        " ".join(name.split()),
        parent,
        inbox_email.strip(),
        is_active,
    )
    _check_team(team=team, parent=parent)
    _check_team_name(team)
    _full_clean(team)
    after = {
        "name": team.name,
        "parent": parent.name if parent else None,
        "inbox_email": team.inbox_email,
        "is_active": team.is_active,
    }
    changed = _changes(before, after)
    if changed:
        team.save()
        audit.record(
            principal=principal,
            action=action,
            at=now,
            object_type="team",
            object_id=str(team.public_id),
            details={"changed": changed},
        )
    return team


# ---------------------------------------------------------------------------------------------------------------------
# Users and memberships


def _check_membership(*, membership: Membership, scope: set[int], principal: Principal, action: str) -> None:
    ensure_can_manage(principal, action=action, organisation=membership.organisation, scope=scope)
    if membership.role not in Role.values:
        raise _refuse("role", "Choose a role")
    if membership.team is not None and membership.team.organisation_id != membership.organisation_id:
        raise _refuse("team", f"Choose a team in {membership.organisation.name}")
    if membership.starts_on and membership.ends_on and membership.ends_on < membership.starts_on:
        raise _refuse("ends_on", "The end date must be the same as or after the start date")


def _membership_details(membership: Membership) -> dict[str, Any]:
    return {
        "user": str(membership.user.public_id),
        "username": membership.user.username,
        "organisation": str(membership.organisation.public_id),
        "team": membership.team.name if membership.team else None,
        "role": membership.role,
        "starts_on": _as_json(membership.starts_on),
        "ends_on": _as_json(membership.ends_on),
    }


@transaction.atomic
def create_user(
    *,
    principal: Principal,
    now: dt.datetime,
    organisation: Organisation,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    job_title: str,
    password: str,
    role: str,
    team: Team | None = None,
    starts_on: dt.date | None = None,
) -> User:
    """Create a user with an initial password (which must pass AUTH_PASSWORD_VALIDATORS) and their
    first membership. The password is never written to the audit log."""
    action = "admin.user-created"
    scope = manageable_organisation_ids(principal)
    ensure_can_manage(principal, action=action, organisation=organisation, scope=scope)
    user = User(
        username=username.strip(),
        first_name=" ".join(first_name.split()),
        last_name=" ".join(last_name.split()),
        email=email.strip(),
        job_title=" ".join(job_title.split()),
    )
    errors: Errors = {}
    if not user.username:
        errors["username"] = ["Enter a username"]
    elif User.objects.filter(username__iexact=user.username).exists():
        errors["username"] = [f"The username {user.username} is already taken"]
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        errors["password"] = list(exc.messages)
    if errors:
        raise AdminChangeRefused(errors)
    user.set_password(password)
    _full_clean(user)
    user.save()
    membership = Membership(user=user, organisation=organisation, team=team, role=role, starts_on=starts_on)
    _check_membership(membership=membership, scope=scope, principal=principal, action=action)
    _full_clean(membership)
    membership.save()
    audit.record(
        principal=principal,
        action=action,
        at=now,
        object_type="user",
        object_id=str(user.public_id),
        details={
            "username": user.username,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "job_title": user.job_title,
        },
    )
    audit.record(
        principal=principal,
        action="admin.membership-added",
        at=now,
        object_type="membership",
        object_id=str(membership.public_id),
        details=_membership_details(membership),
    )
    return user


@transaction.atomic
def set_user_active(*, principal: Principal, now: dt.datetime, user: User, active: bool) -> User:
    """Deactivate a user (they are signed out on their next request) or reactivate them."""
    action = "admin.user-reactivated" if active else "admin.user-deactivated"
    scope = manageable_organisation_ids(principal)
    if (
        not principal.can(Capability.MANAGE_ORGANISATIONS)
        or not Membership.objects.filter(user=user, organisation_id__in=scope).exists()
    ):
        raise AdminRefused(principal=principal, action=action, object_type="user", object_id=str(user.public_id))
    if user.pk == principal.user.pk:
        raise _refuse("", "You cannot deactivate or reactivate your own account")
    if user.is_active == active:
        raise _refuse("", f"{user} is already {'active' if active else 'deactivated'}")
    user.is_active = active
    user.save(update_fields=["is_active"])
    audit.record(
        principal=principal,
        action=action,
        at=now,
        object_type="user",
        object_id=str(user.public_id),
        details={"username": user.username},
    )
    return user


@transaction.atomic
def add_membership(
    *,
    principal: Principal,
    now: dt.datetime,
    user: User,
    organisation: Organisation,
    role: str,
    team: Team | None = None,
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
) -> Membership:
    """Give a user a role in an organisation (and team). Re-adding an ended membership reopens it."""
    action = "admin.membership-added"
    scope = manageable_organisation_ids(principal)
    if not Membership.objects.filter(user=user, organisation_id__in=scope).exists():
        raise AdminRefused(principal=principal, action=action, object_type="user", object_id=str(user.public_id))
    existing = Membership.objects.filter(user=user, organisation=organisation, team=team, role=role).first()
    today = now.date()
    if existing is not None and existing.is_active and (existing.ends_on is None or existing.ends_on >= today):
        raise _refuse("role", f"{user} already has this role{' in ' + team.name if team else ''}")
    membership = existing or Membership(user=user, organisation=organisation, team=team, role=role)
    membership.starts_on, membership.ends_on, membership.is_active = starts_on, ends_on, True
    _check_membership(membership=membership, scope=scope, principal=principal, action=action)
    _full_clean(membership)
    membership.save()
    details = _membership_details(membership) | {"reopened": existing is not None}
    audit.record(
        principal=principal,
        action=action,
        at=now,
        object_type="membership",
        object_id=str(membership.public_id),
        details=details,
    )
    return membership


@transaction.atomic
def end_membership(*, principal: Principal, now: dt.datetime, membership: Membership) -> Membership:
    """End a membership now: the user cannot act through it from their next request."""
    action = "admin.membership-ended"
    ensure_can_manage(principal, action=action, organisation=membership.organisation)
    if principal.membership is not None and membership.pk == principal.membership.pk:
        raise _refuse("", "You cannot end the membership you are signed in with")
    if not membership.is_active:
        raise _refuse("", "This membership has already ended")
    today = now.date()
    before = membership.ends_on
    membership.is_active = False
    membership.ends_on = min(membership.ends_on or today, today)
    if membership.starts_on and membership.ends_on < membership.starts_on:
        membership.ends_on = membership.starts_on  # it had not begun: it ends before it starts
    membership.save(update_fields=["is_active", "ends_on"])
    details = _membership_details(membership) | {"previous_ends_on": _as_json(before)}
    audit.record(
        principal=principal,
        action=action,
        at=now,
        object_type="membership",
        object_id=str(membership.public_id),
        details=details,
    )
    return membership
