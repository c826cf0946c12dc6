"""How messages reach the national service and come back: an adapter interface and the two adapters we have.

Neither adapter talks to the national service. `disabled` (the default) sends and receives nothing;
`file` writes each outgoing message to an outbox directory and reads incoming ones from an inbox
directory, which an operator's transfer job, or our simulator (simulator.py), moves. A real adapter
(MESH, ADR 0024) would implement the same four methods. OSG_NATIONAL_ADAPTER chooses: "disabled",
"file", or the dotted path of a class taking no arguments.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from django.conf import settings
from django.utils.module_loading import import_string

SUFFIX = ".json"


class SendFailed(Exception):
    """The message was not handed over; it stays in the outbox and is retried. str() is safe to show."""


@dataclass(frozen=True)
class Received:
    name: str  # how the adapter finds it again (a file name)
    raw: bytes


@runtime_checkable
class NationalAdapter(Protocol):
    name: str
    description: str
    enabled: bool  # False: nothing is sent or received; changes wait in the outbox
    connected_to_national_service: bool  # True only for an adapter that reaches the real national service

    def send(self, message: dict[str, Any], *, name: str) -> None:
        """Hand one message over durably, or raise SendFailed. Sending the same name twice must be harmless."""

    def receive(self) -> Iterator[Received]:
        """The messages waiting, oldest first."""

    def accept(self, received: Received) -> None:
        """The message has been processed (and committed): never offer it again."""

    def reject(self, received: Received, reason: str) -> None:
        """The message was refused: set it aside with the reason, never offer it again."""


class DisabledAdapter:
    name = "disabled"
    description = "Disabled: nothing is sent to or received from the national service."
    enabled = False
    connected_to_national_service = False

    def send(self, message: dict[str, Any], *, name: str) -> None:
        raise SendFailed("The national connector is disabled")

    def receive(self) -> Iterator[Received]:
        return iter(())

    def accept(self, received: Received) -> None:
        pass

    def reject(self, received: Received, reason: str) -> None:
        pass


def write_atomically(directory: Path, name: str, data: bytes) -> Path:
    """Write a file so that a reader sees all of it or none: a dot-named temporary file, fsync, rename, fsync
    the directory. A crash leaves at most a temporary file, which readers ignore."""
    directory.mkdir(parents=True, exist_ok=True)
    final = directory / name
    temporary = directory / f".{name}.{uuid.uuid4().hex}.tmp"
    with open(temporary, "xb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, final)
    _fsync_directory(directory)
    return final


def _fsync_directory(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # some platforms cannot open a directory
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def is_message_file(path: Path) -> bool:
    """A finished message: not a temporary (dot-named) file, and a .json file."""
    return path.is_file() and not path.name.startswith(".") and path.name.endswith(SUFFIX)


def message_files(directory: Path) -> list[Path]:
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.iterdir() if is_message_file(p))


class FileAdapter:
    """Messages as files. Outgoing: outbox/<name>.json. Incoming: inbox/*.json, moved to processed/ or
    rejected/ (with <name>.reason.txt) once handled. All directories under one root."""

    name = "file"
    enabled = True
    connected_to_national_service = False

    def __init__(self, root: Path | str | None = None) -> None:
        self.root = Path(root or national_directory())
        self.outbox = self.root / "outbox"
        self.inbox = self.root / "inbox"
        self.processed = self.root / "processed"
        self.rejected = self.root / "rejected"
        self.description = (
            f"Files: messages are written to {self.outbox} and read from {self.inbox}. "
            "Something else must carry them to and from the national service."
        )

    def send(self, message: dict[str, Any], *, name: str) -> None:
        data = json.dumps(message, indent=1, sort_keys=True).encode("utf-8")
        try:
            write_atomically(self.outbox, name + SUFFIX, data)
        except OSError as error:
            raise SendFailed(f"Could not write to the outbox directory: {error.strerror or error}") from None

    def receive(self) -> Iterator[Received]:
        for path in message_files(self.inbox):
            try:
                raw = path.read_bytes()
            except FileNotFoundError:  # another receiver took it
                continue
            yield Received(path.name, raw)

    def accept(self, received: Received) -> None:
        self._move(received, self.processed)

    def reject(self, received: Received, reason: str) -> None:
        write_atomically(self.rejected, received.name + ".reason.txt", (reason + "\n").encode("utf-8"))
        self._move(received, self.rejected)

    def _move(self, received: Received, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        try:
            os.replace(self.inbox / received.name, directory / received.name)
        except FileNotFoundError:  # already moved by another receiver
            return
        _fsync_directory(directory)


def national_directory() -> Path:
    configured = getattr(settings, "OSG_NATIONAL_DIR", "") or os.environ.get("OSG_NATIONAL_DIR", "")
    return Path(configured) if configured else Path(settings.BASE_DIR) / "var" / "national"


def adapter_setting() -> str:
    return getattr(settings, "OSG_NATIONAL_ADAPTER", "") or os.environ.get("OSG_NATIONAL_ADAPTER", "") or "disabled"


def get_adapter() -> NationalAdapter:
    chosen = adapter_setting()
    if chosen == "disabled":
        return DisabledAdapter()
    if chosen == "file":
        return FileAdapter()
    adapter: NationalAdapter = import_string(chosen)()
    return adapter
