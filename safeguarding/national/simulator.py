"""A stand-in for the national flag service, playing its side of the file adapter's directories.

It is for tests and demonstrations only: it holds its own view of the flags it has been sent, answers each
message with an acknowledgement (refusing a change whose NHS number fails the check digit or is in
`unknown_nhs_numbers`, its stand-in for a number not known to the NHS Personal Demographics Service), and
can emit access notifications as unscheduled care elsewhere would cause them. It behaves as we assume the
national service does; nothing in it has been checked against the real service. State is kept in
<root>/simulator/state.json so that it survives between commands.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from safeguarding.people.identifiers import InvalidNhsNumber, clean_nhs_number

from . import messages
from .adapters import FileAdapter, message_files, write_atomically


@dataclass
class NationalSimulator:
    root: Path
    unknown_nhs_numbers: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.root = Path(self.root)
        self.files = FileAdapter(self.root)
        self.home = self.root / "simulator"
        self.state = self._load()

    # --- what the national service holds

    def flags_for(self, nhs_number: str) -> list[dict[str, Any]]:
        return [f for f in self.state["flags"].values() if f["nhs_number"] == nhs_number]

    @property
    def flags(self) -> dict[str, dict[str, Any]]:
        return dict(self.state["flags"])

    @property
    def sequences(self) -> dict[str, list[int]]:
        """The sequence numbers received from each authority, in the order they arrived."""
        return {k: list(v) for k, v in self.state["sequences"].items()}

    # --- the local authority's messages to us

    def consume(self) -> list[str]:
        """Read each finished outbox file once, apply it, acknowledge it; returns the message ids applied."""
        applied = []
        for path in message_files(self.files.outbox):
            body = json.loads(path.read_bytes())
            message_id = body["message_id"]
            if message_id not in self.state["messages"]:
                self._apply(body)
                self.state["messages"].append(message_id)
                applied.append(message_id)
            received = self.home / "received"
            received.mkdir(parents=True, exist_ok=True)
            os.replace(path, received / path.name)
            self._save()
        return applied

    def _apply(self, body: dict[str, Any]) -> None:
        self.state["sequences"].setdefault(body["from"], []).append(body["sequence"])
        results = []
        for change in body["changes"]:
            reason = self._refusal(change)
            if not reason and change["change_id"] not in self.state["changes"]:
                reference = change["local_reference"]
                if change["kind"] == "WITHDRAWN":
                    self.state["flags"].pop(reference, None)
                else:
                    self.state["flags"][reference] = {
                        k: change[k] for k in ("nhs_number", "plan_type", "start_date", "end_date", "responsible_la")
                    }
                self.state["changes"].append(change["change_id"])
            results.append({"change_id": change["change_id"], "accepted": not reason, "reason": reason})
        ack = messages.acknowledgement(to=body["from"], acknowledges=body["message_id"], results=results)
        self._emit(ack)

    def _refusal(self, change: dict[str, Any]) -> str:
        try:
            digits = clean_nhs_number(change.get("nhs_number", ""))
        except InvalidNhsNumber:
            return "Invalid NHS number"
        if digits in self.unknown_nhs_numbers:
            return "NHS number not known to the national service"
        if change.get("plan_type") not in messages.PLAN_TYPES:
            return "Unknown plan type"
        return ""

    # --- our messages to the local authority

    def emit_access(
        self,
        nhs_number: str,
        *,
        at: dt.datetime,
        ods_code: str = "RYY99",
        organisation_name: str = "Elsewhere General Hospital emergency department",
        role: str = "Emergency department nurse",
    ) -> list[str]:
        """Unscheduled care elsewhere looks up `nhs_number`: one notification to each authority holding a flag
        for it (none if no flag is held). Returns the message ids written to the inbox."""
        written = []
        for code in sorted({f["responsible_la"]["code"] for f in self.flags_for(nhs_number)}):
            body = messages.access_notification(
                to=code,
                nhs_number=nhs_number,
                accessed_at=at,
                ods_code=ods_code,
                organisation_name=organisation_name,
                role=role,
            )
            self._emit(body)
            written.append(body["message_id"])
        return written

    def emit_raw(self, data: bytes, *, name: str | None = None) -> str:
        """Put any bytes in the inbox as a message (for tests of bad input)."""
        name = name or f"{self._next():09d}-raw.json"
        write_atomically(self.files.inbox, name, data)
        return name

    def _emit(self, body: dict[str, Any]) -> None:
        name = f"{self._next():09d}-{body['type']}-{body['message_id']}.json"
        write_atomically(self.files.inbox, name, json.dumps(body, indent=1).encode("utf-8"))
        self._save()

    def _next(self) -> int:
        self.state["counter"] += 1
        return int(self.state["counter"])

    # --- persistence

    def _load(self) -> dict[str, Any]:
        path = self.home / "state.json"
        if path.exists():
            loaded: dict[str, Any] = json.loads(path.read_text())
            return loaded
        return {"flags": {}, "messages": [], "changes": [], "sequences": {}, "counter": 0}

    def _save(self) -> None:
        write_atomically(self.home, "state.json", json.dumps(self.state, indent=1, sort_keys=True).encode("utf-8"))
