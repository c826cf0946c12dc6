"""The synthetic partnership work: section 11 cycles and serious incidents for a generated area."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from safeguarding.learning import synthetic as learning_synthetic
from safeguarding.learning.models import Action as ReviewAction
from safeguarding.learning.models import SeriousIncident
from safeguarding.partnership import actions
from safeguarding.section11 import queries
from safeguarding.section11 import synthetic as section11_synthetic
from safeguarding.section11.models import Action, AssessmentStatus, Cycle
from safeguarding.synthetic.generator import generate


def test_a_generated_partnership_gets_two_cycles_and_three_incidents_at_different_stages(db):
    as_of, now = dt.date(2026, 6, 1), timezone.now()
    with transaction.atomic():
        area = generate(seed=7, local_authorities=1, children=60, as_of=as_of, now=now, journeys=False).areas[0]
        counts = section11_synthetic.fill(area.partnership, rng=random.Random(1), as_of=as_of, now=now)
        counts.update(learning_synthetic.fill(area.partnership, rng=random.Random(1), as_of=as_of, now=now))
        again = section11_synthetic.fill(area.partnership, rng=random.Random(1), as_of=as_of, now=now)
        again.update(learning_synthetic.fill(area.partnership, rng=random.Random(1), as_of=as_of, now=now))
    assert not again  # idempotent: a partnership that has its work keeps it
    current = Cycle.objects.filter(partnership=area.partnership).order_by("-opens_on").first()
    statuses = {a.status for a in current.assessments.all()}
    assert statuses <= {AssessmentStatus.DRAFT, AssessmentStatus.SUBMITTED, AssessmentStatus.MODERATED}
    submitted = current.assessments.exclude(status=AssessmentStatus.DRAFT).count()
    assert submitted > current.assessments.count() / 2  # most organisations have submitted
    comparison = queries.comparison(current)
    assert sum(c.red + c.amber for c in comparison.by_organisation) > 0
    assert current.assessments.filter(ratings__challenge__gt="").exists()
    open_actions = Action.objects.filter(status="OPEN")
    assert open_actions.filter(due_on__lt=as_of).exists() and Action.objects.filter(status="COMPLETE").exists()
    incidents = list(SeriousIncident.objects.filter(partnership=area.partnership))
    assert len(incidents) == 3 and counts["serious incidents"] == 3
    assert all(i.children.count() == 1 for i in incidents)
    assert all(c.local_authority_id == area.la.id for i in incidents for c in i.children.all())
    review = next(i for i in incidents if i.review_commissioned_on)
    assert review.published_on is None and review.episodes.exists() and review.findings.exists()
    assert ReviewAction.objects.filter(recommendation__incident=review, due_on__lt=as_of, completed_on=None).exists()
    assert any(i.notified_on is None for i in incidents) and any(i.published_on for i in incidents)
    rows = actions.all_actions(area.partnership, as_of)
    assert {"Section 11 audit", "Serious incident review"} <= {r.source for r in rows}
    assert rows[0].is_overdue_on(as_of)
