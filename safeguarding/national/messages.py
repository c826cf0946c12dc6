"""The messages exchanged with the national service, as JSON, and their validation.

This is our own format (schema SCHEMA), not a national one: the CP-IS HL7 v3 messages (REPC_MT000002GB01
upload, REPC_MT000003GB01 acknowledgement, REPC_MT000004GB01 access notification; domain.md §1.5) are what
a real adapter would translate these into and out of. A message that does not validate is refused with a
reason a person can act on, and nothing is changed.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from dataclasses import dataclass
from typing import Any

from safeguarding.flags.models import PlanType, Setting
from safeguarding.people.identifiers import InvalidNhsNumber, clean_nhs_number

SCHEMA = "open-safeguarding/national-flags/1"
FLAG_CHANGES = "flag-changes"
ACCESS = "access-notification"
ACKNOWLEDGEMENT = "acknowledgement"
MAX_BYTES = 1_000_000
ODS_CODE = re.compile(r"^[A-Z0-9]{3,10}$")
ROLE_MAX = 40  # flags.AccessEvent.role
NAME_MAX = 150


class BadMessage(Exception):
    """A message we refuse; str() is the reason. message_id is the id it claimed, if it had a usable one."""

    def __init__(self, reason: str, message_id: str = "", kind: str = "unknown", to: str = "") -> None:
        super().__init__(reason)
        self.message_id = message_id
        self.kind = kind
        self.to = to


@dataclass(frozen=True)
class Access:
    nhs_number: str
    accessed_at: dt.datetime
    setting: str
    ods_code: str
    organisation_name: str
    role: str


@dataclass(frozen=True)
class Result:
    change_id: str
    accepted: bool
    reason: str


@dataclass(frozen=True)
class Inbound:
    message_id: str
    kind: str
    to: str  # the responsible local authority's code
    access: Access | None = None
    acknowledges: str = ""
    results: tuple[Result, ...] = ()


def _uuid(value: Any, field: str) -> str:
    try:
        return str(uuid.UUID(str(value)))
    except (ValueError, TypeError, AttributeError):
        raise BadMessage(f"{field} must be a UUID") from None


def _text(body: dict[str, Any], field: str, *, required: bool = True, max_length: int = NAME_MAX) -> str:
    value = body.get(field, "")
    if not isinstance(value, str):
        raise BadMessage(f"{field} must be text")
    value = value.strip()
    if required and not value:
        raise BadMessage(f"{field} is missing")
    if len(value) > max_length:
        raise BadMessage(f"{field} must be {max_length} characters or fewer")
    return value


def _when(value: Any, field: str, *, now: dt.datetime) -> dt.datetime:
    try:
        parsed = dt.datetime.fromisoformat(str(value))
    except ValueError:
        raise BadMessage(f"{field} must be an ISO 8601 date and time, for example 2026-12-01T09:30:00+00:00") from None
    if parsed.tzinfo is None:
        raise BadMessage(f"{field} must include a time zone offset")
    if parsed > now:
        raise BadMessage(f"{field} is in the future")
    return parsed


def parse_inbound(raw: bytes, *, now: dt.datetime) -> Inbound:
    """Parse and validate a message from the national service, or raise BadMessage with the reason."""
    if len(raw) > MAX_BYTES:
        raise BadMessage(f"The message is larger than {MAX_BYTES:,} bytes")
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise BadMessage("The message is not valid JSON in UTF-8") from None
    if not isinstance(body, dict):
        raise BadMessage("The message must be a JSON object")
    message_id = ""
    if "message_id" in body:
        try:
            message_id = _uuid(body["message_id"], "message_id")
        except BadMessage:
            message_id = ""
    kind = str(body.get("type")) if body.get("type") in (ACCESS, ACKNOWLEDGEMENT) else "unknown"
    to = str(body.get("to", ""))[:10]
    try:
        return _parse_body(body, message_id=message_id, kind=kind, now=now)
    except BadMessage as bad:
        raise BadMessage(str(bad), message_id=message_id, kind=kind, to=to) from None


def _parse_body(body: dict[str, Any], *, message_id: str, kind: str, now: dt.datetime) -> Inbound:
    if body.get("schema") != SCHEMA:
        raise BadMessage(f"schema must be {SCHEMA}")
    if not message_id:
        raise BadMessage("message_id is missing or is not a UUID")
    if kind == "unknown":
        raise BadMessage(f"type must be {ACCESS} or {ACKNOWLEDGEMENT}")
    to = _text(body, "to", max_length=10)
    if kind == ACCESS:
        return Inbound(message_id, kind, to, access=_parse_access(body.get("access"), now=now))
    acknowledges = _uuid(body.get("acknowledges"), "acknowledges")
    results = body.get("results")
    if not isinstance(results, list) or not results:
        raise BadMessage("results must be a list with one result per change")
    parsed = []
    for item in results:
        if not isinstance(item, dict) or not isinstance(item.get("accepted"), bool):
            raise BadMessage("each result needs a change_id and accepted (true or false)")
        reason = _text(item, "reason", required=not item["accepted"], max_length=300)
        parsed.append(Result(_uuid(item.get("change_id"), "change_id"), item["accepted"], reason))
    return Inbound(message_id, kind, to, acknowledges=acknowledges, results=tuple(parsed))


def _parse_access(access: Any, *, now: dt.datetime) -> Access:
    if not isinstance(access, dict):
        raise BadMessage("access is missing")
    try:
        nhs_number = clean_nhs_number(_text(access, "nhs_number", max_length=20))
    except InvalidNhsNumber as invalid:
        raise BadMessage(f"nhs_number: {invalid}") from None
    setting = _text(access, "setting", max_length=20)
    if setting != Setting.UNSCHEDULED:
        raise BadMessage("setting must be UNSCHEDULED: only unscheduled care notifies (a scheduled read is silent)")
    ods_code = _text(access, "organisation_ods_code", max_length=10).upper()
    if not ODS_CODE.match(ods_code):
        raise BadMessage("organisation_ods_code must be 3 to 10 letters or digits")
    return Access(
        nhs_number=nhs_number,
        accessed_at=_when(access.get("accessed_at"), "accessed_at", now=now),
        setting=setting,
        ods_code=ods_code,
        organisation_name=_text(access, "organisation_name", required=False),
        role=_text(access, "role", max_length=ROLE_MAX),
    )


def flag_changes(
    *, message_id: str, sequence: int, sent_at: dt.datetime, la_code: str, changes: list[dict[str, Any]]
) -> dict[str, Any]:
    """The body of one batch of flag changes (local authority to the national service)."""
    return {
        "schema": SCHEMA,
        "type": FLAG_CHANGES,
        "message_id": message_id,
        "from": la_code,
        "sequence": sequence,
        "sent_at": sent_at.isoformat(),
        "changes": changes,
    }


def access_notification(
    *, to: str, nhs_number: str, accessed_at: dt.datetime, ods_code: str, organisation_name: str, role: str
) -> dict[str, Any]:
    """An access notification (national service to the responsible local authority): used by the simulator."""
    return {
        "schema": SCHEMA,
        "type": ACCESS,
        "message_id": str(uuid.uuid4()),
        "to": to,
        "access": {
            "nhs_number": nhs_number,
            "accessed_at": accessed_at.isoformat(),
            "setting": str(Setting.UNSCHEDULED),
            "organisation_ods_code": ods_code,
            "organisation_name": organisation_name,
            "role": role,
        },
    }


def acknowledgement(*, to: str, acknowledges: str, results: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "type": ACKNOWLEDGEMENT,
        "message_id": str(uuid.uuid4()),
        "to": to,
        "acknowledges": acknowledges,
        "results": results,
    }


PLAN_TYPES = frozenset(PlanType.values)
