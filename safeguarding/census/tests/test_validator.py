"""The DfE rules, run by csc-validator-be-cin in its own venv: finds what is broken, passes what is not."""

from __future__ import annotations

import importlib.util
import io
import subprocess

import pytest

from safeguarding.census import export, validation
from safeguarding.census.years import year_for

from . import factories as cf

pytestmark = pytest.mark.usefixtures("needs_validator")


def _write(world, tmp_path, label="2025-26"):
    path = tmp_path / "cin.xml"
    out = io.BytesIO()
    export.write_census(out, local_authority=world.la, year=year_for(label), now=cf.AT)
    path.write_bytes(out.getvalue())
    return path


def test_a_valid_multi_child_return_has_no_child_level_errors(world, golden, tmp_path):
    path = _write(world, tmp_path)
    report = validation.validate(path, year_for("2025-26"))
    assert report.rules_ran and report.rule_count == 109
    assert report.child_errors == []
    assert report.passed
    # Queries remain (to check and explain): school-age children without a UPN, a long open assessment.
    assert {i.rule_code for i in report.child_queries} == {"8770Q", "8670Q"}
    assert [i.rule_code for i in report.la_issues] == ["2887Q"]


def test_a_deliberately_broken_return_is_caught_with_the_expected_rule(world, golden, tmp_path):
    path = _write(world, tmp_path)
    text = path.read_text()
    # The first review moves to before the plan began (8841), and a second child takes the first's id (8510).
    text = text.replace("<CPPreviewDate>2025-09-01</CPPreviewDate>", "<CPPreviewDate>2025-06-01</CPPreviewDate>")
    text = text.replace("<LAchildID>NB000002</LAchildID>", "<LAchildID>NB000001</LAchildID>")
    path.write_text(text)
    assert validation.check_xsd(path, year_for("2025-26"))[1] == 0  # still valid against the schema
    report = validation.validate(path, year_for("2025-26"))
    broken = {(i.child_id, i.rule_code) for i in report.child_errors}
    assert ("NB000001", "8841") in broken
    assert ("NB000001", "8510") in broken
    review = next(i for i in report.child_errors if i.rule_code == "8841")
    assert "review date cannot be on the same day or before" in review.message
    assert "Reviews.CPPreviewDate" in review.fields
    assert not report.passed


def test_the_validator_runs_in_its_own_environment_with_its_own_pins():
    assert importlib.util.find_spec("cin_validator") is None  # not importable from the project
    assert validation.python_is_isolated()
    versions = subprocess.run(
        [
            str(validation.validator_python()),
            "-c",
            "import pandas, numpy; print(pandas.__version__, numpy.__version__)",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert versions[0].startswith("1.5.") and versions[1].startswith("1.")


def test_a_missing_validator_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setenv("OSG_CIN_VALIDATOR_PYTHON", str(tmp_path / "nowhere" / "python"))
    with pytest.raises(validation.ValidatorUnavailable, match="make cin-validator"):
        validation.check_rules(tmp_path / "cin.xml", year_for("2025-26"))
