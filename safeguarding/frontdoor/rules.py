"""Front door timescales: named functions of the local standards (safeguarding.standards).

Each is shown and measured, never enforced (Munro: professional judgement over national timescales).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from safeguarding.standards import rules as standards
from safeguarding.standards.models import Unit


def decision_due_on(local_authority_id: int, received_at: dt.datetime) -> dt.date:
    """CONTACT_DECISION (default 1 working day, Working Together to Safeguard Children) from the day of receipt,
    in working days without weekends and England bank holidays."""
    standard = standards.standard_for(local_authority_id, "CONTACT_DECISION")
    return standards.due_date(standard, timezone.localdate(received_at))


def information_due_at(local_authority_id: int, requested_at: dt.datetime) -> dt.datetime:
    """MASH_INFORMATION_REQUEST (default 4 hours, local MASH protocol) from the moment of the request.

    A standard in hours counts clock hours (a MASH works a rota); one in days is due by the end of the due day."""
    standard = standards.standard_for(local_authority_id, "MASH_INFORMATION_REQUEST")
    if standard.unit == Unit.HOURS:
        return requested_at + dt.timedelta(hours=standard.amount)
    day = standards.due_date(standard, timezone.localdate(requested_at))
    end_of_day = dt.datetime.combine(day, dt.time(23, 59, 59))
    return timezone.make_aware(end_of_day, timezone.get_current_timezone())
