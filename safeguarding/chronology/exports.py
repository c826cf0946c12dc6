"""Chronology exports for conferences and reviews: CSV (safe to open in a spreadsheet) and an A4 PDF.

A spreadsheet runs a cell that begins with = + - @ (or a tab or carriage return before one) as a formula,
so a partner's text such as "=HYPERLINK(...)" could run on a worker's machine: such cells are prefixed
with a single quote (OWASP, CSV injection). The PDF carries the protective marking on every page.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from fpdf import FPDF
from fpdf.fonts import FontFace

from .models import ChronologyEntry

MARKING = "OFFICIAL-SENSITIVE"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
FONTS = Path(__file__).resolve().parent / "fonts"  # DejaVu Sans: every name in Latin, Greek and Cyrillic


def safe_cell(value: object) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_START) else text


@dataclass(frozen=True)
class Heading:
    """What the exported document says about itself."""

    title: str  # "Chronology of Testchild Example"
    subject: str  # the child's name and date of birth
    filter: str  # the filter in words
    exported: str  # when and by whom
    family: bool  # one column per child named


CSV_COLUMNS = [
    "Child",
    "Date of event",
    "Category",
    "What happened",
    "Impact on the child",
    "Significance",
    "Agency",
    "Recorded by",
    "Recorded on",
    "Recorded later: reason",
]


def _row(entry: ChronologyEntry) -> list[str]:
    return [
        entry.person.display_name,
        entry.occurred_on.isoformat(),
        entry.category,
        entry.summary,
        entry.impact,
        entry.get_significance_display(),
        entry.agency_label,
        str(entry.recorded_by) if entry.recorded_by else "The system",
        entry.recorded_at.date().isoformat(),
        (entry.backdated_reason or "Yes") if entry.is_backdated else "",
    ]


def to_csv(entries: Iterable[ChronologyEntry]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for entry in entries:
        writer.writerow([safe_cell(value) for value in _row(entry)])
    return "\ufeff" + out.getvalue()  # the byte order mark makes spreadsheets read UTF-8 names correctly


class _Document(FPDF):
    def __init__(self) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
        self.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        self.set_margins(15, 18, 15)
        self.set_auto_page_break(auto=True, margin=18)
        self.alias_nb_pages()

    def header(self) -> None:
        self.set_y(8)
        self.set_font("DejaVu", "B", 9)
        self.cell(0, 5, MARKING, align="C")
        self.set_y(18)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("DejaVu", "", 8)
        self.cell(90, 5, MARKING)
        self.cell(0, 5, f"Page {self.page_no()} of {{nb}}", align="R")


def to_pdf(entries: list[ChronologyEntry], heading: Heading) -> bytes:
    pdf = _Document()
    pdf.set_title(heading.title)
    pdf.set_creator("Open Safeguarding")
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 16)
    pdf.multi_cell(0, 8, heading.title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 10)
    for line in (heading.subject, heading.filter, heading.exported, f"{len(entries)} events, most recent first"):
        pdf.multi_cell(0, 5.5, line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    if not entries:
        pdf.multi_cell(0, 6, "No events match this filter.", new_x="LMARGIN", new_y="NEXT")
        return bytes(pdf.output())
    widths = (24, 30, 76, 22, 28) if heading.family else (24, 98, 24, 34)
    names = (
        ["Date", "Child", "What happened", "Significance", "Agency"]
        if heading.family
        else [
            "Date",
            "What happened",
            "Significance",
            "Agency",
        ]
    )
    pdf.set_font("DejaVu", "", 8.5)
    bold = FontFace(emphasis="BOLD", fill_color=(235, 235, 235))
    with pdf.table(
        col_widths=widths,
        text_align="LEFT",
        line_height=4.4,
        headings_style=bold,
        padding=1.5,
        first_row_as_headings=True,
    ) as table:
        table.row(names)
        for entry in entries:
            same = entry.summary.lower().startswith(entry.category.lower())  # "Visit: Visit: ..." reads badly
            what = entry.summary if same else f"{entry.category}: {entry.summary}"
            if entry.impact:
                what += f"\nImpact on the child: {entry.impact}"
            if entry.is_backdated:
                when = entry.recorded_at.date().strftime("%-d %b %Y")
                what += f"\nRecorded later, on {when}" + (
                    f": {entry.backdated_reason}" if entry.backdated_reason else ""
                )
            agency = entry.agency_label or "Not recorded"
            if entry.recorded_by:
                agency += f"\n{entry.recorded_by}"
            cells = [entry.occurred_on.strftime("%-d %b %Y")]
            if heading.family:
                cells.append(entry.person.display_name)
            cells += [what, entry.get_significance_display(), agency]
            table.row(cells)
    return bytes(pdf.output())


def export_name(kind: str, on: dt.date, *, family: bool) -> str:
    return f"{'family-' if family else ''}chronology-{on.isoformat()}.{kind}"
