"""The one way to write an audit row. Call it inside the transaction of the read or write."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ParamSpec

from django.db import transaction

from safeguarding.core import rows

from .models import AuditEvent, Channel, Outcome

if TYPE_CHECKING:
    from safeguarding.accounts.principal import Principal
    from safeguarding.people.models import Person

P = ParamSpec("P")


def build(
    *,
    principal: Principal | None,
    action: str,
    at: dt.datetime,
    outcome: str = Outcome.ALLOWED,
    person: Person | None = None,
    object_type: str = "",
    object_id: str = "",
    reason: str = "",
    basis: str = "",
    details: dict[str, Any] | None = None,
    actor_name: str = "",
    channel: str | None = None,
    request_id: str = "",
    ip_address: str | None = None,
) -> AuditEvent:
    """The AuditEvent record() would insert, unsaved. Only for a writer that inserts it in the very statement
    that writes its data, so that they commit together without a transaction round trip (the FHIR flag
    look-up, flags.recording, ADR 0029); everything else calls record(), which takes the same keywords."""
    membership = principal.membership if principal else None
    user = principal.user if principal else None
    return AuditEvent(
        at=at,
        actor=user,
        actor_name=actor_name or (str(user) if user else ""),
        membership=membership,
        role=membership.role if membership else "",
        organisation_id=membership.organisation_id if membership else None,
        action=action,
        outcome=outcome,
        person=person,
        object_type=object_type or ("person" if person is not None else ""),
        object_id=object_id or (str(person.public_id) if person is not None else ""),
        reason=reason,
        basis=basis,
        channel=channel or (principal.channel if principal else Channel.COMMAND),
        request_id=request_id or (principal.request_id if principal else ""),
        ip_address=ip_address or (principal.ip_address if principal else None),
        details=details or {},
    )


def _inserted(make: Callable[P, AuditEvent]) -> Callable[P, AuditEvent]:
    """record(): build()'s keywords (the type checker sees them), the row inserted in the caller's transaction."""

    @functools.wraps(make)
    def record(*args: P.args, **kwargs: P.kwargs) -> AuditEvent:
        if not transaction.get_connection().in_atomic_block:
            raise RuntimeError("audit.record must be called inside transaction.atomic()")
        # core.rows.insert: the same row as objects.create, with a prepared statement (every request writes one).
        return rows.insert(make(*args, **kwargs))

    record.__doc__ = "Insert one AuditEvent. Must run inside an atomic block so it commits with the data."
    return record


record = _inserted(build)
