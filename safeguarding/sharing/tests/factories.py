"""Makers for information-sharing tests (synthetic data only)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from safeguarding.accounts.models import User
from safeguarding.people.models import Person
from safeguarding.sharing import services
from safeguarding.sharing.models import SharingDecision
from tests import factories as f

NOW = dt.datetime(2026, 11, 2, 10, 0, tzinfo=dt.UTC)


def decision_args(**overrides: Any) -> dict[str, Any]:
    args: dict[str, Any] = {
        "decided_on": timezone.localdate(NOW),
        "decision": "SHARE",
        "reason": "The school needs to know to keep the child safe at school",
        "description": "The child protection plan and who may collect the child",
        "categories": ["IDENTITY", "SOCIAL_CARE"],
        "consent": "GIVEN",
        "lawful_basis": "PUBLIC_TASK",
        "recipient_name": "Testperson Dsl",
        "recipient_role": "Designated safeguarding lead",
    }
    return args | overrides


def make_decision(person: Person, by: User, *, now: dt.datetime = NOW, **overrides: Any) -> SharingDecision:
    args = decision_args(**overrides)
    return services.record_decision(person=person, principal=f.principal_for(by), now=now, **args)
