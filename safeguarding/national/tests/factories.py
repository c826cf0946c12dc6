"""Helpers for the national connector tests: adapters that fail, and inbox messages built by hand."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterator
from typing import Any

from django.utils import timezone

from safeguarding.national import messages
from safeguarding.national.adapters import FileAdapter, Received, SendFailed


class FailingAdapter:
    """The national side is down: every send fails with `error`."""

    name = "failing"
    description = "A test adapter that cannot send."
    enabled = True
    connected_to_national_service = False

    def __init__(self, error: Exception | None = None) -> None:
        self.error = error or SendFailed("The mailbox did not answer")
        self.attempts = 0

    def send(self, message: dict[str, Any], *, name: str) -> None:
        self.attempts += 1
        raise self.error

    def receive(self) -> Iterator[Received]:
        return iter(())

    def accept(self, received: Received) -> None:
        pass

    def reject(self, received: Received, reason: str) -> None:
        pass


class HandsOverThenCrashes(FileAdapter):
    """Writes the message, then the process fails before the send is recorded (as if the commit were lost)."""

    def send(self, message: dict[str, Any], *, name: str) -> None:
        super().send(message, name=name)
        raise RuntimeError("killed after the file was written")


def access_body(nhs_number: str, *, to: str = "991", **changes: Any) -> dict[str, Any]:
    body = messages.access_notification(
        to=to,
        nhs_number=nhs_number,
        accessed_at=timezone.now() - dt.timedelta(minutes=5),
        ods_code="RYY99",
        organisation_name="Elsewhere General Hospital emergency department",
        role="Emergency department nurse",
    )
    body["access"].update(changes.pop("access", {}))
    body.update(changes)
    return body


def as_bytes(body: dict[str, Any]) -> bytes:
    return json.dumps(body).encode("utf-8")


def new_id() -> str:
    return str(uuid.uuid4())
