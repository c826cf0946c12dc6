"""Open the records a family chronology merges: the child's, then each sibling's and household member's
that the viewer may open (access.policy.accessible_people), each through access.queries.open_person so
that every record included has its own audit row. Records the viewer may not open are left out, counted
but not named."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from safeguarding.access import queries as access
from safeguarding.access.policy import accessible_people
from safeguarding.accounts.principal import Principal
from safeguarding.people.models import Person

from .queries import family_candidate_ids


@dataclass(frozen=True)
class Family:
    child: Person
    relatives: list[Person]  # opened and audited
    withheld: int  # relatives in the family whose records the viewer may not open

    @property
    def people(self) -> list[Person]:
        return [self.child, *self.relatives]


def open_family(
    principal: Principal, child: Person, *, now: dt.datetime, action: str, details: dict[str, Any]
) -> Family:
    """Call after open_person(child). Opens (and audits) each relative the viewer may open."""
    candidates = family_candidate_ids(child)
    if not candidates:
        return Family(child=child, relatives=[], withheld=0)
    live = Person.objects.filter(id__in=candidates, merged_into__isnull=True)
    allowed = list(
        live.filter(accessible_people(principal, now=now)).order_by("date_of_birth", "given_name").only("public_id")
    )
    relatives = []
    for person in allowed:
        try:
            opened = access.open_person(
                principal,
                person.public_id,
                now=now,
                action=action,
                details=details | {"family_of": str(child.public_id)},
            )
        except access.Refused:  # policy and the list disagree (an involvement ended this instant): leave out
            continue
        relatives.append(opened.person)
    return Family(child=child, relatives=relatives, withheld=live.count() - len(relatives))
