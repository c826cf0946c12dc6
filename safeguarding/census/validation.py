"""Check a census export: against the year's XSD (xmlschema) and the DfE rules (csc-validator-be-cin).

The DfE rules run in their own interpreter (`.venv-cin/`, built by `make cin-validator`) because the
validator pins pandas<2 and numpy<2; we call `validator_driver.py` there as a subprocess and read
its JSON. Only child-level ERROR rules (and XSD errors) fail an export: QUERY rules ask the
authority to check and explain, and LA-level rules such as 2887Q fire on any small file
(statutory.md §0.3), so both are reported, never failed on.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import xmlschema
from django.conf import settings

from .years import CollectionYear

DRIVER = Path(__file__).resolve().parent / "validator_driver.py"
XSD_ERROR_LIMIT = 50  # enough to fix a systematic fault; a broken export would repeat one error
VALIDATOR_TIMEOUT_SECONDS = 2 * 60 * 60  # the DfE rules take many minutes on a large return


class ValidatorUnavailable(RuntimeError):
    """The isolated validator is not installed (run `make cin-validator`) or it failed to run."""


def validator_python() -> Path:
    """The isolated interpreter: OSG_CIN_VALIDATOR_PYTHON, else .venv-cin/ in the project."""
    configured = os.environ.get("OSG_CIN_VALIDATOR_PYTHON")
    return Path(configured) if configured else Path(settings.BASE_DIR) / ".venv-cin" / "bin" / "python"


def validator_available() -> bool:
    return validator_python().exists()


@dataclass(frozen=True)
class Issue:
    child_id: str  # LAchildID; "" for LA-level issues
    rule_code: str
    severity: str  # ERROR or QUERY
    message: str
    fields: tuple[str, ...] = ()

    @property
    def is_error(self) -> bool:
        return self.severity == "ERROR"


@dataclass
class Report:
    year: CollectionYear
    xsd_errors: list[str] = field(default_factory=list)
    xsd_error_count: int = 0
    child_issues: list[Issue] = field(default_factory=list)
    la_issues: list[Issue] = field(default_factory=list)
    rule_count: int = 0
    rules_ran: bool = False

    @property
    def child_errors(self) -> list[Issue]:
        return [i for i in self.child_issues if i.is_error]

    @property
    def child_queries(self) -> list[Issue]:
        return [i for i in self.child_issues if not i.is_error]

    @property
    def passed(self) -> bool:
        """No XSD error and no child-level ERROR rule: the return can be submitted."""
        return self.xsd_error_count == 0 and not self.child_errors and self.rules_ran

    def as_dict(self) -> dict[str, Any]:
        return {
            "year": self.year.label,
            "xsd_errors": self.xsd_errors,
            "xsd_error_count": self.xsd_error_count,
            "rule_count": self.rule_count,
            "rules_ran": self.rules_ran,
            "child_issues": [_issue_dict(i) for i in self.child_issues],
            "la_issues": [_issue_dict(i) for i in self.la_issues],
        }


def _issue_dict(issue: Issue) -> dict[str, Any]:
    return {
        "child_id": issue.child_id,
        "rule_code": issue.rule_code,
        "severity": issue.severity,
        "message": issue.message,
        "fields": list(issue.fields),
    }


def check_xsd(path: Path, year: CollectionYear) -> tuple[list[str], int]:
    """The first XSD_ERROR_LIMIT errors (as text) and how many there were. Reads the file lazily."""
    schema = xmlschema.XMLSchema(str(year.xsd_path))
    resource = xmlschema.XMLResource(str(path), lazy=True)
    shown: list[str] = []
    count = 0
    for error in schema.iter_errors(resource):
        count += 1
        if len(shown) < XSD_ERROR_LIMIT:
            shown.append(f"{error.path}: {error.reason}")
    return shown, count


def check_rules(path: Path, year: CollectionYear) -> dict[str, Any]:
    """Run the DfE rules for `year` on the file in the isolated validator; its JSON as a dict."""
    python = validator_python()
    if not python.exists():
        raise ValidatorUnavailable(f"The CIN census validator is not installed at {python}: run `make cin-validator`")
    completed = subprocess.run(  # noqa: S603 - fixed argv: our interpreter, our driver, our file
        [str(python), str(DRIVER), str(path), year.ruleset],
        capture_output=True,
        text=True,
        timeout=VALIDATOR_TIMEOUT_SECONDS,
        check=False,
        env={"PATH": os.environ.get("PATH", ""), "PYTHONWARNINGS": "ignore", "LANG": "C.UTF-8"},
    )
    if completed.returncode != 0:
        tail = (completed.stderr or "").strip().splitlines()[-5:]
        raise ValidatorUnavailable("The CIN census validator failed: " + " / ".join(tail))
    data: dict[str, Any] = json.loads(completed.stdout)
    return data


def validate(path: Path, year: CollectionYear, *, rules: bool = True) -> Report:
    """Check the export at `path`: the XSD always, the DfE rules when `rules` (and the XSD passed
    well enough to be parsed: the validator's ingress assumes a well-formed file)."""
    report = Report(year=year)
    report.xsd_errors, report.xsd_error_count = check_xsd(path, year)
    if not rules:
        return report
    data = check_rules(path, year)
    report.rules_ran = True
    report.rule_count = int(data.get("rule_count", 0))
    report.child_issues = [_issue(i) for i in data.get("child_issues", [])]
    report.la_issues = [_issue(i) for i in data.get("la_issues", [])]
    return report


def _issue(raw: dict[str, Any]) -> Issue:
    return Issue(
        child_id=str(raw.get("child_id", "")),
        rule_code=str(raw["rule_code"]),
        severity=str(raw.get("severity", "ERROR")),
        message=str(raw.get("message", "")),
        fields=tuple(raw.get("fields", ())),
    )


def python_is_isolated() -> bool:
    """True when the validator's environment is not the one running Django (its pins stay apart).
    Both venvs' interpreters link to the same Python, so compare the environments, not the binaries."""
    return Path(sys.prefix).resolve() != validator_python().parent.parent.resolve()
