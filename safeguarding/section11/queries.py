"""Reads for the section 11 pages: the comparison matrix and chart figures, and actions overdue first.

Each is a fixed number of queries whatever the number of organisations, standards or cycles.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from safeguarding.organisations.models import Organisation, Partnership

from .models import Action, ActionStatus, Assessment, Cycle, Rag, Rating, Standard


@dataclass
class Counts:
    """How many ratings are red, amber, green or not yet rated, for one bar of a chart."""

    label: str
    red: int = 0
    amber: int = 0
    green: int = 0
    unrated: int = 0

    @property
    def total(self) -> int:
        return self.red + self.amber + self.green + self.unrated

    def segments(self, width: int = 400) -> list[tuple[int, int, str, str, int]]:
        """(x, width, fill, label, count) of each non-empty part of a stacked bar `width` wide."""
        parts = [
            (self.red, "#d4351c", "red"),
            (self.amber, "#f47738", "amber"),
            (self.green, "#00703c", "green"),
            (self.unrated, "#b1b4b6", "not rated"),
        ]
        out, x, done = [], 0, 0
        for count, fill, label in parts:
            if not count:
                continue
            done += count
            end = round(width * done / self.total)
            out.append((x, end - x, fill, label, count))
            x = end
        return out

    def add(self, rag: str) -> None:
        name = {Rag.RED: "red", Rag.AMBER: "amber", Rag.GREEN: "green"}.get(rag, "unrated")  # type: ignore[call-overload]
        setattr(self, name, getattr(self, name) + 1)


@dataclass
class Row:
    organisation: Organisation
    assessment: Assessment
    cells: list[Rating | None] = field(default_factory=list)


@dataclass
class Comparison:
    cycle: Cycle
    standards: list[Standard]
    rows: list[Row]
    by_organisation: list[Counts]
    by_standard: list[Counts]


def comparison(cycle: Cycle) -> Comparison:
    """Organisations × standards for one cycle: the agreed RAG where moderated, else the organisation's own."""
    standards = list(cycle.standards.order_by("number"))
    assessments = list(cycle.assessments.select_related("organisation").order_by("organisation__name"))
    ratings = Rating.objects.filter(assessment__cycle=cycle).select_related("standard")
    grid: dict[tuple[int, int], Rating] = {(r.assessment_id, r.standard_id): r for r in ratings}
    rows, by_org = [], []
    by_standard = {s.id: Counts(label=f"{s.number}. {s.title}") for s in standards}
    for assessment in assessments:
        row = Row(assessment.organisation, assessment)
        counts = Counts(label=assessment.organisation.name)
        for standard in standards:
            rating = grid.get((assessment.id, standard.id))
            row.cells.append(rating)
            rag = rating.final_rag if rating else ""
            counts.add(rag)
            by_standard[standard.id].add(rag)
        rows.append(row)
        by_org.append(counts)
    return Comparison(cycle, standards, rows, by_org, list(by_standard.values()))


def cycles_over_time(partnership: Partnership) -> list[Counts]:
    """One bar per cycle, oldest first: every rating of the cycle by its final RAG."""
    cycles = list(Cycle.objects.filter(partnership=partnership).order_by("opens_on"))
    totals = {c.id: Counts(label=c.name) for c in cycles}
    for cycle_id, rag, agreed in Rating.objects.filter(assessment__cycle__partnership=partnership).values_list(
        "assessment__cycle_id", "rag", "agreed_rag"
    ):
        totals[cycle_id].add(agreed or rag)
    return list(totals.values())


def actions_overdue_first(actions: QuerySet[Action], today: dt.date) -> QuerySet[Action]:
    """Open overdue actions first (oldest due first), then open ones by due date, then complete ones."""
    rank = Case(
        When(Q(status=ActionStatus.OPEN) & Q(due_on__lt=today), then=Value(0)),
        When(status=ActionStatus.OPEN, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return (
        actions.annotate(rank=rank)
        .select_related("assessment__organisation", "assessment__cycle", "standard")
        .order_by("rank", "due_on", "id")
    )
