"""Give every partnership (or one, by name) the default eight section 11 standards, if it has none yet."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from safeguarding.organisations.models import Partnership
from safeguarding.section11 import services


class Command(BaseCommand):
    help = "Install the default section 11 standards for partnerships that have none (existing sets are kept)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--partnership", default="", help="Only this partnership (its exact name)")

    def handle(self, *args: Any, **options: Any) -> None:
        partnerships = Partnership.objects.order_by("name")
        if options["partnership"]:
            partnerships = partnerships.filter(name=options["partnership"])
        for partnership in partnerships:
            standards = services.install_default_standards(partnership=partnership, principal=None, now=timezone.now())
            self.stdout.write(f"{partnership.name}: {len(standards)} standards")
