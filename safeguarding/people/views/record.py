"""The child's page, their full chronology, their access log and their family tree (read-only).

Each view opens the record through access.queries.open_person (which decides and writes the
audit row) and renders inside the same transaction; a refusal is audited on its own and
answered with a 404 (when the user may not know the record exists) or a 403 that offers
emergency access (break-glass) when their role may use it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import dateformat, timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from safeguarding.access import queries
from safeguarding.access.policy import Basis
from safeguarding.accounts.principal import Principal
from safeguarding.accounts.roles import Capability, Role
from safeguarding.audit.models import AuditEvent, Outcome
from safeguarding.people import genogram, panels
from safeguarding.people.codes import INVERSE_LABELS, RelationshipType
from safeguarding.people.models import Person, Relationship

ACCESS_LOG_PER_PAGE = 50

BASIS_REASONS = {
    Basis.OWN_INVOLVEMENT: "you are recorded as involved with them",
    Basis.TEAM_INVOLVEMENT: "your team is involved with them",
    Basis.MANAGEMENT_LINE: "you manage a team or worker involved with them",
    Basis.BREAK_GLASS: "you are using emergency access, which is time-limited and reported to auditors",
    Basis.NAMED_ACCESS: "you are named on this restricted record",
}
BASIS_LABELS = {
    "own-involvement": "Own involvement",
    "team-involvement": "Team involvement",
    "management-line": "Management line",
    "break-glass": "Emergency access",
    "named-access": "Named on a restricted record",
    "no-relationship": "Not involved",
    "no-such-record": "No such record",
}
ACTION_LABELS = {
    "person.view": "Viewed the record",
    "person.chronology.view": "Viewed the chronology",
    "person.access-log.view": "Viewed the access log",
    "person.genogram.view": "Viewed the family tree",
    "person.created": "Created the record",
    "person.updated": "Changed details",
    "person.name-added": "Added a name",
    "person.address-added": "Added an address",
    "person.relationship-added": "Recorded a relationship",
    "person.relationship-ended": "Ended a relationship",
    "person.merged": "Merged records",
    "person.restricted": "Restricted the record",
    "person.named-access-granted": "Named someone on the record",
    "family.member-added": "Added to a family",
}


def principal_of(request: HttpRequest) -> Principal:
    return request.principal  # type: ignore[attr-defined,no-any-return]


def refusal_response(request: HttpRequest, refusal: queries.Refused, *, now: dt.datetime) -> HttpResponse:
    """Audit a refused read and answer it: 404 if the user may not know the record exists, else 403.

    A refusal that names no record (a role that cannot search) is a 403."""
    queries.record_refusal(refusal, now=now)
    if refusal.public_id and not refusal.visible:
        return render(request, "errors/404.html", status=404)
    return render(request, "access/refused.html", {"refusal": refusal}, status=403)


Context = Callable[[Principal, queries.Opened, dt.datetime], dict[str, Any]]


def _respond(
    request: HttpRequest,
    public_id: object,
    *,
    action: str,
    template: str,
    context: Context,
    details: dict[str, Any] | None = None,
    content_type: str | None = None,
) -> HttpResponse:
    """Open the record for `action` and render `template` in the same transaction, or answer the refusal."""
    now = timezone.now()
    principal = principal_of(request)
    try:
        with transaction.atomic():
            opened = queries.open_person(principal, public_id, now=now, action=action, details=details)
            return render(request, template, context(principal, opened, now), content_type=content_type)
    except queries.Refused as refusal:
        return refusal_response(request, refusal, now=now)


def _page_number(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1")
    return int(raw) if raw.isdigit() and 0 < int(raw) < 100_000 else 1


@never_cache
@login_required
@require_GET
def person_detail(request: HttpRequest, public_id: object) -> HttpResponse:
    return _respond(request, public_id, action="person.view", template="people/detail.html", context=_detail)


@never_cache
@login_required
@require_GET
def person_access_log(request: HttpRequest, public_id: object) -> HttpResponse:
    number = _page_number(request)

    def context(principal: Principal, opened: queries.Opened, now: dt.datetime) -> dict[str, Any]:
        page = Paginator(queries.access_log_events(opened.person), ACCESS_LOG_PER_PAGE).get_page(number)
        return {"person": opened.person, "page": page, "rows": log_rows(page.object_list)}

    action, template = "person.access-log.view", "people/access_log.html"
    return _respond(request, public_id, action=action, template=template, context=context, details={"page": number})


@never_cache
@login_required
@require_GET
def person_genogram_svg(request: HttpRequest, public_id: object) -> HttpResponse:
    def context(principal: Principal, opened: queries.Opened, now: dt.datetime) -> dict[str, Any]:
        rels = queries.family_relationships(opened.person)
        tree = genogram.build(opened.person, [*rels.direct, *rels.second_degree], today=timezone.localdate(now))
        return {"genogram": tree}

    template, content_type = "people/_genogram_svg.html", "image/svg+xml; charset=utf-8"
    return _respond(
        request, public_id, action="person.genogram.view", template=template, context=context, content_type=content_type
    )


def _detail(principal: Principal, opened: queries.Opened, now: dt.datetime) -> dict[str, Any]:
    person = opened.person
    today = timezone.localdate(now)
    record = queries.person_record(person, now=now)
    rels = record.relationships
    return {
        "person": person,
        "record": record,
        "today": today,
        "age": person.age_on(today),
        "basis_reason": BASIS_REASONS.get(opened.basis, ""),
        "is_break_glass": opened.basis == Basis.BREAK_GLASS,
        "relationships": relationship_rows(person, rels.direct, today),
        "genogram": genogram.build(person, [*rels.direct, *rels.second_degree], today=today),
        "access_log": log_rows(record.access_log),
        "can_edit": principal.can(Capability.CREATE_PERSON),
        "can_merge": principal.can(Capability.MERGE_PEOPLE),
        "can_restrict": principal.can(Capability.MANAGE_RECORD_ACCESS),
        "panels": panels.load_panels(principal, person, now),
    }


@dataclass(frozen=True)
class RelationshipRow:
    other: Person
    href: str  # the other person's page: built here, not by a {% url %} per row (ADR 0028)
    withheld: bool
    relationship: str
    description: str
    since: dt.date | None
    until: dt.date | None
    ended: bool


def _detail_href(person: Person) -> Callable[[Person], str]:
    """people:detail for other people, from one reversal: the public id is the URL's last segment."""
    own, public_id = reverse("people:detail", kwargs={"public_id": person.public_id}), str(person.public_id)
    if not own.endswith(public_id):  # the URL changed shape: reverse each one
        return lambda other: reverse("people:detail", kwargs={"public_id": other.public_id})
    prefix = own.removesuffix(public_id)
    return lambda other: f"{prefix}{other.public_id}"


