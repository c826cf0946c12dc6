"""Load synthetic local areas (or the demo) into the database. Refuses outside demo mode unless told."""

from __future__ import annotations

import datetime as dt
import time
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from safeguarding.synthetic import demo
from safeguarding.synthetic.derived import fill_derived
from safeguarding.synthetic.generator import SeedingRefused, generate, record_run

_LABELS = {"CHILD": "children", "ADULT": "adults", "UNBORN": "unborn children"}


def refresh_statistics() -> None:
    """After a bulk load, give the query planner fresh statistics (and PostgreSQL its visibility map), as
    autovacuum would some minutes later; without them the first searches scan whole tables."""
    vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block  # VACUUM needs autocommit
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")


class Command(BaseCommand):
    help = (
        "Generate synthetic local authorities: organisations, teams, users, families, involvements, "
        "social care journeys and chronologies. --demo loads the small demo with named logins "
        "(and does nothing if it is loaded already)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--local-authorities", type=int, default=1, help="how many local areas (default 1)")
        parser.add_argument("--children", type=int, default=1000, help="children in each local area (default 1000)")
        parser.add_argument("--seed", type=int, default=1, help="random seed: the same seed gives the same data")
        parser.add_argument(
            "--as-of",
            type=dt.date.fromisoformat,
            default=None,
            help="the date the data is generated as at (YYYY-MM-DD; default today)",
        )
        parser.add_argument("--demo", action="store_true", help="load the demo data set and its named logins")
        parser.add_argument(
            "--allow-non-demo",
            action="store_true",
            help="seed even though OSG_DEMO_MODE is off (never on a production database)",
        )
        parser.add_argument("--no-progress", action="store_true", help="do not show a progress bar")
        parser.add_argument(
            "--no-journeys",
            action="store_true",
            help="do not generate social care journeys (referrals to closure, with their chronology)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_MODE and not options["allow_non_demo"]:
            raise CommandError(
                "Refusing to load synthetic data outside demo mode. Set OSG_DEMO_MODE=1, or pass "
                "--allow-non-demo if this is certainly not a production database."
            )
        now = timezone.now()
        as_of = options["as_of"] or timezone.localdate(now)
        progress = not options["no_progress"] and options["verbosity"] > 0
        if options["demo"]:
            self._demo(now=now, as_of=as_of, progress=progress)
            return
        started = time.monotonic()
        try:
            with transaction.atomic():
                summary = generate(
                    seed=options["seed"],
                    local_authorities=options["local_authorities"],
                    children=options["children"],
                    as_of=as_of,
                    now=now,
                    progress=progress,
                    journeys=not options["no_journeys"],
                )
                summary.counts.update(fill_derived(seed=options["seed"], as_of=as_of, now=now))
                record_run(
                    now=now,
                    details={
                        "seed": options["seed"],
                        "local_authorities": options["local_authorities"],
                        "children_per_local_authority": options["children"],
                        "as_of": as_of.isoformat(),
                        "journeys": not options["no_journeys"],
                        "counts": dict(summary.counts),
                    },
                )
        except SeedingRefused as exc:
            raise CommandError(str(exc)) from exc
        refresh_statistics()
        elapsed = time.monotonic() - started
        places = ", ".join(f"{a.place} ({a.la_code})" for a in summary.areas)
        self.stdout.write(f"Seeded {places} in {elapsed:.1f} s:")
        for name, count in sorted(summary.counts.items()):
            self.stdout.write(f"  {_LABELS.get(name, name)}: {count:,}")

    def _demo(self, *, now: dt.datetime, as_of: dt.date, progress: bool) -> None:
        if not demo.is_loaded():
            with transaction.atomic():
                demo.load(now=now, as_of=as_of, progress=progress)
                fill_derived(seed=demo.DEMO_SEED, as_of=as_of, now=now)
            refresh_statistics()
        else:
            self.stdout.write("The demo data is already loaded; nothing was changed.")
        self.stdout.write(demo.logins_table())
