"""Need-to-know: may this principal open this person's record, and on what basis?

This module decides; safeguarding.access.queries enforces and audits. Nothing else in
the code base decides access to personal data.

A principal may open a record when, on the day, there is:
  * for a restricted record: an open NamedAccess for the user, and nothing else;
  * an open involvement held by the user in the acting membership's organisation;
  * an open involvement held by the acting membership's team;
  * a management line: the role manages a team (and its sub-teams) that holds an
    open involvement, or whose member holds one;
  * an unexpired break-glass grant made through the acting membership.
Everyone else may at most learn that a record exists (search), never its contents.
"""

from __future__ import annotations

import datetime as dt
import enum

from django.db.models import Q

from safeguarding.accounts.models import Membership
from safeguarding.accounts.principal import Principal
from safeguarding.accounts.roles import Capability
from safeguarding.organisations.models import Organisation, OrganisationType, Partnership, Team
from safeguarding.people.models import Person

from .models import BreakGlass, Involvement, NamedAccess


class Basis(enum.StrEnum):
    NAMED_ACCESS = "named-access"
    OWN_INVOLVEMENT = "own-involvement"
    TEAM_INVOLVEMENT = "team-involvement"
    MANAGEMENT_LINE = "management-line"
    BREAK_GLASS = "break-glass"


def open_involvements(day: dt.date) -> Q:
    return Q(start_date__lte=day) & (Q(end_date__isnull=True) | Q(end_date__gte=day))


def managed_team_ids(membership: Membership) -> set[int]:
    """The acting team and, for managers, every team beneath it."""
    if membership.team_id is None:
        return set()
    ids = {membership.team_id}
    if not membership.can(Capability.MANAGE_LINE):
        return ids
    frontier = {membership.team_id}
    while frontier:
        children = set(Team.objects.filter(parent_id__in=frontier).values_list("id", flat=True)) - ids
        ids |= children
        frontier = children
    return ids


def basis_for(principal: Principal, person: Person, *, now: dt.datetime) -> Basis | None:
    membership = principal.membership
    if membership is None:
        return None
    day = now.date()
    user = principal.user
    if person.is_restricted:
        named = NamedAccess.objects.filter(person=person, user=user, revoked_at__isnull=True).exists()
        return Basis.NAMED_ACCESS if named else None

    involvements = list(
        Involvement.objects.filter(open_involvements(day), person=person).values_list(
            "user_id", "team_id", "organisation_id"
        )
    )
    for user_id, _team_id, org_id in involvements:
        if user_id == user.id and org_id == membership.organisation_id:
            return Basis.OWN_INVOLVEMENT
    if membership.team_id is not None:
        for _user_id, team_id, _org_id in involvements:
            if team_id == membership.team_id:
                return Basis.TEAM_INVOLVEMENT
    if membership.can(Capability.MANAGE_LINE) and involvements:
        teams = managed_team_ids(membership)
        if any(team_id in teams for _u, team_id, _o in involvements):
            return Basis.MANAGEMENT_LINE
        involved_users = {u for u, _t, _o in involvements if u is not None}
        if (
            involved_users
            and Membership.objects.filter(user_id__in=involved_users, team_id__in=teams, is_active=True).exists()
        ):
            return Basis.MANAGEMENT_LINE
    if BreakGlass.objects.filter(
        user=user, membership=membership, person=person, started_at__lte=now, expires_at__gt=now
    ).exists():
        return Basis.BREAK_GLASS
    return None


def searchable_local_authorities(principal: Principal) -> list[int]:
    """The local authorities whose people this principal may find in search.

    Their own LA, and the LAs leading every partnership their organisation belongs to.
    """
    membership = principal.membership
    if membership is None or not membership.can(Capability.SEARCH_PEOPLE):
        return []
    ids = set(
        Partnership.objects.filter(organisations=membership.organisation_id).values_list(
            "local_authority_id", flat=True
        )
    )
    ids |= set(
        Partnership.objects.filter(local_authority_id=membership.organisation_id).values_list(
            "local_authority_id", flat=True
        )
    )
    if membership.organisation.type == OrganisationType.LOCAL_AUTHORITY:
        ids.add(membership.organisation_id)
    return sorted(ids)


def visible_in_search(principal: Principal) -> Q:
    """People this principal may see listed (minimal details): in scope, not merged away,
    and not restricted unless they are named on the record."""
    las = searchable_local_authorities(principal)
    named = NamedAccess.objects.filter(user=principal.user, revoked_at__isnull=True).values("person_id")
    return Q(local_authority_id__in=las) & Q(merged_into__isnull=True) & (Q(is_restricted=False) | Q(id__in=named))


def known_to(principal: Principal) -> Q:
    """People whose existence this principal may learn from a refusal (a 403, not a 404).

    Everyone they could find in search, and the unrestricted people held by their own
    organisation (an auditor or administrator of the local authority knows its records
    exist, although they may not open them). Other areas' children stay invisible.
    """
    known = visible_in_search(principal)
    membership = principal.membership
    if membership is not None:
        known |= Q(local_authority_id=membership.organisation_id, merged_into__isnull=True, is_restricted=False)
    return known


def accessible_people(principal: Principal, *, now: dt.datetime) -> Q:
    """A filter for the people this principal may open (for lists such as "My work").

    Must agree with basis_for(); tests check the two against each other.
    """
    membership = principal.membership
    if membership is None:
        return Q(pk__in=[])
    day = now.date()
    user = principal.user
    open_inv = Involvement.objects.filter(open_involvements(day))
    via = Q(user=user, organisation_id=membership.organisation_id)
    if membership.team_id is not None:
        teams = managed_team_ids(membership)
        via |= Q(team_id__in=teams)
        if membership.can(Capability.MANAGE_LINE):
            team_users = Membership.objects.filter(team_id__in=teams, is_active=True).values("user_id")
            via |= Q(user_id__in=team_users)
    involved = open_inv.filter(via).values("person_id")
    glass = BreakGlass.objects.filter(user=user, membership=membership, started_at__lte=now, expires_at__gt=now).values(
        "person_id"
    )
    named = NamedAccess.objects.filter(user=user, revoked_at__isnull=True).values("person_id")
    return (Q(is_restricted=False) & (Q(id__in=involved) | Q(id__in=glass))) | (Q(is_restricted=True) & Q(id__in=named))


def organisation_is_local_authority(org: Organisation) -> bool:
    return org.type == OrganisationType.LOCAL_AUTHORITY
