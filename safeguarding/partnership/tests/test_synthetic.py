"""The synthetic partnership data: a history across the reorganisations, a vacancy, and mixed compliance."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from safeguarding.partnership import compliance, register, synthetic
from safeguarding.partnership.models import RoleHolding
from safeguarding.synthetic.generator import generate


def test_fill_gives_a_generated_area_a_register_with_history_and_training_records(db):
    as_of, now = dt.date(2026, 6, 1), timezone.now()
    with transaction.atomic():
        area = generate(seed=7, local_authorities=1, children=20, as_of=as_of, now=now, journeys=False).areas[0]
        counts = synthetic.fill(area.partnership, seed=7, as_of=as_of, now=now)
    assert counts["role holdings"] > 20 and counts["training records"] > 10
    nurse_bodies = set(
        RoleHolding.objects.filter(role__code="designated-nurse").values_list("organisation__type", flat=True)
    )
    assert nurse_bodies == {"PRIMARY_CARE_TRUST", "CLINICAL_COMMISSIONING_GROUP", "INTEGRATED_CARE_BOARD"}
    assert len(register.vacancies(area.partnership, as_of)) >= 1
    in_2012 = register.accountability_on(area.partnership, dt.date(2012, 1, 1))
    assert any(s.organisation and s.organisation.type == "PRIMARY_CARE_TRUST" and s.holdings for s in in_2012)
    statuses = {line.status for line in compliance.compliance_on(area.partnership, as_of).lines}
    assert {compliance.Status.COMPLIANT, compliance.Status.OVERDUE} <= statuses
