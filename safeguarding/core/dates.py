"""The one definition of a back-dated record (ARCHITECTURE.md invariant 9)."""

from __future__ import annotations

import datetime as dt


def is_backdated(day: dt.date, *, recorded_on: dt.date) -> bool:
    """An event typed more than a day after it happened: it needs a reason and is shown as back-dated."""
    return day < recorded_on - dt.timedelta(days=1)
