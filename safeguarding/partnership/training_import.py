"""Importing training records from a CSV file, with a report of every row rejected and why.

A file that cannot be read as a whole (not UTF-8 text, too large, no header, a required column missing,
no rows) is refused and nothing is written. Otherwise each good row is written and each bad row is
listed with its line number and reasons; a row that repeats one already recorded is rejected, so
importing the same file twice changes nothing. Workers are matched by username or email address among
the current staff of the partnership's organisations.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from safeguarding.accounts.models import Membership
from safeguarding.audit import services as audit
from safeguarding.organisations.models import Partnership

from .compliance import current_staff
from .models import TrainingKind, TrainingRecord, TrainingSource
from .services import _ensure_manager

if TYPE_CHECKING:
    from safeguarding.accounts.principal import Principal

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 10_000
REQUIRED = ("worker", "course", "completed_on", "hours", "level", "kind")
COLUMNS = (*REQUIRED, "provider")
KINDS = {
    "intercollegiate": TrainingKind.INTERCOLLEGIATE,
    "multi-agency": TrainingKind.MULTI_AGENCY,
    "multi agency": TrainingKind.MULTI_AGENCY,
}


class UnusableFile(Exception):
    """The whole file is refused; the message says why and is safe to show."""


@dataclass
class Rejection:
    line: int
    worker: str
    reasons: list[str]


@dataclass
class ImportReport:
    imported: int = 0
    rejected: list[Rejection] = field(default_factory=list)


def _rows(content: bytes) -> list[dict[str, str]]:
    if len(content) > MAX_BYTES:
        raise UnusableFile("The file is larger than 2 MB: split it into smaller files")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnusableFile("The file is not UTF-8 text: save it from your spreadsheet as 'CSV UTF-8'") from exc
    reader = csv.DictReader(io.StringIO(text))
    headers = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [name for name in REQUIRED if name not in headers]
    if missing:
        raise UnusableFile(f"The file has no {', '.join(missing)} column: the first row must name the columns")
    reader.fieldnames = headers
    try:
        rows = [{k: (v or "").strip() for k, v in row.items() if k in COLUMNS} for row in reader]
    except csv.Error as exc:
        raise UnusableFile(f"The file is not a valid CSV file ({exc})") from exc
    if not rows:
        raise UnusableFile("The file has no rows of training records under its header")
    if len(rows) > MAX_ROWS:
        raise UnusableFile(f"The file has more than {MAX_ROWS:,} rows: split it into smaller files")
    return rows


def _staff(partnership: Partnership, today: dt.date) -> dict[str, Membership]:
    """Current staff by lower-cased username and email address (the first membership wins)."""
    staff: dict[str, Membership] = {}
    for m in current_staff(partnership, today):
        for key in (m.user.username, m.user.email):
            if key:
                staff.setdefault(key.lower(), m)
    return staff


@dataclass
class Parsed:
    membership: Membership | None = None
    course: str = ""
    provider: str = ""
    completed_on: dt.date | None = None
    hours: Decimal | None = None
    level: int | None = None
    kind: str | None = None


def _parse(row: dict[str, str], staff: dict[str, Membership], today: dt.date) -> tuple[Parsed, list[str]]:
    reasons: list[str] = []
    parsed = Parsed(membership=staff.get(row.get("worker", "").lower()))
    if not row.get("worker"):
        reasons.append("no worker: give a username or email address")
    elif parsed.membership is None:
        reasons.append("no current member of staff in this partnership has that username or email address")
    parsed.course = row.get("course", "")
    if not parsed.course:
        reasons.append("no course name")
    elif len(parsed.course) > 200:
        reasons.append("the course name is longer than 200 characters")
    parsed.provider = row.get("provider", "")[:200]
    try:
        parsed.completed_on = dt.date.fromisoformat(row.get("completed_on", ""))
        if parsed.completed_on > today:
            reasons.append("the completion date is in the future")
    except ValueError:
        reasons.append("the completion date is not a date like 2026-03-31")
    try:
        hours = Decimal(row.get("hours", ""))
        if not hours.is_finite() or not (Decimal("0") < hours <= Decimal("100")) or hours != round(hours, 2):
            raise InvalidOperation
        parsed.hours = hours
    except InvalidOperation:
        reasons.append("the hours must be a number more than 0 and at most 100, like 3.5")
    level = row.get("level", "")
    if level in {"1", "2", "3", "4", "5"}:
        parsed.level = int(level)
    else:
        reasons.append("the level must be a whole number from 1 to 5")
    parsed.kind = KINDS.get(row.get("kind", "").lower())
    if parsed.kind is None:
        reasons.append("the kind must be 'intercollegiate' or 'multi-agency'")
    return parsed, reasons


@transaction.atomic
def import_training(
    *, principal: Principal, now: dt.datetime, partnership: Partnership, content: bytes
) -> ImportReport:
    """Write the good rows, report the bad ones; raise UnusableFile (writing nothing) for an unusable file."""
    _ensure_manager(principal, "partnership.training.imported")
    rows = _rows(content)
    today = timezone.localdate(now)
    staff = _staff(partnership, today)
    existing = set(
        TrainingRecord.objects.filter(worker_id__in={m.user_id for m in staff.values()}).values_list(
            "worker_id", "course", "completed_on"
        )
    )
    report = ImportReport()
    to_write: list[TrainingRecord] = []
    for line, row in enumerate(rows, start=2):  # line 1 is the header
        p, reasons = _parse(row, staff, today)
        m = p.membership
        if not reasons and m is not None and p.completed_on is not None:
            key = (m.user_id, p.course, p.completed_on)
            if key in existing:
                reasons.append("this course on this date is already recorded for this worker (or earlier in the file)")
            existing.add(key)
        if reasons or m is None or p.completed_on is None or p.hours is None or p.level is None or p.kind is None:
            report.rejected.append(Rejection(line, row.get("worker", ""), reasons))
            continue
        to_write.append(
            TrainingRecord(
                worker_id=m.user_id,
                organisation_id=m.organisation_id,
                team_id=m.team_id,
                course=p.course,
                completed_on=p.completed_on,
                hours=p.hours,
                provider=p.provider,
                kind=p.kind,
                level=p.level,
                source=TrainingSource.CSV,
                recorded_at=now,
                recorded_by=principal.user,
            )
        )
    TrainingRecord.objects.bulk_create(to_write)
    report.imported = len(to_write)
    audit.record(
        principal=principal,
        action="partnership.training.imported",
        at=now,
        object_type="partnership",
        object_id=str(partnership.public_id),
        details={"imported": report.imported, "rejected": len(report.rejected)},
    )
    return report
