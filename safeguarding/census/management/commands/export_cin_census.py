"""Write one local authority's CIN census XML for a collection year, then check it.

    python manage.py export_cin_census --year 2025-26 --out cin.xml [--la 991] [--skip-rules] [--report r.json]

Exits non-zero when the file breaks the XSD or any child-level ERROR rule of the DfE validator
(QUERY rules and LA-level rules are listed, not failed on: statutory.md §0.3).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone
from tqdm import tqdm

from safeguarding.audit import services as audit
from safeguarding.census import export, validation
from safeguarding.census.years import YEARS, CollectionYear, year_for
from safeguarding.organisations.models import Organisation

SHOWN_ISSUES = 20


class Command(BaseCommand):
    help = "Export the CIN census XML for one local authority and check it against the XSD and the DfE rules."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", required=True, help=f"Collection year: {', '.join(YEARS)}")
        parser.add_argument("--out", required=True, type=Path, help="Where to write the XML")
        parser.add_argument("--la", help="DfE LA code (three digits); required when the database holds several")
        parser.add_argument("--skip-rules", action="store_true", help="Check the XSD only, not the DfE rules")
        parser.add_argument("--report", type=Path, help="Also write the validation results as JSON here")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            year = year_for(options["year"])
        except ValueError as error:
            raise CommandError(str(error)) from None
        la = self._authority(options.get("la"))
        out: Path = options["out"]
        now = timezone.now()

        total = export.child_count(la, year)
        bar = tqdm(
            total=total,
            unit="child",
            desc=f"CIN census {year.label}",
            file=sys.stderr,
            disable=not sys.stderr.isatty() or total < 1000,  # only long exports, only on a terminal
        )
        with bar, transaction.atomic():
            result = export.export_to_file(out, local_authority=la, year=year, now=now, progress=bar.update)
            audit.record(
                principal=None,
                action="census.exported",
                at=now,
                object_type="census",
                object_id=f"{la.dfe_la_code}/{year.label}",
                actor_name="export_cin_census",
                details={"year": year.label, "children": result.children, "file": out.name},
            )
        self.stdout.write(
            f"Wrote {out}: {result.children} children, {result.episodes} episodes "
            f"(CIN census {year.label}, LA {la.dfe_la_code} {la.name})."
        )
        if year.provisional:
            self.stdout.write(f"Note: {year.label} is provisional: written in the latest published form.")
        if result.children == 0:
            self.stdout.write("Note: no child was referred or open in this year, so the file fails the XSD.")

        try:
            report = validation.validate(out, year, rules=not options["skip_rules"])
        except validation.ValidatorUnavailable as error:
            raise CommandError(str(error)) from None
        self._summarise(report, year, skip_rules=options["skip_rules"])
        if options.get("report"):
            options["report"].write_text(json.dumps(report.as_dict(), indent=2))
        if report.xsd_error_count or report.child_errors:
            raise CommandError(
                f"The return is not ready: {report.xsd_error_count} XSD errors, "
                f"{len(report.child_errors)} child-level errors"
            )

    def _authority(self, code: str | None) -> Organisation:
        authorities = list(export.local_authorities())
        listed = ", ".join(f"{la.dfe_la_code or '(no code)'} {la.name}" for la in authorities)
        if code:
            for la in authorities:
                if la.dfe_la_code == code:
                    return la
            raise CommandError(f"No local authority with DfE code {code!r}. This database holds: {listed or 'none'}")
        if not authorities:
            raise CommandError("This database holds no local authority")
        if len(authorities) > 1:
            raise CommandError(
                f"This database holds {len(authorities)} local authorities ({listed}): choose one with --la CODE"
            )
        la = authorities[0]
        if not la.dfe_la_code:
            raise CommandError(f"{la.name} has no DfE LA code: set it before making a return")
        return la

    def _summarise(self, report: validation.Report, year: CollectionYear, *, skip_rules: bool) -> None:
        if report.xsd_error_count:
            self.stdout.write(f"XSD ({year.xsd_name}): {report.xsd_error_count} errors")
            for line in report.xsd_errors[:SHOWN_ISSUES]:
                self.stdout.write(f"  {line}")
        else:
            self.stdout.write(f"XSD ({year.xsd_name}): valid")
        if skip_rules:
            self.stdout.write("DfE rules: not run (--skip-rules)")
            return
        errors, queries = report.child_errors, report.child_queries
        self.stdout.write(
            f"DfE rules ({year.ruleset}, {report.rule_count} rules): "
            f"{len(errors)} child-level errors, {len(queries)} child-level queries"
        )
        for issue in (errors + queries)[:SHOWN_ISSUES]:
            self.stdout.write(f"  {issue.severity} {issue.rule_code} child {issue.child_id}: {issue.message}")
        if len(errors) + len(queries) > SHOWN_ISSUES:
            self.stdout.write(f"  ... and {len(errors) + len(queries) - SHOWN_ISSUES} more (see --report)")
        for issue in report.la_issues:
            self.stdout.write(f"  LA-level {issue.severity} {issue.rule_code}: {issue.message}")
