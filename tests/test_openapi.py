"""The OpenAPI document at /api/v1/openapi.json: served, well formed, and true.

"True" is a contract test: real responses of every operation, successes and errors, are validated
against the response schemas the document declares, with a small JSON Schema validator (below)
that knows the keywords ninja emits and fails on any other, so a schema it cannot check is an error,
not a pass. Undocumented properties in a response are errors too.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from typing import Any

import pytest
from django.utils import timezone

from config.api import ERROR_CODES
from safeguarding.accounts.tokens import create_token
from safeguarding.people.models import Address, Relationship

OPENAPI_URL = "/api/v1/openapi.json"
METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
# Every operation, and what it returns. A new operation fails test_it_documents_exactly_the_known_operations
# until it is added here, with persona tests that check its access and audit (people/tests/test_api*.py).
KNOWN_OPERATIONS = {
    ("get", "/api/v1/me"): "no personal data of children",
    ("get", "/api/v1/people"): "lists people: audited with the rows shown",
    ("get", "/api/v1/people/{person_id}"): "one person's record: audited",
    ("get", "/api/v1/data-quality/nhs-numbers"): "children without a valid NHS number: audited with the rows shown",
}


# A small JSON Schema validator for the subset ninja (pydantic 2) emits.

ANNOTATIONS = {"title", "description", "default", "examples", "deprecated"}
KEYWORDS = ANNOTATIONS | {
    "$ref",
    "type",
    "enum",
    "const",
    "anyOf",
    "oneOf",
    "allOf",
    "properties",
    "required",
    "items",
    "additionalProperties",
    "format",
    "maxLength",
    "minLength",
    "maxItems",
    "minItems",
}
FORMATS = {
    "uuid": lambda v: bool(uuid.UUID(v)),
    "date": lambda v: bool(dt.date.fromisoformat(v)) and bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", v)),
    "date-time": lambda v: bool(dt.datetime.fromisoformat(v)),
}
TYPES: dict[str, Any] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


def resolve(doc: dict[str, Any], ref: str) -> dict[str, Any]:
    assert ref.startswith("#/"), f"only local references are supported: {ref}"
    node: Any = doc
    for part in ref[2:].split("/"):
        assert part in node, f"unresolved reference {ref}"
        node = node[part]
    return node


def problems(doc: dict[str, Any], schema: dict[str, Any], value: Any, where: str = "$") -> list[str]:
    """Every way `value` breaks `schema` (empty when it conforms)."""
    unknown = set(schema) - KEYWORDS
    assert not unknown, f"{where}: the validator does not know {sorted(unknown)}"
    if "$ref" in schema:
        return problems(doc, resolve(doc, schema["$ref"]), value, where)
    found: list[str] = []
    if "anyOf" in schema or "oneOf" in schema:
        options = schema.get("anyOf") or schema["oneOf"]
        passing = [o for o in options if not problems(doc, o, value, where)]
        if not passing or ("oneOf" in schema and len(passing) > 1):
            found.append(f"{where}: {value!r} matches {len(passing)} of the alternatives")
    for sub in schema.get("allOf", []):
        found += problems(doc, sub, value, where)
    if "type" in schema:
        allowed = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(TYPES[t](value) for t in allowed):
            return [*found, f"{where}: {value!r} is not of type {allowed}"]
    if "enum" in schema and value not in schema["enum"]:
        found.append(f"{where}: {value!r} is not one of {schema['enum']}")
    if "const" in schema and value != schema["const"]:
        found.append(f"{where}: {value!r} is not {schema['const']!r}")
    if isinstance(value, str):
        if "format" in schema:
            try:
                assert FORMATS[schema["format"]](value)
            except (ValueError, AssertionError):
                found.append(f"{where}: {value!r} is not a {schema['format']}")
        if len(value) > schema.get("maxLength", len(value)) or len(value) < schema.get("minLength", 0):
            found.append(f"{where}: {value!r} has the wrong length")
    if isinstance(value, list):
        if len(value) > schema.get("maxItems", len(value)) or len(value) < schema.get("minItems", 0):
            found.append(f"{where}: {len(value)} items is the wrong number")
        if "items" in schema:
            for i, item in enumerate(value):
                found += problems(doc, schema["items"], item, f"{where}[{i}]")
    if isinstance(value, dict) and ("properties" in schema or schema.get("type") == "object"):
        properties = schema.get("properties", {})
        for name in schema.get("required", []):
            if name not in value:
                found.append(f"{where}: {name} is required")
        for name, item in value.items():
            if name in properties:
                found += problems(doc, properties[name], item, f"{where}.{name}")
            elif isinstance(schema.get("additionalProperties"), dict):
                found += problems(doc, schema["additionalProperties"], item, f"{where}.{name}")
            elif schema.get("additionalProperties") is not True:
                found.append(f"{where}: {name} is not documented")
    return found


def response_schema(doc: dict[str, Any], method: str, path: str, status: int) -> dict[str, Any]:
    responses = doc["paths"][path][method]["responses"]
    assert str(status) in responses, f"{method.upper()} {path} does not document status {status}"
    return responses[str(status)]["content"]["application/json"]["schema"]


def assert_conforms(doc: dict[str, Any], method: str, path: str, response: Any) -> None:
    assert response["Content-Type"].startswith("application/json")
    schema = response_schema(doc, method, path, response.status_code)
    found = problems(doc, schema, response.json())
    assert not found, found


# Fixtures


@pytest.fixture
def doc(client, db) -> dict[str, Any]:
    response = client.get(OPENAPI_URL)
    assert response.status_code == 200
    return response.json()


def token_for(user) -> str:
    return create_token(membership=user.memberships.get(), name="test", operator="test", now=timezone.now())


def call(client, url: str, token: str | None = None, **params: str) -> Any:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.get(url, params, **headers)


# The document


def test_it_serves_the_document_without_a_token_as_json(client, db):
    response = client.get(OPENAPI_URL)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")


def test_it_is_a_well_formed_openapi_3_document(doc):
    assert re.fullmatch(r"3\.\d+\.\d+", doc["openapi"])
    assert doc["info"]["title"] == "Open Safeguarding API" and doc["info"]["version"] == "1"
    operation_ids = []
    for path, item in doc["paths"].items():
        assert path.startswith("/api/v1/")
        assert set(item) <= METHODS, f"{path} has unknown keys {set(item) - METHODS}"
        for method, operation in item.items():
            operation_ids.append(operation["operationId"])
            assert operation["summary"] and operation["tags"]
            assert operation["responses"] and all(re.fullmatch(r"[1-5]\d\d", code) for code in operation["responses"])
            assert "200" in operation["responses"]
            for response in operation["responses"].values():
                assert response["description"]
            declared = {p["name"] for p in operation["parameters"] if p["in"] == "path"}
            assert declared == set(re.findall(r"{(\w+)}", path)), f"{method} {path}: path parameters"
            for parameter in operation["parameters"]:
                assert parameter["in"] in {"query", "path", "header", "cookie"}
                assert parameter["in"] != "path" or parameter["required"] is True
    assert len(operation_ids) == len(set(operation_ids)), "operationIds must be unique"
    refs = re.findall(r'"\$ref": "([^"]+)"', json.dumps(doc))
    assert refs
    for ref in refs:
        resolve(doc, ref)


def test_it_documents_exactly_the_known_operations(doc):
    documented = {(method, path) for path, item in doc["paths"].items() for method in item}
    assert documented == set(KNOWN_OPERATIONS)


def test_it_declares_bearer_authentication_for_every_operation(doc):
    schemes = doc["components"]["securitySchemes"]
    assert schemes["BearerToken"]["type"] == "http" and schemes["BearerToken"]["scheme"] == "bearer"
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            assert operation["security"] == [{"BearerToken": []}], f"{method} {path}"
            assert "401" in operation["responses"], f"{method} {path} does not document 401"


def test_every_documented_operation_refuses_a_call_without_a_token(client, doc, world):
    for path, item in doc["paths"].items():
        for method in item:
            url = path.replace("{person_id}", str(world.child.public_id))
            response = client.generic(method.upper(), url)
            assert response.status_code == 401, f"{method} {path}"
            assert_conforms(doc, method, path, response)


def test_it_documents_every_error_code_the_api_uses(doc):
    documented = doc["components"]["schemas"]["ErrorBodyOut"]["properties"]["code"]["enum"]
    assert sorted(documented) == sorted(ERROR_CODES.values())


def test_it_documents_the_search_parameters(doc):
    parameters = {p["name"]: p for p in doc["paths"]["/api/v1/people"]["get"]["parameters"]}
    assert set(parameters) == {"name", "date_of_birth", "nhs_number", "postcode"}
    assert all(p["in"] == "query" and not p["required"] and p.get("description") for p in parameters.values())


# The validator itself (so the contract tests can fail)


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda b: b.pop("nhs_number"), "nhs_number is required"),
        (lambda b: b.update(can_fly=True), "can_fly is not documented"),
        (lambda b: b.update(is_restricted="no"), "is not of type"),
        (lambda b: b.update(sex="X"), "is not one of"),
        (lambda b: b.update(id="not-a-uuid"), "is not a uuid"),
        (lambda b: b.update(date_of_birth="14/03/2016"), "matches 0 of the alternatives"),
        (lambda b: b["addresses"].append({"line_1": "x"}), "is required"),
    ],
)
def test_the_validator_finds_what_is_wrong(client, doc, world, mutate, expected):
    response = call(client, f"/api/v1/people/{world.child.public_id}", token_for(world.allocated))
    schema = response_schema(doc, "get", "/api/v1/people/{person_id}", 200)
    body = response.json()
    assert problems(doc, schema, body) == []
    mutate(body)
    assert any(expected in p for p in problems(doc, schema, body)), problems(doc, schema, body)


def test_the_validator_refuses_schemas_it_does_not_understand(doc):
    with pytest.raises(AssertionError, match="does not know"):
        problems(doc, {"type": "string", "pattern": "^a"}, "a")


# The contract: real responses match the document


def test_me_matches_the_document(client, doc, world):
    for user in (world.allocated, world.health_other, world.admin):  # with and without a team
        assert_conforms(doc, "get", "/api/v1/me", call(client, "/api/v1/me", token_for(user)))


def test_search_responses_match_the_document(client, doc, world):
    path, url = "/api/v1/people", "/api/v1/people"
    found = call(client, url, token_for(world.colleague), name="Example")
    assert found.status_code == 200 and len(found.json()) == 3
    assert_conforms(doc, "get", path, found)
    assert_conforms(doc, "get", path, call(client, url, token_for(world.colleague), postcode="ZZ1 1ZZ"))  # none
    refused = call(client, url, token_for(world.auditor), name="Example")
    assert refused.status_code == 403
    assert_conforms(doc, "get", path, refused)
    invalid = call(client, url, token_for(world.colleague), nhs_number="123", date_of_birth="2020-02-31")
    assert invalid.status_code == 422
    assert_conforms(doc, "get", path, invalid)


def test_read_responses_match_the_document(client, doc, world):
    path, url = "/api/v1/people/{person_id}", f"/api/v1/people/{world.child.public_id}"
    Address.objects.create(person=world.child, line_1="2 New Road", postcode="NB2 2BB", valid_from=dt.date(2022, 7, 1))
    Relationship.objects.create(from_person=world.parent, to_person=world.child, type="PARENT")
    world.sibling.is_restricted = True
    world.sibling.save()
    Relationship.objects.create(from_person=world.child, to_person=world.sibling, type="SIBLING")
    allowed = call(client, url, token_for(world.allocated))
    assert allowed.status_code == 200 and allowed.json()["current_address"] and allowed.json()["relationships"]
    assert_conforms(doc, "get", path, allowed)
    forbidden = call(client, url, token_for(world.other_team))
    assert forbidden.status_code == 403
    assert_conforms(doc, "get", path, forbidden)
    hidden = call(client, url, token_for(world.other_la_worker))
    assert hidden.status_code == 404
    assert_conforms(doc, "get", path, hidden)
