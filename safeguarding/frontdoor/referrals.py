"""Reads of partner referrals (ADR 0025). A referrer reads back only their own referrals and, once sent,
the front door's feedback: never the child's record, the RAG or the decision. The front door reads the
referrals sent to its local authority. Every read is audited; refusals too. The one write here is the
submitter's read receipt of the feedback (`feedback_seen_at`), made by the audited read that shows it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from safeguarding.accounts.principal import Principal
from safeguarding.accounts.roles import Capability
from safeguarding.audit import services as audit
from safeguarding.audit.models import Outcome

from .codes import ReferralStatus, Urgency
from .models import Contact, PartnerReferral
from .services import may_submit_referral

LIST_LIMIT = 200
OBJECT_TYPE = "partner-referral"
STATUS_HINTS = {
    ReferralStatus.RECEIVED: "The front door has your referral and will look at it.",
    ReferralStatus.BEING_LOOKED_AT: (
        "The front door is looking at your referral. It may contact you for more information."
    ),
    ReferralStatus.DECISION_MADE: "The front door has decided what happens next and will tell you.",
    ReferralStatus.FEEDBACK_SENT: "The front door has told you what happened.",
}


class NotFound(Exception):
    """No such referral for this principal (another's, or none): answered 404, audited DENIED."""


class NotAllowed(Exception):
    """The principal's role may not do this: answered 403, audited DENIED."""


@dataclass(frozen=True)
class Followed:
    """What a referrer may know about their referral: what they sent, its status and the feedback once sent."""

    referral: PartnerReferral
    status: ReferralStatus
    feedback: str
    feedback_sent_at: dt.datetime | None

    @property
    def hint(self) -> str:
        return STATUS_HINTS[self.status]

    @property
    def is_new_reply(self) -> bool:
        """The front door's feedback is there and the submitter has not opened the referral since."""
        return self.status == ReferralStatus.FEEDBACK_SENT and self.referral.feedback_seen_at is None


def _linked_contact(referral: PartnerReferral) -> Contact | None:
    try:
        return referral.contact  # type: ignore[no-any-return]
    except Contact.DoesNotExist:
        return None


def follow(referral: PartnerReferral) -> Followed:
    contact = _linked_contact(referral)
    if contact is None:
        return Followed(referral, ReferralStatus.RECEIVED, "", None)
    if contact.feedback_sent_at is not None:
        return Followed(referral, ReferralStatus.FEEDBACK_SENT, contact.feedback, contact.feedback_sent_at)
    if contact.decided_at is not None:
        return Followed(referral, ReferralStatus.DECISION_MADE, "", None)
    return Followed(referral, ReferralStatus.BEING_LOOKED_AT, "", None)


def _parse(referral_id: Any) -> uuid.UUID | None:
    try:
        return referral_id if isinstance(referral_id, uuid.UUID) else uuid.UUID(str(referral_id))
    except ValueError:
        return None


def _own(principal: Principal) -> Any:
    """Referrals the principal submitted through their acting organisation: who moves to another school
    stops following the children of the last one (memberships are read per request)."""
    assert principal.membership is not None
    return PartnerReferral.objects.filter(
        submitted_by=principal.user, referrer_organisation_id=principal.membership.organisation_id
    ).select_related("local_authority", "contact")


def refuse(principal: Principal, *, action: str, now: dt.datetime, referral_id: Any = "", basis: str) -> None:
    audit.record(
        principal=principal,
        action=action,
        at=now,
        outcome=Outcome.DENIED,
        object_type=OBJECT_TYPE,
        object_id=str(referral_id)[:80],
        basis=basis,
    )


def my_referrals(principal: Principal, *, now: dt.datetime) -> list[Followed]:
    """The referrer's own referrals, newest first, with their status (two queries, audited with those shown)."""
    if not may_submit_referral(principal):
        raise NotAllowed
    followed = [follow(r) for r in _own(principal)[:LIST_LIMIT]]
    audit.record(
        principal=principal,
        action="referral.list",
        at=now,
        object_type="list",
        details={"shown": [str(f.referral.public_id) for f in followed]},
    )
    return followed


def my_referral(principal: Principal, referral_id: Any, *, now: dt.datetime) -> Followed:
    """One of the referrer's own referrals. Anyone else's, even a colleague's at the same school, is not found."""
    action = "referral.view"
    if not may_submit_referral(principal):
        raise NotAllowed
    pid = _parse(referral_id)
    referral = _own(principal).filter(public_id=pid).first() if pid else None
    if referral is None:
        raise NotFound
    followed = follow(referral)
    contact = _linked_contact(referral)
    first_seen = followed.is_new_reply and _mark_feedback_seen(referral, now=now)
    audit.record(
        principal=principal,
        action=action,
        at=now,
        person=contact.person if contact is not None and followed.feedback else None,
        object_type=OBJECT_TYPE,
        object_id=str(referral.public_id),
        basis="submitter",
        details={
            "status": followed.status.value,
            "feedback_shown": bool(followed.feedback),
            "feedback_first_seen": first_seen,
        },
    )
    return followed


def _mark_feedback_seen(referral: PartnerReferral, *, now: dt.datetime) -> bool:
    """Record the submitter's first reading of the feedback, so "My referrals" stops tagging it "New reply".
    It is a read receipt of this audited read, written in its transaction (and named in its audit row), not a
    change to what was referred. The filter keeps the first time if two tabs open it at once."""
    marked = PartnerReferral.objects.filter(pk=referral.pk, feedback_seen_at__isnull=True).update(feedback_seen_at=now)
    if marked:
        referral.feedback_seen_at = now
    return marked == 1


# The front door's side


def may_accept(principal: Principal) -> bool:
    return principal.membership is not None and principal.can(Capability.SCREEN_CONTACTS)


URGENCY_ORDER = {Urgency.IMMEDIATE: 0, Urgency.SAME_DAY: 1, Urgency.ROUTINE: 2, "": 2}


def waiting_referrals(principal: Principal, *, now: dt.datetime) -> list[PartnerReferral]:
    """Referrals sent to the principal's local authority and not yet accepted: immediate first, then same day,
    then the oldest. One query; audited with those shown."""
    if not may_accept(principal):
        return []
    waiting = list(
        PartnerReferral.objects.filter(local_authority_id=principal.organisation_id, accepted_at__isnull=True)
        .select_related("referrer_organisation")
        .order_by("submitted_at", "id")[:LIST_LIMIT]
    )
    waiting.sort(key=lambda r: (URGENCY_ORDER[r.urgency], r.submitted_at))
    audit.record(
        principal=principal,
        action="frontdoor.referrals",
        at=now,
        object_type="list",
        details={"shown": [str(r.public_id) for r in waiting]},
    )
    return waiting


def referral_for_front_door(
    principal: Principal, referral_id: Any, *, now: dt.datetime, action: str
) -> PartnerReferral:
    """A referral sent to the principal's local authority, for its front door (audited, basis front-door).
    Another authority's referral is not found; a role that does not screen contacts is not allowed."""
    if not may_accept(principal):
        raise NotAllowed
    pid = _parse(referral_id)
    referral = (
        PartnerReferral.objects.filter(public_id=pid, local_authority_id=principal.organisation_id)
        .select_related("submitted_by", "referrer_organisation", "accepted_by", "local_authority", "contact__person")
        .first()
        if pid
        else None
    )
    if referral is None:
        raise NotFound
    audit.record(
        principal=principal,
        action=action,
        at=now,
        object_type=OBJECT_TYPE,
        object_id=str(referral.public_id),
        basis="front-door",
    )
    return referral
