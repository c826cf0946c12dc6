"""CI's promise (issue 3 §7): the synthetic data's census returns have zero child-level errors.

The journeys follow the national rates (ADR 0017): 300 children give about 30 children in need
a year, so the floor of 50 (the test must not pass on an empty return) is on the three returns
together; each must hold children and have no child-level error. The data is generated as at a
fixed day, so the test gives the same answer whenever it runs.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from safeguarding.census import export, validation
from safeguarding.census.years import YEARS

AS_OF = dt.date(2026, 12, 1)


@pytest.mark.usefixtures("needs_validator")
def test_the_synthetic_authoritys_returns_have_no_child_level_errors(db, tmp_path):
    call_command(
        "seed_synthetic", children=300, seed=1, as_of=AS_OF, allow_non_demo=True, no_progress=True, stdout=io.StringIO()
    )
    (la,) = export.local_authorities()
    children = 0
    for year in YEARS.values():
        path = tmp_path / f"cin-{year.label}.xml"
        result = export.export_to_file(path, local_authority=la, year=year, now=timezone.now())
        report = validation.validate(path, year)
        assert report.xsd_error_count == 0, report.xsd_errors
        assert report.rules_ran
        assert report.child_errors == [], [(i.child_id, i.rule_code, i.message) for i in report.child_errors]
        assert result.children >= 10, f"{year.label}: only {result.children} children"
        children += result.children
    assert children >= 50
