"""NHS-number matching for the children a local authority must flag to health (issue 4 §4, domain.md §1.6).

In scope: children on an open child protection plan, children looked after (an open LookedAfterPeriod),
and unborn children on a plan, whose flag is held against the pregnant person (so it is the pregnant
person's NHS number that must match). An authority may not go live until at least 95% match; it should
aim for 100%. The check digit proves syntax only: identity needs a PDS trace (domain.md §2).

Three queries whatever the number of children. Audited with the children shown.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal

from django.db.models import Q
from django.utils import timezone

from safeguarding.accounts.principal import Principal
from safeguarding.accounts.roles import Capability
from safeguarding.audit import services as audit
from safeguarding.care.models import LookedAfterPeriod
from safeguarding.casework.models import ChildProtectionPlan
from safeguarding.organisations.models import Organisation
from safeguarding.people.codes import PersonKind
from safeguarding.people.identifiers import InvalidNhsNumber, clean_nhs_number
from safeguarding.people.models import Person

GOAL_PERCENT = Decimal(95)  # CP-IS go-live threshold (domain.md §1.6)
CPP, LAC, UCPP = "CPP", "LAC", "UCPP"
REASON_LABELS = {CPP: "Child protection plan", LAC: "Looked after", UCPP: "Unborn, on a child protection plan"}
MISSING = "No NHS number recorded"
NO_PREGNANT_PERSON = "No pregnant person recorded (the flag is held against their NHS number)"


@dataclass
class Unmatched:
    person: Person  # the child (or unborn child) in scope
    holder: Person | None  # whose NHS number must match: the child, or the pregnant person
    reasons: list[str]
    problem: str

    @property
    def reason_labels(self) -> list[str]:
        return [REASON_LABELS[r] for r in self.reasons]

    @property
    def to_fix(self) -> Person:
        return self.holder or self.person


@dataclass
class Report:
    authority: Organisation
    in_scope: int
    matched: int
    unmatched: list[Unmatched] = field(default_factory=list)

    @property
    def rate(self) -> Decimal | None:
        """Percentage matched, rounded down to one decimal place (99.96% is not 100%)."""
        if not self.in_scope:
            return None
        return (Decimal(self.matched * 100) / self.in_scope).quantize(Decimal("0.1"), rounding=ROUND_FLOOR)

    @property
    def goal(self) -> Decimal:
        return GOAL_PERCENT

    @property
    def meets_goal(self) -> bool:
        return self.rate is not None and self.rate >= GOAL_PERCENT


def can_view(principal: Principal) -> bool:
    return principal.can(Capability.VIEW_RETURNS) and principal.membership is not None


def problem_with(nhs_number: str) -> str:
    """'' for a valid NHS number, else what is wrong with it."""
    if not nhs_number.strip():
        return MISSING
    try:
        clean_nhs_number(nhs_number)
    except InvalidNhsNumber as invalid:
        return str(invalid)
    return ""


def _open_on(today: dt.date) -> Q:
    return Q(start_date__lte=today) & (Q(end_date__isnull=True) | Q(end_date__gt=today))


def nhs_number_report(authority: Organisation, *, today: dt.date) -> Report:
    reasons: dict[int, set[str]] = {}
    for person_id in ChildProtectionPlan.objects.filter(
        _open_on(today), episode__local_authority=authority
    ).values_list("episode__person_id", flat=True):
        reasons.setdefault(person_id, set()).add(CPP)
    for person_id in LookedAfterPeriod.objects.filter(_open_on(today), local_authority=authority).values_list(
        "person_id", flat=True
    ):
        reasons.setdefault(person_id, set()).add(LAC)
    people = Person.objects.filter(id__in=reasons, merged_into__isnull=True).select_related("pregnant_person")
    matched = 0
    unmatched = []
    in_scope = 0
    for person in people.order_by("family_name", "given_name", "id"):
        in_scope += 1
        why = reasons[person.pk]
        holder: Person | None = person
        if person.kind == PersonKind.UNBORN and CPP in why:
            why = (why - {CPP}) | {UCPP}
            holder = person.pregnant_person
        problem = problem_with(holder.nhs_number) if holder else NO_PREGNANT_PERSON
        if problem:
            order = [CPP, UCPP, LAC]
            unmatched.append(Unmatched(person, holder, sorted(why, key=order.index), problem))
        else:
            matched += 1
    return Report(authority=authority, in_scope=in_scope, matched=matched, unmatched=unmatched)


def view_report(principal: Principal, *, now: dt.datetime) -> Report:
    """The report for the principal's authority, audited with the records shown."""
    assert principal.membership is not None
    report = nhs_number_report(principal.membership.organisation, today=timezone.localdate(now))
    shown = {str(u.person.public_id) for u in report.unmatched}
    shown |= {str(u.holder.public_id) for u in report.unmatched if u.holder}
    audit.record(
        principal=principal,
        action="dataquality.nhs-numbers.view",
        at=now,
        object_type="list",
        details={"in_scope": report.in_scope, "matched": report.matched, "shown": sorted(shown)},
    )
    return report
