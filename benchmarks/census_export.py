"""Benchmark the CIN census export for a large local authority: 20,000 referrals a year.

    .venv/bin/python benchmarks/census_export.py [--database-url sqlite:////tmp/census_bench.sqlite3] [--validate]

Builds a fresh database with bulk_create (no services, no chronology: only what the census reads):
four collection years of journeys at national shares (NFA, assessment, CIN plan, s47, ICPC, plan,
reviews, category changes, disabilities) plus the open caseload they leave on 1 April 2025. Then, in
a fresh process so its peak memory is the export's own (Django included), exports 2025-26 and
prints the time and the peak resident memory (`resource.getrusage`). Goals (issue 3 §9):
<= 30 s and <= 500 MB. With --validate it also times the XSD and DfE-rules checks of the file.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "sqlite:////tmp/census_bench.sqlite3"
REFERRALS_A_YEAR = 20_000
GOALS = {"seconds": 30.0, "peak_mb": 500.0}
WARM_UP = dt.date(2022, 4, 1)  # four collection years: 2022-23 to 2025-26
LAST = dt.date(2026, 3, 31)
DATA_UNTIL = dt.date(2026, 6, 30)  # a little activity after the year, which the export leaves out
BATCH = 5000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--referrals", type=int, default=REFERRALS_A_YEAR, help="referrals a year")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reuse", action="store_true", help="keep the database built last time")
    parser.add_argument("--validate", action="store_true", help="also time the XSD and DfE-rules checks")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)  # child processes
    parser.add_argument("--build", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "census_bench.xml")
    args = parser.parse_args()
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("OSG_DEMO_MODE", "1")
    if args.measure:
        print(json.dumps(measure(args)))
        return

    if args.build:
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        counts = build(args.referrals, args.seed)
        print(f"Built in {time.perf_counter() - started:.0f} s: {counts}", file=sys.stderr)
        return

    # This process never imports Django: the build and the export each run in a child of it, so the
    # export's peak memory (ru_maxrss, which Linux carries across fork and exec) is its own.
    if not args.reuse:
        if args.database_url.startswith("sqlite:///"):
            for suffix in ("", "-wal", "-shm"):
                Path(args.database_url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
        build_argv = [sys.executable, __file__, "--build", "--database-url", args.database_url]
        build_argv += ["--referrals", str(args.referrals), "--seed", str(args.seed)]
        subprocess.run(build_argv, check=True)
    child = [sys.executable, __file__, "--measure", "--database-url", args.database_url, "--out", str(args.out)]
    if args.validate:
        child.append("--validate")
    figures = json.loads(subprocess.run(child, check=True, capture_output=True, text=True).stdout)
    report(figures)


def build(referrals_a_year: int, seed: int) -> dict[str, int]:
    """Journeys at national shares (statutory.md §6), written with bulk_create."""
    from django.utils import timezone

    from safeguarding.accounts.models import User
    from safeguarding.casework import models as cw
    from safeguarding.organisations.models import Organisation, OrganisationType
    from safeguarding.people.models import Person, PersonDisability

    rng = random.Random(seed)
    now = timezone.now()
    la = Organisation.objects.create(
        name="Benchmark County Council", type=OrganisationType.LOCAL_AUTHORITY, dfe_la_code="990"
    )
    user = User.objects.create_user(username="census-bench")
    stamp = {"recorded_at": now, "recorded_by": user}
    # Each child's referrals in date order, never overlapping (one open episode per child): a first
    # referral at a steady rate from WARM_UP (so 1 April 2025 has an open caseload), then re-referrals
    # for about a third of children, after their case closed.
    target = referrals_a_year * ((LAST - WARM_UP).days + 1) // 365
    plans: list[tuple[int, list[tuple[dt.date, str, int]]]] = []
    made = 0
    span = (LAST - WARM_UP).days
    while made < target:
        child: list[tuple[dt.date, str, int]] = []
        day = WARM_UP + dt.timedelta(days=rng.randint(0, span))
        while day <= LAST and made < target:
            path = rng.choices(["nfa", "closed", "cin", "s47"], weights=[6.5, 30.8, 26.3, 36.4])[0]
            length = {"nfa": 0, "closed": rng.randint(10, 60), "cin": rng.randint(90, 500), "s47": rng.randint(60, 700)}
            child.append((day, path, length[path]))
            made += 1
            day = day + dt.timedelta(days=length[path] + rng.randint(20, 400))
            if rng.random() > 0.35:
                break
        plans.append((len(plans), child))

    people = Person.objects.bulk_create(
        [
            Person(
                local_authority=la,
                given_name="Bench",
                family_name=f"Child{i}",
                la_person_id=f"B{i:07d}",
                date_of_birth=dt.date(2008, 1, 1) + dt.timedelta(days=rng.randint(0, 6500)),
                sex=rng.choice("MF"),
                ethnicity=rng.choice(["WBRI", "WOTH", "MWBC", "AIND", "BAFR", "NOBT"]),
                created_at=now,
                updated_at=now,
            )
            for i, _ in plans
        ],
        batch_size=BATCH,
    )
    PersonDisability.objects.bulk_create(
        [
            PersonDisability(person=p, code=rng.choice(["AUT", "LD", "COMM", "BEH"]))
            for p in people
            if rng.random() < 0.1
        ],
        batch_size=BATCH,
    )

    episodes: list[Any] = []
    shapes: list[tuple[str, int]] = []
    for person, (_, child) in zip(people, plans, strict=True):
        for referral, path, length in child:
            closure = referral + dt.timedelta(days=length)
            is_open = closure > DATA_UNTIL
            episodes.append(
                cw.Episode(
                    person=person,
                    local_authority=la,
                    referral_date=referral,
                    referral_source=rng.choice(["6", "2A", "3A", "1A", "8"]),
                    primary_need="" if path == "nfa" else rng.choice(["N1", "N4", "N5"]),
                    referral_nfa=path == "nfa",
                    closure_date=None if is_open else closure,
                    closure_reason="" if is_open else ("RC8" if path == "closed" else "RC7"),
                    **stamp,
                )
            )
            shapes.append((path, length))
    episodes = cw.Episode.objects.bulk_create(episodes, batch_size=BATCH)

    assessments, cin_plans, strategies, plan_rows = [], [], [], []
    for ep, (path, length) in zip(episodes, shapes, strict=True):
        if path == "nfa":
            continue
        end = ep.closure_date or DATA_UNTIL
        done = min(ep.referral_date + dt.timedelta(days=min(length, 35)), end)
        factors = ["21"] if path == "closed" else rng.sample(["3B", "4B", "17A", "16A", "2B"], 2)
        assessments.append(
            cw.Assessment(
                episode=ep,
                start_date=ep.referral_date,
                timescale_working_days=45,
                timescale_reason="Usual",
                completed_on=done,
                authorised_on=done,
                factors=factors,
                **stamp,
            )
        )
        if path == "cin":
            cin_plans.append(
                cw.ChildInNeedPlan(
                    episode=ep, start_date=done, end_date=ep.closure_date, outcomes="Support at home", **stamp
                )
            )
        if path == "s47":
            strategies.append(
                cw.StrategyDiscussion(
                    episode=ep,
                    held_on=ep.referral_date + dt.timedelta(days=3),
                    agencies="Police, health",
                    outcome="S47",
                    rationale="Concern",
                    **stamp,
                )
            )
    cw.Assessment.objects.bulk_create(assessments, batch_size=BATCH)
    cw.ChildInNeedPlan.objects.bulk_create(cin_plans, batch_size=BATCH)
    strategies = cw.StrategyDiscussion.objects.bulk_create(strategies, batch_size=BATCH)

    s47s, icpc_for = [], []
    for strategy in strategies:
        ep = strategy.episode
        conference = rng.random() < 0.313
        completed = strategy.held_on + dt.timedelta(days=14)
        s47s.append(
            cw.Section47Enquiry(
                episode=ep,
                strategy_discussion=strategy,
                start_date=strategy.held_on,
                conference_target_date=completed,
                completed_on=completed,
                outcome="ICPC" if conference else "NFA",
                **stamp,
            )
        )
        icpc_for.append(conference)
    s47s = cw.Section47Enquiry.objects.bulk_create(s47s, batch_size=BATCH)

    conferences = []
    for s47, conference in zip(s47s, icpc_for, strict=True):
        if not conference:
            continue
        plan = rng.random() < 0.858
        conferences.append(
            cw.Conference(
                episode=s47.episode,
                kind="INITIAL",
                section47=s47,
                held_on=s47.completed_on,
                decision="PLAN" if plan else "NO_PLAN",
                category="NEG" if plan else "",
                rationale="Conference",
                **stamp,
            )
        )
        if plan:
            end = s47.episode.closure_date
            plan_rows.append(
                cw.ChildProtectionPlan(
                    episode=s47.episode,
                    start_date=s47.completed_on,
                    end_date=end if end and end > s47.completed_on else None,
                    initial_category=rng.choice(["NEG", "EMO"]),
                    latest_category="NEG",
                    **stamp,
                )
            )
    cw.Conference.objects.bulk_create(conferences, batch_size=BATCH)
    plan_rows = cw.ChildProtectionPlan.objects.bulk_create(plan_rows, batch_size=BATCH)

    reviews, changes = [], []
    for plan in plan_rows:
        end = plan.end_date or DATA_UNTIL
        day = plan.start_date + dt.timedelta(days=90)
        while day < end:
            reviews.append(
                cw.Conference(
                    episode=plan.episode,
                    kind="REVIEW",
                    plan=plan,
                    held_on=day,
                    decision="PLAN",
                    category="NEG",
                    rationale="Review",
                    **stamp,
                )
            )
            if rng.random() < 0.1:
                changes.append(
                    cw.CategoryChange(plan=plan, changed_on=day, category="MUL", reason="New concerns", **stamp)
                )
            day += dt.timedelta(days=182)
    cw.Conference.objects.bulk_create(reviews, batch_size=BATCH)
    cw.CategoryChange.objects.bulk_create(changes, batch_size=BATCH)
    in_year = sum(1 for e in episodes if dt.date(2025, 4, 1) <= e.referral_date <= LAST)
    return {
        "children": len(people),
        "episodes": len(episodes),
        "referrals_2025_26": in_year,
        "assessments": len(assessments),
        "s47": len(s47s),
        "cp_plans": len(plan_rows),
        "reviews": len(reviews),
    }


def measure(args: argparse.Namespace) -> dict[str, Any]:
    import django

    django.setup()
    from django.utils import timezone

    from safeguarding.census import export, validation
    from safeguarding.census.years import year_for
    from safeguarding.organisations.models import Organisation

    year = year_for("2025-26")
    la = Organisation.objects.get(dfe_la_code="990")
    before_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started, cpu = time.perf_counter(), time.process_time()
    result = export.export_to_file(args.out, local_authority=la, year=year, now=timezone.now())
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    figures: dict[str, Any] = {
        "children": result.children,
        "episodes": result.episodes,
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu, 2),
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "startup_mb": round(before_mb, 1),
        "file_mb": round(args.out.stat().st_size / 1e6, 1),
        "database": args.database_url.split("://")[0],
    }
    if args.validate:
        started = time.perf_counter()
        _, xsd_errors = validation.check_xsd(args.out, year)
        figures["xsd_seconds"] = round(time.perf_counter() - started, 1)
        figures["xsd_errors"] = xsd_errors
        started = time.perf_counter()
        rules = validation.check_rules(args.out, year)
        figures["rules_seconds"] = round(time.perf_counter() - started, 1)
        figures["child_errors"] = sum(1 for i in rules["child_issues"] if i["severity"] == "ERROR")
        figures["validator_peak_mb"] = round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)
    return figures


def report(figures: dict[str, Any]) -> None:
    ok = figures["seconds"] <= GOALS["seconds"] and figures["peak_mb"] <= GOALS["peak_mb"]
    print("| measure | figure | goal |")
    print("|---|---|---|")
    print(f"| children / episodes in the 2025-26 return | {figures['children']:,} / {figures['episodes']:,} | |")
    print(f"| export time (wall) | {figures['seconds']} s | <= {GOALS['seconds']:.0f} s |")
    print(f"| export time (CPU of the exporting process) | {figures['cpu_seconds']} s | |")
    print(f"| export peak memory (whole process) | {figures['peak_mb']} MB | <= {GOALS['peak_mb']:.0f} MB |")
    print(f"| memory after Django start-up | {figures['startup_mb']} MB | |")
    print(f"| file size | {figures['file_mb']} MB | |")
    for key in ("xsd_seconds", "rules_seconds", "validator_peak_mb", "xsd_errors", "child_errors"):
        if key in figures:
            print(f"| {key.replace('_', ' ')} | {figures[key]} | |")
    print(f"\n{'Within' if ok else 'OUTSIDE'} the goals ({figures['database']}).")
    if not ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
