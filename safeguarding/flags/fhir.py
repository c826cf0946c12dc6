"""The FHIR R4 face of the flag look-up (/fhir/R4/): Flag search by NHS number and the CapabilityStatement.

Resources are plain JSON in the shape of fhir.resources' R4B models (R4B changed nothing in Flag, Bundle,
OperationOutcome or the parts of CapabilityStatement used here), declaring FHIR 4.0.1. They are not
built with those models on each request: pydantic validation of a Bundle cost more than the look-up's
SQL (benchmarks/flags_load.py); the tests validate every kind of answer against the models and check it
is byte for byte what the models would write. The national CP-IS FHIR mapping was not available
(domain.md §1.5), so plan types use this service's own code system; it claims no national conformance.
Callers authenticate with a bearer token (accounts.tokens): no session is read here, so CSRF does not apply.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import lru_cache
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from safeguarding.accounts.principal import Principal
from safeguarding.accounts.roles import Capability
from safeguarding.accounts.tokens import principal_for_token
from safeguarding.core.middleware import client_ip

from . import queries, services
from .models import PlanType

FHIR_JSON = "application/fhir+json"
NHS_NUMBER_SYSTEM = "https://fhir.nhs.uk/Id/nhs-number"
PLAN_TYPE_SYSTEM = "urn:open-safeguarding:cp-plan-type"
SEARCH_PARAMETER = "patient.identifier"
SEARCH_HELP = f"Only chained: {SEARCH_PARAMETER}={NHS_NUMBER_SYSTEM}|{{NHS number}}"


def dumps(resource: dict[str, Any]) -> bytes:
    """JSON as fhir.resources' model_dump_json(exclude_none=True) writes it: compact, UTF-8, in field order."""
    return json.dumps(resource, ensure_ascii=False, separators=(",", ":")).encode()


# What django.views.decorators.cache.never_cache writes, fixed: computing it cost more than the flag read.
NO_STORE = {"Cache-Control": "max-age=0, no-cache, no-store, must-revalidate, private", "Expires": "0"}


def _respond(resource: dict[str, Any], status: int = 200) -> HttpResponse:
    return HttpResponse(dumps(resource), status=status, content_type=FHIR_JSON, headers=NO_STORE)


def outcome_resource(code: str, message: str) -> dict[str, Any]:
    return {"resourceType": "OperationOutcome", "issue": [{"severity": "error", "code": code, "diagnostics": message}]}


