"""Recording a decision to share, or not to share, information about a child.

Audited in the same transaction and added to the child's chronology. The rules are checked here
(not only in the form) so that the API and any other caller are held to them: a refused decision
writes nothing and its message says what is missing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from safeguarding.accounts.roles import Capability
from safeguarding.audit import services as audit
from safeguarding.chronology import services as chronology
from safeguarding.core.dates import is_backdated
from safeguarding.people.codes import PersonKind

from .codes import SPECIAL_CATEGORIES, Category, Consent, Decision, LawfulBasis, SpecialCondition
from .models import SharingDecision

if TYPE_CHECKING:
    from safeguarding.accounts.principal import Principal
    from safeguarding.organisations.models import Organisation
    from safeguarding.people.models import Person


class SharingRefused(Exception):
    """A decision refused; the message is safe to show and says what to change."""


# The closest existing capability: whoever may record a concern about a child may record a decision
# to share it (social care, early help, health). A dedicated RECORD_SHARING would be clearer.
CAPABILITY = Capability.RECORD_CONTACT
NO_ROLE = "Your role cannot record information-sharing decisions. Ask the child's social worker to record it."

NOT_A_CHILD = "Record an information-sharing decision on the child's record (or the unborn child's), not an adult's"

MESSAGES = {
    "recipient": "Enter who the information is shared with: an organisation, a named person, or both",
    "description": "Describe what information this decision is about",
    "categories": "Select at least one kind of information",
    "decision": "Select whether the information is shared",
    "reason": "Say why this decision was made",
    "basis": "Select the lawful basis for sharing (UK GDPR Article 6)",
    "no_basis": "A decision not to share has no lawful basis for sharing: leave the lawful basis empty",
    "special": "Health, ethnicity, religion and sex life are special category data: select the Article 9 "
    "condition (Article 9(2)(g) with DPA 2018 Schedule 1 paragraph 18)",
    "no_special": "Select the Article 9 condition only when sharing special category information "
    "(health, ethnicity or religion, sex life)",
    "consent": "Select whether consent was sought, given or refused",
    "not_sought": "Say why consent was not sought (for example, asking would put the child at risk)",
    "refused": "Say why the information is shared although consent was refused",
    "unanswered": "Say why the information is shared before consent was given",
    "future": "The date of the decision cannot be in the future",
    "backdated": "Say why this decision is being recorded more than a day after it was made",
}


def check(
    *,
    decision: str,
    reason: str,
    lawful_basis: str,
    special_condition: str,
    categories: Iterable[str],
    consent: str,
    consent_reason: str,
) -> list[tuple[str, str]]:
    """Every broken rule as (field, message); empty when the decision may be recorded."""
    cats = set(categories)
    problems: list[tuple[str, str]] = []
    if decision not in Decision.values:
        problems.append(("decision", MESSAGES["decision"]))
    if not reason.strip():
        problems.append(("reason", MESSAGES["reason"]))
    if not cats or not cats <= set(Category.values):
        problems.append(("categories", MESSAGES["categories"]))
    if lawful_basis and lawful_basis not in LawfulBasis.values:
        problems.append(("lawful_basis", MESSAGES["basis"]))
    if special_condition and special_condition not in SpecialCondition.values:
        problems.append(("special_condition", MESSAGES["special"]))
    if decision == Decision.SHARE:
        if not lawful_basis:
            problems.append(("lawful_basis", MESSAGES["basis"]))
        if cats & SPECIAL_CATEGORIES and not special_condition:
            problems.append(("special_condition", MESSAGES["special"]))
    elif decision == Decision.NOT_SHARE and lawful_basis:
        problems.append(("lawful_basis", MESSAGES["no_basis"]))
    if special_condition and not cats & SPECIAL_CATEGORIES:
        problems.append(("special_condition", MESSAGES["no_special"]))
    if consent not in Consent.values:
        problems.append(("consent", MESSAGES["consent"]))
    elif not consent_reason.strip():
        if consent == Consent.NOT_SOUGHT:
            problems.append(("consent_reason", MESSAGES["not_sought"]))
        elif decision == Decision.SHARE and consent == Consent.REFUSED:
            problems.append(("consent_reason", MESSAGES["refused"]))
        elif decision == Decision.SHARE and consent == Consent.SOUGHT:
            problems.append(("consent_reason", MESSAGES["unanswered"]))
    return problems


def check_date(decided_on: dt.date, *, today: dt.date, backdated_reason: str) -> list[tuple[str, str]]:
    if decided_on > today:
        return [("decided_on", MESSAGES["future"])]
    if is_backdated(decided_on, recorded_on=today) and not backdated_reason.strip():
        return [("backdated_reason", MESSAGES["backdated"])]
    return []


@transaction.atomic
def record_decision(
    *,
    person: Person,
    principal: Principal,
    now: dt.datetime,
    decided_on: dt.date,
    decision: str,
    reason: str,
    description: str,
    categories: Iterable[str],
    consent: str,
    lawful_basis: str = "",
    special_condition: str = "",
    consent_reason: str = "",
    recipient_organisation: Organisation | None = None,
    recipient_name: str = "",
    recipient_role: str = "",
    backdated_reason: str = "",
) -> SharingDecision:
    """Record the decision, audit it (`sharing.decided`) and add it to the child's chronology.

    The caller has opened the child's record through access.queries.open_person."""
    if not principal.can(CAPABILITY) or principal.membership is None:
        raise SharingRefused(NO_ROLE)
    if person.kind == PersonKind.ADULT:
        raise SharingRefused(NOT_A_CHILD)
    cats = sorted(set(categories))
    problems = []
    if recipient_organisation is None and not recipient_name.strip():
        problems.append(("recipient_name", MESSAGES["recipient"]))
    if not description.strip():
        problems.append(("description", MESSAGES["description"]))
    problems += check(
        decision=decision,
        reason=reason,
        lawful_basis=lawful_basis,
        special_condition=special_condition,
        categories=cats,
        consent=consent,
        consent_reason=consent_reason,
    )
    problems += check_date(decided_on, today=timezone.localdate(now), backdated_reason=backdated_reason)
    if problems:
        raise SharingRefused(problems[0][1])
    made = SharingDecision.objects.create(
        person=person,
        local_authority_id=person.local_authority_id,
        agency=principal.membership.organisation,
        recipient_organisation=recipient_organisation,
        recipient_name=recipient_name.strip(),
        recipient_role=recipient_role.strip(),
        description=description.strip(),
        categories=cats,
        decision=decision,
        reason=reason.strip(),
        lawful_basis=lawful_basis,
        special_condition=special_condition,
        consent=consent,
        consent_reason=consent_reason.strip(),
        decided_on=decided_on,
        decided_by=principal.user,
        recorded_at=now,
        backdated_reason=backdated_reason.strip(),
    )
    audit.record(
        principal=principal,
        action="sharing.decided",
        at=now,
        person=person,
        object_type="sharing.sharingdecision",
        object_id=str(made.public_id),
        details={
            "decision": decision,
            "lawful_basis": lawful_basis,
            "special_condition": special_condition,
            "consent": consent,
            "categories": cats,
            "recipient_organisation": str(recipient_organisation.public_id) if recipient_organisation else "",
        },
    )
    verb = "shared with" if decision == Decision.SHARE else "not shared with"
    chronology.add_entry(
        person=person,
        principal=principal,
        occurred_on=decided_on,
        category="Information sharing",
        summary=f"Information {verb} {made.recipient_label}: {made.description}"[:500],
        source_type="sharing.sharingdecision",
        source_id=str(made.public_id),
        now=now,
        backdated_reason=made.backdated_reason,
    )
    return made