def relationship_rows(person: Person, relationships: list[Relationship], today: dt.date) -> list[RelationshipRow]:
    """Each recorded relationship, read from the person's side ("Jo is their parent")."""
    rows = []
    href = _detail_href(person)
    for rel in relationships:
        theirs = rel.to_person_id == person.pk  # the other person is the <type> of this person
        other = rel.from_person if theirs else rel.to_person
        kind = RelationshipType(rel.type)
        rows.append(
            RelationshipRow(
                other=other,
                href=href(other),
                withheld=other.is_restricted,
                relationship=kind.label if theirs else INVERSE_LABELS[kind],
                description=rel.description,
                since=rel.start_date,
                until=rel.end_date,
                ended=genogram.is_ended(rel, today),
            )
        )
    return sorted(rows, key=lambda r: (r.ended, r.relationship, r.since or dt.date.min))


@dataclass(frozen=True)
class LogRow:
    at: dt.datetime
    when: str  # the local date and time, as the table prints it (formatted here, not by two filters per row)
    who: str
    role: str
    organisation: str
    action: str
    outcome: str
    allowed: bool
    basis: str


def log_rows(events: Any) -> list[LogRow]:
    roles = dict(Role.choices)
    return [
        LogRow(
            at=event.at,
            when=dateformat.format(timezone.localtime(event.at), "j M Y H:i"),
            who=event.actor_name,
            role=roles.get(event.role, event.role),
            organisation=event.organisation.name if event.organisation else "",
            action=ACTION_LABELS.get(event.action, event.action),
            outcome=Outcome(event.outcome).label if event.outcome in Outcome.values else event.outcome,
            allowed=event.outcome == Outcome.ALLOWED,
            basis=BASIS_LABELS.get(event.basis, event.basis.replace("-", " ").capitalize()),
        )
        for event in events
        if isinstance(event, AuditEvent)
    ]
