"""Play the national flag service against the file adapter's directories, for demonstrations and tests.
This is a simulator: it does not connect to, and says nothing about, the real national service."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from ...adapters import national_directory
from ...simulator import NationalSimulator


class Command(BaseCommand):
    help = "Simulate the national flag service: consume the outbox, or emit an access notification."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["consume", "access", "show"])
        parser.add_argument("--nhs-number", default="")
        parser.add_argument("--ods-code", default="RYY99")
        parser.add_argument("--organisation", default="Elsewhere General Hospital emergency department")
        parser.add_argument("--role", default="Emergency department nurse")
        parser.add_argument("--unknown-nhs-number", action="append", default=[])

    def handle(self, *args: Any, **options: Any) -> None:
        simulator = NationalSimulator(national_directory(), unknown_nhs_numbers=set(options["unknown_nhs_number"]))
        self.stdout.write("SIMULATOR: not the national service.")
        if options["action"] == "consume":
            applied = simulator.consume()
            self.stdout.write(f"{len(applied)} message(s) applied and acknowledged")
        elif options["action"] == "access":
            written = simulator.emit_access(
                options["nhs_number"],
                at=timezone.now(),
                ods_code=options["ods_code"],
                organisation_name=options["organisation"],
                role=options["role"],
            )
            self.stdout.write(f"{len(written)} access notification(s) written" if written else "No flag held")
        else:
            self.stdout.write(f"{len(simulator.flags)} flag(s) held")
