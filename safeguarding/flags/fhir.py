"""The FHIR R4 face of the flag look-up (/fhir/R4/): Flag search by NHS number and the CapabilityStatement.

Resources are built with fhir.resources' R4B models (R4B changed nothing in Flag, Bundle,
OperationOutcome or the parts of CapabilityStatement used here) and declare FHIR 4.0.1. The national
CP-IS FHIR mapping was not available (domain.md §1.5), so plan types use this service's own code
system; it claims no national conformance. Callers authenticate with a bearer token
(accounts.tokens): no session is read here, so CSRF does not apply.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.capabilitystatement import CapabilityStatement
from fhir.resources.R4B.flag import Flag as FhirFlag
from fhir.resources.R4B.operationoutcome import OperationOutcome

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


def _respond(resource: Any, status: int = 200) -> HttpResponse:
    response = HttpResponse(resource.model_dump_json(exclude_none=True), status=status, content_type=FHIR_JSON)
    return response


def outcome(status: int, code: str, message: str) -> HttpResponse:
    resource = OperationOutcome.model_validate(
        {"resourceType": "OperationOutcome", "issue": [{"severity": "error", "code": code, "diagnostics": message}]}
    )
    response = _respond(resource, status)
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


def flag_resource(shown: queries.ShownFlag, *, today: dt.date) -> FhirFlag:
    flag, contact = shown.flag, shown.contact
    plan = PlanType(flag.plan_type)
    coding = {"system": PLAN_TYPE_SYSTEM, "code": plan.value, "display": plan.label}
    organisation: dict[str, Any] = {"resourceType": "Organization", "id": "la", "name": flag.local_authority.name}
    if contact is not None:
        organisation["contact"] = [
            {
                "purpose": {"text": "Office hours"},
                "telecom": [{"system": "phone", "value": contact.office_hours_phone}],
            },
            {
                "purpose": {"text": "Out of hours (emergency duty team)"},
                "telecom": [{"system": "phone", "value": contact.out_of_hours_phone}],
            },
        ]
    period = {"start": flag.start_date.isoformat()}
    if flag.end_date:
        period["end"] = flag.end_date.isoformat()
    return FhirFlag.model_validate(
        {
            "resourceType": "Flag",
            "id": str(flag.public_id),
            "status": "active" if shown.is_active(today) else "inactive",
            "category": [{"coding": [coding]}],
            "code": {"coding": [coding], "text": plan.label},
            "subject": {"identifier": {"system": NHS_NUMBER_SYSTEM, "value": flag.nhs_number}},
            "period": period,
            "author": {"reference": "#la", "display": flag.local_authority.name},
            "contained": [organisation],
        }
    )


@never_cache
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
        result = services.look_up(principal=principal, nhs_number=_nhs_number(request), now=now)
    except services.LookupRefused as refused:
        services.record_refused_lookup(principal, now=now, reason=str(refused), raw=raw)
        code = "forbidden" if refused.status == 403 else "invalid"
        return outcome(refused.status, code, str(refused))
    today = queries.today_for(now)
    base = request.build_absolute_uri("/fhir/R4/Flag/")
    bundle = Bundle.model_validate(
        {
            "resourceType": "Bundle",
            "type": "searchset",
            "timestamp": now.isoformat(),
            "total": len(result.flags),
            "link": [{"relation": "self", "url": request.build_absolute_uri()}],
            "entry": [
                {
                    "fullUrl": f"{base}{s.flag.public_id}",
                    "resource": flag_resource(s, today=today),
                    "search": {"mode": "match"},
                }
                for s in result.flags
            ],
        }
    )
    return _respond(bundle)


@never_cache
@require_GET
def metadata(request: HttpRequest) -> HttpResponse:
    statement = CapabilityStatement.model_validate(
        {
            "resourceType": "CapabilityStatement",
            "status": "active",
            "date": timezone.now().date().isoformat(),
            "publisher": "Open Safeguarding",
            "kind": "instance",
            "implementation": {
                "description": "Child protection flags by NHS number",
                "url": request.build_absolute_uri("/fhir/R4"),
            },
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
                            "searchParam": [
                                {
                                    "name": "patient",
                                    "type": "reference",
                                    "documentation": SEARCH_HELP,
                                }
                            ],
                        }
                    ],
                }
            ],
        }
    )
    return _respond(statement)
