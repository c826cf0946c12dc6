"""Run the DfE CIN census rules on one XML file and print the issues as JSON.

Run by the isolated validator interpreter (`.venv-cin/bin/python`), never imported by Django:
csc-validator-be-cin pins pandas<2 and numpy<2, which must not constrain the main environment
(statutory.md §2). So this file imports nothing from the project and only the standard library
plus `cin_validator` (its Python API, statutory.md §2.4: the CLI prints no LA-level issues).

    .venv-cin/bin/python validator_driver.py FILE.xml cin2025_26

prints {"ruleset", "rule_count", "child_issues": [...], "la_issues": [...]} where each child issue
is one rule broken by one child (with the tables and fields it names) and its severity is
ERROR or QUERY, read from the rule's definition (the issue table's "rule_type" is a row type).
"""

from __future__ import annotations

import importlib
import json
import sys
import warnings
import xml.etree.ElementTree as ET


def _severity(definition: object) -> str:
    rule_type = getattr(definition, "rule_type", None)
    return "QUERY" if getattr(rule_type, "value", "") == "Query" else "ERROR"


def run(path: str, ruleset: str) -> dict[str, object]:
    warnings.simplefilter("ignore")  # pandas 1.5 deprecation noise would otherwise reach stderr
    from cin_validator import cin_validator

    registry = importlib.import_module(f"cin_validator.rules.{ruleset}").registry
    definitions = {str(code): rule for code, rule in registry.items()}
    root = ET.parse(path).getroot()  # noqa: S314
    data = cin_validator.process_data(cin_validator.convert_data(root))
    validator = cin_validator.CinValidator(data, registry, selected_rules=None)

    grouped: dict[tuple[str, str], dict[str, object]] = {}
    for row in validator.full_issue_df.to_dict("records"):
        child_id = row.get("child_id")
        code = str(row.get("rule_code"))
        if child_id is None or child_id != child_id:  # NaN: an LA-level row
            continue
        key = (str(child_id), code)
        issue = grouped.setdefault(
            key,
            {
                "child_id": str(child_id),
                "rule_code": code,
                "severity": _severity(definitions.get(code)),
                "message": str(row.get("rule_description") or ""),
                "fields": [],
            },
        )
        field = f"{row.get('tables_affected')}.{row.get('columns_affected')}"
        fields = issue["fields"]
        assert isinstance(fields, list)
        if field not in fields:
            fields.append(field)

    la_issues = []
    seen: set[str] = set()
    for row in validator.multichild_issues.to_dict("records"):
        code = str(row.get("rule_code"))
        if code in seen:
            continue
        seen.add(code)
        la_issues.append(
            {"rule_code": code, "severity": _severity(definitions.get(code)), "message": str(row["rule_description"])}
        )
    return {
        "ruleset": ruleset,
        "rule_count": len(definitions),
        "child_issues": sorted(grouped.values(), key=lambda i: (i["child_id"], i["rule_code"])),
        "la_issues": la_issues,
    }


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print("usage: validator_driver.py FILE.xml RULESET", file=sys.stderr)
        return 2
    json.dump(run(argv[1], argv[2]), sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
