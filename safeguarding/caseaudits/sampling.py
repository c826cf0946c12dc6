"""Which children an audit may sample, and the seeded draw (ADR 0026).

`eligible` reads the live record by the audit's criteria and answers person ids in a fixed order (by id), so
`draw(eligible(...), n, seed)` gives the same children for the same record and seed: the sample can be
re-run and explained. Restricted records and records merged into another are never eligible.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db.models import Q, QuerySet

from safeguarding.casework.models import ChildInNeedPlan, ChildProtectionPlan, Episode
from safeguarding.organisations.models import Partnership
from safeguarding.people.models import Person

from .codes import Cohort


def eligible(
    partnership: Partnership, *, cohort: str, from_on: dt.date, to_on: dt.date, category: str = ""
) -> list[int]:
    """Ids of the children in the partnership's local authority who meet the criteria at any time in the period."""
    la = partnership.local_authority_id
    people: QuerySet[Any, Any]
    if cohort == Cohort.CP_PLAN:
        plans = ChildProtectionPlan.objects.filter(
            Q(end_date__isnull=True) | Q(end_date__gte=from_on), episode__local_authority_id=la, start_date__lte=to_on
        )
        if category:
            plans = plans.filter(Q(latest_category=category) | Q(initial_category=category))
        people = plans.values("episode__person_id")
    elif cohort == Cohort.CIN_PLAN:
        people = ChildInNeedPlan.objects.filter(
            Q(end_date__isnull=True) | Q(end_date__gte=from_on), episode__local_authority_id=la, start_date__lte=to_on
        ).values("episode__person_id")
    elif cohort == Cohort.OPEN_EPISODE:
        people = Episode.objects.filter(
            Q(closure_date__isnull=True) | Q(closure_date__gte=from_on), local_authority_id=la, referral_date__lte=to_on
        ).values("person_id")
    else:
        raise ValueError(f"unknown cohort {cohort!r}")
    return list(
        Person.objects.filter(id__in=people, local_authority_id=la, merged_into__isnull=True, is_restricted=False)
        .order_by("id")
        .values_list("id", flat=True)
    )


def draw(ids: list[int], size: int, seed: int) -> list[int]:
    """A simple random sample without replacement, in draw order; all of them when there are fewer."""
    ordered = sorted(ids)
    return random.Random(seed).sample(ordered, min(size, len(ordered)))
