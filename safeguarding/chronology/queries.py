"""Reads of chronologies for the chronology pages and exports. Call these only for people already opened
(and audited) through access.queries.open_person; they decide nothing about access. Each makes a fixed
number of queries, however many entries or people there are.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from safeguarding.organisations.models import Organisation
from safeguarding.people.codes import RelationshipType
from safeguarding.people.models import FamilyMember, Person, Relationship

from .models import ChronologyEntry, Significance

OTHER_AGENCY = "other"  # the agency filter's value for agencies named on the event but not on the system
SIBLING_TYPES = (RelationshipType.SIBLING, RelationshipType.HALF_SIBLING)


@dataclass(frozen=True)
class Filter:
    """What the user asked to see. An empty filter shows everything."""

    agency: str = ""  # an organisation's public id, OTHER_AGENCY, or "" for every agency
    significance: tuple[str, ...] = field(default_factory=tuple)  # empty: every level

    def q(self) -> Q:
        q = Q()
        if self.agency == OTHER_AGENCY:
            q &= Q(agency__isnull=True) & ~Q(agency_name="")
        elif self.agency:
            q &= Q(agency__public_id=_uuid(self.agency))
        if self.significance:
            q &= Q(significance__in=self.significance)
        return q

    def describe(self, agencies: list[Organisation]) -> str:
        """The filter in words, for the page, the audit row and the exported document."""
        names = {str(a.public_id): a.name for a in agencies} | {OTHER_AGENCY: "agencies not on the system"}
        agency = f"from {names.get(self.agency, 'an unknown agency')}" if self.agency else "from every agency"
        if not self.significance:
            return f"Events of any significance {agency}"
        labels = dict(Significance.choices)
        levels = " or ".join(labels[s].lower() for s in self.significance)
        return f"{levels.capitalize()} events {agency}"

    def as_details(self) -> dict[str, object]:
        return {"agency": self.agency, "significance": list(self.significance)}


def _uuid(raw: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(raw)
    except ValueError:
        return None


def entries(people: list[Person], flt: Filter) -> QuerySet[ChronologyEntry]:
    """The chronology of these people, most recent first, filtered (one query when evaluated)."""
    return (
        ChronologyEntry.objects.filter(flt.q(), person__in=people)
        .select_related("person", "recorded_by", "agency")
        .order_by("-occurred_on", "-recorded_at", "-id")
    )


def agencies_in(people: list[Person]) -> list[Organisation]:
    """The agencies that appear in these people's chronologies (for the filter's choices; one query)."""
    ids = ChronologyEntry.objects.filter(person__in=people, agency__isnull=False).values("agency_id")
    return list(Organisation.objects.filter(id__in=ids).order_by("name"))


def has_other_agencies(people: list[Person]) -> bool:
    return ChronologyEntry.objects.filter(person__in=people, agency__isnull=True).exclude(agency_name="").exists()


def family_candidate_ids(person: Person) -> list[int]:
    """The person's household and siblings: everyone in their family groups, and their recorded siblings and
    half-siblings (two queries). Merged-away records are left out; access is decided by the caller."""
    families = FamilyMember.objects.filter(person=person).values("family_id")
    members = set(FamilyMember.objects.filter(family_id__in=families).values_list("person_id", flat=True))
    siblings = Relationship.objects.filter(
        Q(from_person=person) | Q(to_person=person), type__in=SIBLING_TYPES
    ).values_list("from_person_id", "to_person_id")
    for a, b in siblings:
        members |= {a, b}
    members.discard(person.pk)
    return sorted(members)


def reporting_agencies(person: Person) -> list[Organisation]:
    """The organisations that may report an event about this child: those in the partnerships their local
    authority leads, and the authority itself (one query)."""
    q = Q(partnerships__local_authority_id=person.local_authority_id) | Q(id=person.local_authority_id)
    return list(Organisation.objects.filter(q).distinct().order_by("name"))
