"""What other apps derive from, or hold beside, the generated record: run after a synthetic load.
Rows are bulk-loaded like the rest of the generator (the run itself is audited once).

Bulk inserts skip the flag receivers (flags.receivers), so flags are derived here, as
`manage.py rebuild_flags` would; each authority gets the telephone numbers health sees with a
flag (Ofcom's drama range, never a real line); each partnership gets its accountability register
and training records (partnership.synthetic), and its work: section 11 cycles (section11.synthetic),
serious incidents and their reviews (learning.synthetic) and multi-agency case audits
(caseaudits.synthetic), so the partnership dashboard shows a partnership at work.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

from django.db.models import Q

from safeguarding.caseaudits import synthetic as caseaudits_synthetic
from safeguarding.flags.derive import sync_person
from safeguarding.flags.models import Flag, LocalAuthorityContact
from safeguarding.learning import synthetic as learning_synthetic
from safeguarding.organisations.models import Organisation, OrganisationType, Partnership
from safeguarding.partnership import synthetic as partnership_synthetic
from safeguarding.partnership.models import RoleHolding
from safeguarding.people.models import Person
from safeguarding.section11 import synthetic as section11_synthetic


def fill_derived(*, seed: int, as_of: dt.date, now: dt.datetime) -> Counter[str]:
    """Idempotent: authorities and partnerships that already have theirs are left alone."""
    counts: Counter[str] = Counter()
    authorities = Organisation.objects.filter(type=OrganisationType.LOCAL_AUTHORITY).exclude(
        pk__in=LocalAuthorityContact.objects.values("local_authority_id")
    )
    contacts = [
        LocalAuthorityContact(
            local_authority=la,
            office_hours_phone=f"01632 960 {100 + 2 * n:03d}",
            out_of_hours_phone=f"01632 960 {101 + 2 * n:03d}",
            notification_email=f"cp-notifications-{la.dfe_la_code or la.pk}@example.invalid",
        )
        for n, la in enumerate(authorities.order_by("pk"))
    ]
    LocalAuthorityContact.objects.bulk_create(contacts)
    counts["flag contact numbers"] = len(contacts)
    in_scope = Person.objects.filter(Q(episodes__cp_plans__isnull=False) | Q(looked_after_periods__isnull=False))
    for person in in_scope.select_related("pregnant_person").distinct().order_by("pk").iterator(chunk_size=500):
        sync_person(person, now=now)
    counts["child protection flags"] = Flag.objects.count()
    filled = RoleHolding.objects.values("partnership_id")
    for partnership in Partnership.objects.exclude(pk__in=filled).order_by("pk"):
        counts.update(partnership_synthetic.fill(partnership, seed=seed, as_of=as_of, now=now))
    for partnership in Partnership.objects.select_related("local_authority").order_by("pk"):
        counts.update(partnership_work(partnership, seed=seed, as_of=as_of, now=now))
    return counts


def partnership_work(partnership: Partnership, *, seed: int, as_of: dt.date, now: dt.datetime) -> Counter[str]:
    """A partnership's section 11 cycles, serious incidents and case audits; each app skips what it has."""
    counts: Counter[str] = Counter()
    key = f"{seed}/{partnership.public_id}"
    counts.update(section11_synthetic.fill(partnership, rng=random.Random(f"section11/{key}"), as_of=as_of, now=now))
    counts.update(learning_synthetic.fill(partnership, rng=random.Random(f"learning/{key}"), as_of=as_of, now=now))
    written = caseaudits_synthetic.fill(
        partnership=partnership, today=as_of, now=now, rng=random.Random(f"caseaudits/{key}")
    )
    counts["case audit rows"] += written
    return counts
