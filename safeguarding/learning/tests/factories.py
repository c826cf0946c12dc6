"""Makers for the learning tests: a partnership manager and an incident taken to a given step."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from safeguarding.accounts.models import User
from safeguarding.accounts.roles import Role
from safeguarding.learning import services
from safeguarding.learning.codes import ReviewDecision
from safeguarding.learning.models import SeriousIncident
from safeguarding.organisations.models import Organisation, Partnership
from tests import factories as f

STEPS = ("recorded", "notified", "reviewed", "decided", "sent")


def make_partnership_manager(org: Organisation, username: str = "pat") -> User:
    return f.make_user(username, org=org, role=Role.PARTNERSHIP_MANAGER, first_name="Pat", last_name="Partnership")


def partnership_of(org: Organisation) -> Partnership:
    return Partnership.objects.get(local_authority=org)


def make_incident(
    user: User, *, to: str = "recorded", children: Any = (), reference: str = "SI-1", **kwargs: Any
) -> SeriousIncident:
    """An incident aware today, taken through the steps up to `to` (all dated today)."""
    now = timezone.now()
    today = timezone.localdate(now)
    p = f.principal_for(user)
    partnership = partnership_of(p.membership.organisation)  # type: ignore[union-attr]
    incident = services.record_incident(
        partnership=partnership,
        principal=p,
        now=now,
        reference=reference,
        aware_on=kwargs.get("aware_on", today),
        summary=kwargs.get("summary", "A child was seriously injured at home."),
        children=list(children),
        backdated_reason=kwargs.get("backdated_reason", ""),
    )
    on = kwargs.get("aware_on", today)
    steps = STEPS[1 : STEPS.index(to) + 1]
    reason = "Entered from the paper file" if on < today - dt.timedelta(days=1) else ""
    for step in steps:
        if step == "notified":
            incident = services.record_notification(
                incident=incident, principal=p, now=now, notified_on=on, backdated_reason=reason
            )
        elif step == "reviewed":
            incident = services.record_rapid_review(
                incident=incident, principal=p, now=now, held_on=on, agencies="Police\nHealth", backdated_reason=reason
            )
        elif step == "decided":
            incident = services.record_decision(
                incident=incident,
                principal=p,
                now=now,
                decision=kwargs.get("decision", ReviewDecision.LCSPR),
                rationale="The criteria are met.",
            )
        elif step == "sent":
            incident = services.record_sent_to_panel(
                incident=incident, principal=p, now=now, sent_on=on, backdated_reason=reason
            )
    return incident
