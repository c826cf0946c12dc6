"""The CIN census collection years we can export, and what differs between them.

Records keep native codes (casework.codes, people.codes); each year says how to write them.
To add a year: one `CollectionYear` row, its XSD in `schemas/`, the validator ruleset name,
and a golden-file test. Sources: statutory.md §0.4 (year changes) and §2.1 (rulesets).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

SCHEMAS = Path(__file__).resolve().parent / "schemas"


def _identity() -> Mapping[str, str]:
    return MappingProxyType({})


@dataclass(frozen=True)
class CollectionYear:
    label: str  # "2025-26"
    end_year: int  # Header/Year is the census end year
    xsd_name: str
    ruleset: str  # the csc-validator-be-cin rules package
    # Element that carries the child's sex and how native people.codes.Sex maps to it
    # (2024-25 replaced <GenderCurrent> 1/2/0/9 with <Sex> M/F/U).
    sex_element: str = "Sex"
    sex_codes: Mapping[str, str] = field(default_factory=_identity)
    # Native factor code -> this year's code (e.g. 18B/18C were 18A before 2020-21).
    factor_codes: Mapping[str, str] = field(default_factory=_identity)
    # Codes that did not exist yet in this year (5D and RC9 arrived in 2023-24, 24A in 2022-23).
    unknown_codes: frozenset[str] = frozenset()
    primary_need_n1_label: str = "Abuse, neglect and exploitation"
    # True while DfE has not published the year's specification and we export to the latest known one.
    provisional: bool = False

    @property
    def start(self) -> dt.date:
        """1 April: the first day of the collection year."""
        return dt.date(self.end_year - 1, 4, 1)

    @property
    def reference_date(self) -> dt.date:
        """31 March: the census day and the last day of the collection year."""
        return dt.date(self.end_year, 3, 31)

    @property
    def xsd_path(self) -> Path:
        return SCHEMAS / self.xsd_name

    def sex(self, native: str) -> str:
        return self.sex_codes.get(native, native)

    def factor(self, native: str) -> str:
        return self.factor_codes.get(native, native)


YEARS: dict[str, CollectionYear] = {
    year.label: year
    for year in (
        CollectionYear(
            label="2024-25",
            end_year=2025,
            xsd_name="CIN_schema_2024-25.xsd",
            ruleset="cin2024_25",
            primary_need_n1_label="Abuse or neglect",
        ),
        CollectionYear(label="2025-26", end_year=2026, xsd_name="CIN_schema_2025-26.xsd", ruleset="cin2025_26"),
        # 2026-27 is expected to add a PreProceedingsandFGDM module, seen only in the validator's fake
        # data (statutory.md §1.2): until DfE publishes the specification, the 2025-26 form and the
        # validator's 2026-27 rules (the same 109 rules), so the returns page works all year.
        CollectionYear(
            label="2026-27",
            end_year=2027,
            xsd_name="CIN_schema_2025-26.xsd",
            ruleset="cin2026_27",
            provisional=True,
        ),
    )
}


def year_for(label: str) -> CollectionYear:
    """The collection year called `label` ("2025-26"); ValueError names the supported ones."""
    try:
        return YEARS[label]
    except KeyError:
        raise ValueError(f"No CIN census collection {label!r}: supported years are {', '.join(YEARS)}") from None


def year_containing(day: dt.date) -> CollectionYear | None:
    """The collection year (1 April to 31 March) that `day` falls in, if we support it."""
    end_year = day.year + 1 if day.month >= 4 else day.year
    return YEARS.get(f"{end_year - 1}-{end_year % 100:02d}")


def current_or_latest(day: dt.date) -> CollectionYear:
    """The year `day` falls in, or the latest supported year (for dates past our last year)."""
    return year_containing(day) or max(YEARS.values(), key=lambda y: y.end_year)
