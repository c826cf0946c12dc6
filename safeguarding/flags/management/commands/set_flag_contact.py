"""Set a local authority's telephone numbers shown with its flags, and its notification e-mail address."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from safeguarding.organisations.models import Organisation

from ...services import NotificationRefused, set_contact


class Command(BaseCommand):
    help = "Set the office-hours and out-of-hours numbers health sees with a local authority's flags."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--la-code", required=True, help="The authority's DfE LA code, for example 991")
        parser.add_argument("--office-hours", required=True)
        parser.add_argument("--out-of-hours", required=True)
        parser.add_argument("--email", default="", help="Where access notifications are e-mailed")
        parser.add_argument("--operator", required=True, help="Who is running this (for the audit log)")

    def handle(self, *args: Any, **options: Any) -> None:
        la = Organisation.objects.filter(dfe_la_code=options["la_code"]).first()
        if la is None:
            raise CommandError(f"No local authority has the LA code {options['la_code']}")
        try:
            set_contact(
                local_authority=la,
                office_hours_phone=options["office_hours"],
                out_of_hours_phone=options["out_of_hours"],
                notification_email=options["email"],
                operator=options["operator"],
                now=timezone.now(),
            )
        except NotificationRefused as refused:
            raise CommandError(str(refused)) from None
        self.stdout.write(f"{la.name}: office hours {options['office_hours']}, out of hours {options['out_of_hours']}")