def outcome(status: int, code: str, message: str) -> HttpResponse:
    response = _respond(outcome_resource(code, message), status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="fhir"'
    return response


def _principal(request: HttpRequest, now: dt.datetime) -> Principal | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return principal_for_token(
        token.strip(), now=now, request_id=getattr(request, "request_id", ""), ip=client_ip(request)
    )


def _nhs_number(request: HttpRequest) -> str:
    """The NHS number from `patient.identifier=https://fhir.nhs.uk/Id/nhs-number|{number}`, unchecked."""
    value = request.GET.get(SEARCH_PARAMETER, "")
    system, bar, number = value.rpartition("|")
    if not bar or system != NHS_NUMBER_SYSTEM:
        raise services.LookupRefused(f"Search with {SEARCH_PARAMETER}={NHS_NUMBER_SYSTEM}|{{NHS number}}", status=400)
    return number


def _instant(moment: dt.datetime) -> str:
    """A FHIR instant as pydantic writes an aware datetime: UTC with a Z."""
    return moment.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


@lru_cache(maxsize=64)
def _coding(plan_type: str) -> tuple[dict[str, str], str]:
    plan = PlanType(plan_type)
    return {"system": PLAN_TYPE_SYSTEM, "code": plan.value, "display": plan.label}, str(plan.label)


def _organisation(name: str, office_hours: str | None, out_of_hours: str | None) -> dict[str, Any]:
    """The responsible authority as a contained Organization, with its numbers when it has set them."""
    organisation: dict[str, Any] = {"resourceType": "Organization", "id": "la", "name": name}
    if office_hours is not None:
        organisation["contact"] = [
            {"purpose": {"text": "Office hours"}, "telecom": [{"system": "phone", "value": office_hours}]},
            {
                "purpose": {"text": "Out of hours (emergency duty team)"},
                "telecom": [{"system": "phone", "value": out_of_hours}],
            },
        ]
    return organisation


def flag_resource(shown: queries.ShownFlag, *, today: dt.date) -> dict[str, Any]:
    """A Flag resource, its keys in the order of the R4B model's fields (DomainResource's, then Flag's)."""
    flag, contact = shown.flag, shown.contact
    coding, label = _coding(flag.plan_type)
    name = flag.local_authority.name
    period = {"start": flag.start_date.isoformat()}
    if flag.end_date:
        period["end"] = flag.end_date.isoformat()
    return {
        "resourceType": "Flag",
        "id": str(flag.public_id),
        "contained": [
            _organisation(
                name,
                contact.office_hours_phone if contact is not None else None,
                contact.out_of_hours_phone if contact is not None else None,
            )
        ],
        "status": "active" if shown.is_active(today) else "inactive",
        "category": [{"coding": [coding]}],
        "code": {"coding": [coding], "text": label},
        "subject": {"identifier": {"system": NHS_NUMBER_SYSTEM, "value": flag.nhs_number}},
        "period": period,
        "author": {"reference": "#la", "display": name},
    }


def search_bundle(request: HttpRequest, result: services.Lookup, *, now: dt.datetime) -> dict[str, Any]:
    """The searchset Bundle of a look-up's flags (no `entry` when there are none, as the model writes it)."""
    today = queries.today_for(now)
    here = request.build_absolute_uri()
    base = here[: here.index("/fhir/R4/")] + "/fhir/R4/Flag/"
    bundle: dict[str, Any] = {
        "resourceType": "Bundle",
        "type": "searchset",
        "timestamp": _instant(now),
        "total": len(result.flags),
        "link": [{"relation": "self", "url": here}],
    }
    if result.flags:
        bundle["entry"] = [
            {
                "fullUrl": f"{base}{s.flag.public_id}",
                "resource": flag_resource(s, today=today),
                "search": {"mode": "match"},
            }
            for s in result.flags
        ]
    return bundle


@require_GET
def flag_search(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    principal = _principal(request, now)
    if principal is None:
        return outcome(401, "login", "Send a bearer token: Authorization: Bearer osg_<prefix>_<secret>")
    raw = request.GET.get(SEARCH_PARAMETER, "")
    try:
        if not principal.can(Capability.QUERY_CP_FLAGS):  # before reading the query: 403 whatever it asks
            raise services.LookupRefused(services.NOT_ALLOWED, status=403)
        result = services.look_up(principal=principal, nhs_number=_nhs_number(request), now=now, history=False)
    except services.LookupRefused as refused:
        services.record_refused_lookup(principal, now=now, reason=str(refused), raw=raw)
        code = "forbidden" if refused.status == 403 else "invalid"
        return outcome(refused.status, code, str(refused))
    return _respond(search_bundle(request, result, now=now))


@require_GET
def metadata(request: HttpRequest) -> HttpResponse:
    body = _capability_statement_json(timezone.localdate().isoformat(), request.build_absolute_uri("/fhir/R4"))
    return HttpResponse(body, content_type=FHIR_JSON, headers=NO_STORE)


@lru_cache(maxsize=8)
def _capability_statement_json(date: str, url: str) -> bytes:
    """The same for a day and an address, so written once."""
    return dumps(capability_statement(date, url))


def capability_statement(date: str, url: str) -> dict[str, Any]:
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": date,
        "publisher": "Open Safeguarding",
        "kind": "instance",
        "implementation": {"description": "Child protection flags by NHS number", "url": url},
        "fhirVersion": "4.0.1",
        "format": [FHIR_JSON],
        "rest": [
            {
                "mode": "server",
                "security": {"description": "Bearer tokens tied to one membership with a flag-viewing role."},
                "resource": [
                    {
                        "type": "Flag",
                        "interaction": [{"code": "search-type"}],
                        "searchParam": [{"name": "patient", "type": "reference", "documentation": SEARCH_HELP}],
                    }
                ],
            }
        ],
    }
