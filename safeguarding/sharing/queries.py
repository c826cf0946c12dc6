"""Reads of information-sharing decisions.

A child's decisions are read only after access.queries.open_person has opened (and audited) the record.
The authority's list shows only children the manager may open (access.policy.accessible_people) and is
audited with the rows shown; the counts per agency are aggregates (no child is named) for managers and
auditors of the authority.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count

from safeguarding.access.policy import accessible_people
from safeguarding.accounts.principal import Principal
from safeguarding.accounts.roles import Capability
from safeguarding.audit import services as audit
from safeguarding.organisations.models import Organisation
from safeguarding.people.models import Person

from .codes import Consent, Decision, LawfulBasis
from .models import SharingDecision

LIST_LIMIT = 200
NO_ORGANISATION = "A named person (no organisation recorded)"


def decisions_for_person(person: Person, *, limit: int | None = None) -> list[SharingDecision]:
    """The child's decisions, latest first (one query)."""
    rows = (
        SharingDecision.objects.filter(person=person)
        .select_related("recipient_organisation", "agency", "decided_by")
        .order_by("-decided_on", "-id")
    )
    return list(rows[:limit] if limit else rows)


def can_see_list(principal: Principal) -> bool:
    return principal.can(Capability.AUTHORISE_CASEWORK)


def can_see_counts(principal: Principal) -> bool:
    return principal.can(Capability.AUTHORISE_CASEWORK) or principal.can(Capability.VIEW_AUDIT)


def authority_of(principal: Principal) -> Organisation | None:
    return principal.membership.organisation if principal.membership else None


@dataclass
class AgencyCount:
    agency: str
    shared: int = 0
    not_shared: int = 0
    by_basis: dict[str, int] = field(default_factory=dict)
    by_consent: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return self.shared + self.not_shared

    def basis_counts(self) -> list[int]:
        return [self.by_basis.get(b, 0) for b in LawfulBasis.values]

    def consent_counts(self) -> list[int]:
        return [self.by_consent.get(c, 0) for c in Consent.values]


def counts_per_agency(authority: Organisation) -> list[AgencyCount]:
    """Decisions about the authority's children, counted per receiving agency (one grouped query)."""
    grouped = (
        SharingDecision.objects.filter(local_authority=authority)
        .values("recipient_organisation__name", "decision", "lawful_basis", "consent")
        .annotate(n=Count("id"))
        .order_by()
    )
    per: dict[str, AgencyCount] = {}
    for g in grouped:
        name = g["recipient_organisation__name"] or NO_ORGANISATION
        row = per.setdefault(name, AgencyCount(agency=name))
        n = g["n"]
        if g["decision"] == Decision.SHARE:
            row.shared += n
        else:
            row.not_shared += n
        if g["lawful_basis"]:
            row.by_basis[g["lawful_basis"]] = row.by_basis.get(g["lawful_basis"], 0) + n
        row.by_consent[g["consent"]] = row.by_consent.get(g["consent"], 0) + n
    return sorted(per.values(), key=lambda r: (r.agency == NO_ORGANISATION, r.agency.lower()))


def view_counts(principal: Principal, *, now: dt.datetime) -> list[AgencyCount]:
    """The counts page: audited (no child is shown)."""
    authority = authority_of(principal)
    assert authority is not None
    counts = counts_per_agency(authority)
    audit.record(
        principal=principal,
        action="sharing.counts.view",
        at=now,
        object_type="list",
        details={"authority": str(authority.public_id), "agencies": len(counts)},
    )
    return counts


def authority_decisions(principal: Principal, *, now: dt.datetime, agency: str = "") -> list[SharingDecision]:
    """The latest decisions about the authority's children that the manager may open, optionally for one
    receiving agency (its public id); audited with the children shown."""
    authority = authority_of(principal)
    assert authority is not None
    visible = Person.objects.filter(accessible_people(principal, now=now), merged_into__isnull=True)
    rows = SharingDecision.objects.filter(local_authority=authority, person__in=visible)
    if agency:
        rows = rows.filter(recipient_organisation__public_id=agency)
    decisions = list(
        rows.select_related("person", "recipient_organisation", "agency", "decided_by").order_by("-decided_on", "-id")[
            :LIST_LIMIT
        ]
    )
    audit.record(
        principal=principal,
        action="sharing.list.view",
        at=now,
        object_type="list",
        details={"agency": agency, "shown": sorted({str(d.person.public_id) for d in decisions})},
    )
    return decisions


def agency_choices(authority: Organisation) -> list[Organisation]:
    """Receiving agencies that appear in the authority's decisions (for the filter)."""
    ids = SharingDecision.objects.filter(local_authority=authority, recipient_organisation__isnull=False).values(
        "recipient_organisation"
    )
    return list(Organisation.objects.filter(id__in=ids).order_by("name"))
