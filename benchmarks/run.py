"""Benchmark Open Safeguarding at the size of a large local authority.

    .venv/bin/python benchmarks/run.py --database-url postgres://postgres@127.0.0.1:5432/osg_bench

Creates a fresh database (PostgreSQL, or SQLite with --database-url sqlite:////tmp/bench.sqlite3), migrates
it, seeds one synthetic local authority (60,000 children by default) and times, in process with Django's
test client (server time, no network):

* two baselines: GET /healthz, and a raw SELECT of one person by primary key;
* person search as a social worker: a mix of a misspelt name, name + date of birth, NHS number and postcode;
* the child's page (people:detail) for a child with 3 and then 300 chronology entries, and its query count;
* the child's page for the child with the fullest synthetic journey (referral, assessment, strategy discussion,
  s47, conference, CP plan, reviews, core groups, visits, voice; ~300 chronology entries), as their allocated
  worker, against a child with a short journey and the same journey grown by another ~100 records: the query
  count must not grow with the journey.

It prints a Markdown report (see benchmarks/README.md) and, with --json, writes the figures to a file.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/osg_bench"
GOALS_MS = {"search": 100.0, "detail": 150.0, "journey": 150.0}
ONLY = {"childs-page": ("detail", "journey"), "search": ("search",)}
EVERYTHING = ("search", "detail", "journey")


def main() -> None:
    args = parse_args()
    configure_environment(args.database_url)
    if not args.reuse:
        recreate_database(args.database_url)

    import django

    django.setup()
    from django.core.management import call_command

    results: dict[str, Any] = {"machine": machine(), "database": redact(args.database_url), "children": args.children}
    if args.reuse:
        print("Reusing the existing database (no migrate, no seeding).", file=sys.stderr)
    else:
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        call_command(
            "seed_synthetic",
            children=args.children,
            seed=args.seed,
            local_authorities=1,
            no_progress=args.no_progress,
            verbosity=1,
        )
        results["seed_seconds"] = round(time.perf_counter() - started, 1)  # includes its VACUUM ANALYZE
    if args.random_page_cost is not None:
        results["random_page_cost"] = set_random_page_cost(args.random_page_cost)
    results["load_average"] = load_average()
    results.update(measure(args))
    results["load_average_after"] = load_average()
    search = results.get("search", {})
    cases, principal = search.pop("cases", []), search.pop("principal", None)
    report(results)
    if args.explain and cases:
        explain(principal, cases)
    if args.profile:
        profile_journey(args.profile)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, default=str))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL),
        help=f"database to (re)create; default {DEFAULT_URL}",
    )
    parser.add_argument("--children", type=int, default=60_000, help="children in the local authority (60,000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--iterations", type=int, default=200, help="timed requests per measurement (200)")
    parser.add_argument("--reuse", action="store_true", help="measure an already-seeded database again")
    parser.add_argument("--explain", action="store_true", help="print the query plans of the slowest search queries")
    parser.add_argument(
        "--random-page-cost",
        type=float,
        help="PostgreSQL only: ALTER DATABASE ... SET random_page_cost before measuring (e.g. 1.1)",
    )
    parser.add_argument(
        "--only",
        choices=sorted(ONLY),
        help="measure only this (with the baselines): childs-page = the child's page rows, search = the searches",
    )
    parser.add_argument(
        "--profile",
        type=int,
        metavar="N",
        help="cProfile N requests of the full journey's child's page and print the costliest functions",
    )
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar while seeding")
    return parser.parse_args()


def configure_environment(url: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"
    os.environ["OSG_DEMO_MODE"] = "1"
    os.environ.setdefault("OSG_LOG_LEVEL", "ERROR")
    if url.startswith("sqlite:"):
        os.environ.pop("DATABASE_URL", None)
        os.environ["OSG_SQLITE_PATH"] = urlsplit(url).path
    else:
        os.environ["DATABASE_URL"] = url


def recreate_database(url: str) -> None:
    if url.startswith("sqlite:"):
        path = Path(urlsplit(url).path)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def set_random_page_cost(value: float) -> float:
    """Tell the planner that random reads are cheap (SSD, or a database that fits in memory)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        raise SystemExit("--random-page-cost applies to PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute(
            f"ALTER DATABASE {connection.ops.quote_name(connection.settings_dict['NAME'])} "
            f"SET random_page_cost = {float(value)}"
        )
    connection.close()  # the setting applies to new connections
    return value


def machine() -> str:
    return f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"


def load_average() -> str:
    """The 1, 5 and 15 minute load averages (the machine is shared: read the timings against them)."""
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def redact(url: str) -> str:
    """The database URL without credentials."""
    if url.startswith("sqlite:"):
        return url
    parts = urlsplit(url)
    host = parts.hostname or ""
    return urlunsplit(parts._replace(netloc=f"{host}:{parts.port}" if parts.port else host))


# --- Measuring ----------------------------------------------------------------------------------


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    quantiles = statistics.quantiles(ordered, n=100, method="inclusive")
    return {
        "p50": round(quantiles[49], 2),
        "p95": round(quantiles[94], 2),
        "max": round(ordered[-1], 2),
        "n": len(ordered),
    }


def timed(call: Callable[[], Any], iterations: int, warmup: int = 5) -> list[float]:
    for _ in range(warmup):
        call()
    samples = []
    for _ in range(iterations):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def measure(args: argparse.Namespace) -> dict[str, Any]:
    from django.db import connection
    from django.test import Client

    from safeguarding.people.models import Person
    from tests.factories import sign_in

    worker, membership, child = pick_social_worker_and_child()
    client = Client()
    sign_in(client, worker, membership)
    out: dict[str, Any] = {"social_worker": worker.username, "child_relationships": relationship_count(child)}

    out["healthz"] = percentiles(timed(lambda: expect(client.get("/healthz"), 200), args.iterations))
    person_id = child.pk

    def select_by_pk() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT id, given_name, family_name FROM people_person WHERE id = %s", [person_id])
            cursor.fetchone()

    out["select_by_pk"] = percentiles(timed(select_by_pk, args.iterations))
    parts = ONLY[args.only] if args.only else EVERYTHING
    if "search" in parts:
        out["search"] = measure_search(client, worker, membership, args)
    if "detail" in parts:
        out.update(measure_detail(client, child, args))
    if "journey" in parts:
        out["journey"] = measure_journey(args)
    out["people"] = Person.objects.count()
    return out


def measure_detail(client: Any, child: Any, args: argparse.Namespace) -> dict[str, Any]:
    """The worker's child with the largest family, with exactly 3 and then 300 chronology entries."""
    from django.urls import reverse

    out: dict[str, Any] = {}
    detail_url = reverse("people:detail", kwargs={"public_id": child.public_id})
    for events in (3, 300):
        set_chronology_size(child, events)
        try:
            queries = count_queries(lambda: expect(client.get(detail_url), 200))
            samples = timed(lambda: expect(client.get(detail_url), 200), args.iterations)
            out[f"detail_{events}"] = {**percentiles(samples), "queries": queries}
        except NotImplementedError:
            out[f"detail_{events}"] = {"error": "people:detail is not implemented yet"}
    return out


def measure_journey(args: argparse.Namespace) -> dict[str, Any]:
    """The child's page for a full journey, a short one, and the full one grown (same worker, same page)."""
    from django.test import Client
    from django.urls import reverse

    from safeguarding.accounts.models import Membership
    from tests.factories import sign_in

    full, short = pick_journey_children()
    if full is None:
        return {"error": "no child with a CP plan and reviews (seeded with --no-journeys?)"}
    worker = full.allocated_worker
    membership = Membership.objects.filter(user=worker, is_active=True).first()
    client = Client()
    sign_in(client, worker, membership)
    out: dict[str, Any] = {}
    for key, episode in (("full", full), ("short", short)):
        if episode is None:
            continue
        page = reverse("people:detail", kwargs={"public_id": episode.person.public_id})

        def get(page: str = page) -> Any:
            return expect(client.get(page), 200)

        queries = count_queries(get)
        samples = timed(get, args.iterations)
        out[key] = {**percentiles(samples), "queries": queries, **journey_size(episode.person)}
    grown = grow_journey(full)
    try:
        url = reverse("people:detail", kwargs={"public_id": full.person.public_id})
        queries = count_queries(lambda: expect(client.get(url), 200))
        samples = timed(lambda: expect(client.get(url), 200), args.iterations)
        out["grown"] = {**percentiles(samples), "queries": queries, **journey_size(full.person)}
    finally:
        shrink_journey(grown)  # so that a run with --reuse measures the same full journey again
    return out


def profile_journey(iterations: int) -> None:
    """cProfile the full journey's child's page, in process, and print where the time goes."""
    import cProfile
    import io
    import pstats

    from django.test import Client
    from django.urls import reverse

    from safeguarding.accounts.models import Membership
    from tests.factories import sign_in

    full, _short = pick_journey_children()
    if full is None:
        print("No full journey to profile.", file=sys.stderr)
        return
    client = Client()
    worker = full.allocated_worker
    sign_in(client, worker, Membership.objects.filter(user=worker, is_active=True).first())
    url = reverse("people:detail", kwargs={"public_id": full.person.public_id})
    for _ in range(5):
        expect(client.get(url), 200)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(iterations):
        client.get(url)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(45)
    stats.sort_stats("tottime").print_stats(25)
    title = f"cProfile of {iterations} requests for the full journey's child's page"
    print(f"\n-- {title}\n{out.getvalue()}", file=sys.stderr)


def pick_journey_children() -> tuple[Any, Any]:
    """The open CP-plan episode whose child has the most chronology entries (the generator's showcase), and
    a short journey (an open assessment) held by the same worker where there is one."""
    from django.db.models import Count

    from safeguarding.casework.codes import Stage
    from safeguarding.casework.models import Episode

    open_cp = (
        Episode.objects.filter(stage=Stage.CHILD_PROTECTION, closure_date__isnull=True, person__is_restricted=False)
        .annotate(entries=Count("person__chronology", distinct=True))
        .select_related("person", "allocated_worker")
        .order_by("-entries", "id")
    )
    full = open_cp.first()
    if full is None:
        return None, None
    short = (
        Episode.objects.filter(
            allocated_worker=full.allocated_worker, closure_date__isnull=True, person__is_restricted=False
        )
        .exclude(person=full.person)
        .annotate(entries=Count("person__chronology", distinct=True))
        .select_related("person")
        .order_by("entries", "id")
        .first()
    )
    return full, short


def journey_size(person: Any) -> dict[str, int]:
    from safeguarding.casework.models import Conference, Episode
    from safeguarding.chronology.models import ChronologyEntry

    return {
        "chronology": ChronologyEntry.objects.filter(person=person).count(),
        "episodes": Episode.objects.filter(person=person).count(),
        "conferences": Conference.objects.filter(episode__person=person).count(),
    }


def grow_journey(episode: Any) -> list[Any]:
    """Another ~100 records on the open CP plan: review conferences, core groups, visits, voice (throwaway DB)."""
    import datetime as dt

    from django.apps import apps
    from django.utils import timezone

    from safeguarding.casework.codes import ConferenceDecision, ConferenceKind
    from safeguarding.casework.models import Conference, CoreGroupMeeting
    from safeguarding.chronology.models import ChronologyEntry

    plan = episode.cp_plans.filter(end_date__isnull=True).first()
    now, by, person = timezone.now(), episode.allocated_worker, episode.person
    common = {"recorded_at": now, "recorded_by": by}
    days = [plan.start_date + dt.timedelta(days=1 + i) for i in range(25)]
    made: list[Any] = Conference.objects.bulk_create(
        Conference(
            episode=episode,
            kind=ConferenceKind.REVIEW,
            plan=plan,
            held_on=d,
            decision=ConferenceDecision.PLAN,
            category=plan.latest_category,
            rationale="Benchmark review",
            **common,
        )  # fmt: skip
        for d in days
    )
    made += CoreGroupMeeting.objects.bulk_create(
        CoreGroupMeeting(plan=plan, held_on=d, progress="Benchmark core group", **common) for d in days
    )
    if apps.is_installed("safeguarding.voice"):
        visit, voice = apps.get_model("voice", "Visit"), apps.get_model("voice", "VoiceEntry")
        made += visit.objects.bulk_create(
            visit(person=person, visited_on=d, place="HOME", is_seen=True, is_seen_alone=True, **common) for d in days
        )
        made += voice.objects.bulk_create(
            voice(person=person, recorded_on=d, gathered="OWN_WORDS", words="Benchmark words", **common) for d in days
        )
    made += ChronologyEntry.objects.bulk_create(
        ChronologyEntry(
            person=person,
            occurred_on=now.date(),
            recorded_at=now,
            recorded_by=by,
            category="Benchmark",
            summary="Benchmark event",
            source_type=row._meta.label_lower,
            source_id=str(row.public_id),
        )
        for row in list(made)
    )
    return made


def shrink_journey(made: list[Any]) -> None:
    """Delete what grow_journey added (newest kinds first: the chronology entries, then their sources)."""
    by_model: dict[Any, list[Any]] = {}
    for row in made:
        by_model.setdefault(type(row), []).append(row.pk)
    for model, pks in reversed(list(by_model.items())):
        model.objects.filter(pk__in=pks).delete()


def expect(response: Any, status: int) -> Any:
    if response.status_code != status:
        raise RuntimeError(f"{response.request['PATH_INFO']} answered {response.status_code}, expected {status}")
    return response


def count_queries(call: Callable[[], Any]) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured.captured_queries)


def pick_social_worker_and_child() -> tuple[Any, Any, Any]:
    """The social worker with the most open allocations, and their child with the largest recorded family."""
    from django.db.models import Count, Q

    from safeguarding.access.models import InvolvementKind
    from safeguarding.accounts.models import Membership
    from safeguarding.accounts.roles import Role
    from safeguarding.people.models import Person

    memberships = (
        Membership.objects.filter(role=Role.SOCIAL_WORKER, is_active=True)
        .annotate(
            open=Count(
                "user__involvements",
                filter=Q(
                    user__involvements__kind=InvolvementKind.ALLOCATED_WORKER, user__involvements__end_date__isnull=True
                ),
            )
        )
        .order_by("-open", "id")
        .select_related("user")
    )
    membership = memberships.first()
    if membership is None:
        raise SystemExit("No social worker in the database: seed it first")
    children = (
        Person.objects.filter(
            involvements__user=membership.user, involvements__end_date__isnull=True, kind="CHILD", is_restricted=False
        )
        .annotate(relatives=Count("relationships_out", distinct=True) + Count("relationships_in", distinct=True))
        .order_by("-relatives", "id")
    )
    return membership.user, membership, children.first()


def relationship_count(person: Any) -> int:
    from django.db.models import Q

    from safeguarding.people.models import Relationship

    return Relationship.objects.filter(Q(from_person=person) | Q(to_person=person)).count()


def set_chronology_size(person: Any, size: int) -> None:
    """Give the benchmark child exactly `size` chronology entries (this is a throwaway database)."""
    import datetime as dt

    from django.utils import timezone

    from safeguarding.chronology.models import ChronologyEntry

    entries = ChronologyEntry.objects.filter(person=person)
    have = entries.count()
    if have > size:
        ChronologyEntry.objects.filter(pk__in=list(entries.order_by("id").values_list("pk", flat=True)[size:])).delete()
        return
    now = timezone.now()
    worker = entries.values_list("recorded_by_id", flat=True).first()
    ChronologyEntry.objects.bulk_create(
        [
            ChronologyEntry(
                person=person,
                occurred_on=now.date() - dt.timedelta(days=3 * i),
                recorded_at=now,
                recorded_by_id=worker,
                category="Visit",
                summary=f"Benchmark visit {i}: child seen alone",
                source_type="benchmark",
                source_id=str(i),
            )
            for i in range(size - have)
        ]
    )


def search_cases(worker: Any, count: int = 400) -> list[tuple[str, dict[str, Any]]]:
    """(kind, criteria) pairs drawn from children in the worker's local authority."""
    from safeguarding.people.models import Address, Person
    from safeguarding.synthetic.generator import misspell

    rng = random.Random(5)
    la_id = worker.memberships.first().organisation_id
    candidates = Person.objects.filter(
        local_authority_id=la_id, kind="CHILD", is_restricted=False, merged_into__isnull=True
    ).exclude(nhs_number="")
    ids = list(candidates.order_by("id").values_list("id", flat=True))
    people = list(Person.objects.filter(id__in=rng.sample(ids, min(count, len(ids)))).order_by("id"))
    postcodes = dict(
        Address.objects.filter(person__in=people, valid_to__isnull=True).values_list("person_id", "postcode")
    )
    cases: list[tuple[str, dict[str, Any]]] = []
    for i, person in enumerate(people):
        kind = ("name with a typo", "name and date of birth", "NHS number", "postcode")[i % 4]
        if kind == "name with a typo":
            criteria: dict[str, Any] = {"name": f"{misspell(person.given_name, rng)} {person.family_name}"}
        elif kind == "name and date of birth":
            criteria = {"name": f"{person.given_name} {person.family_name}", "date_of_birth": person.date_of_birth}
        elif kind == "NHS number":
            criteria = {"nhs_number": person.nhs_number}
        else:
            if person.pk not in postcodes:
                continue
            criteria = {"postcode": postcodes[person.pk]}
        cases.append((kind, criteria))
    return cases


def as_query(criteria: dict[str, Any]) -> dict[str, str]:
    """The search form's GET parameters (the date of birth is a three-box GOV.UK date input)."""
    query = {k: str(v) for k, v in criteria.items() if k != "date_of_birth"}
    born = criteria.get("date_of_birth")
    if born:
        query.update(
            {"date_of_birth_0": str(born.day), "date_of_birth_1": str(born.month), "date_of_birth_2": str(born.year)}
        )
    return query


def measure_search(client: Any, worker: Any, membership: Any, args: argparse.Namespace) -> dict[str, Any]:
    from django.db import transaction
    from django.urls import reverse
    from django.utils import timezone

    from safeguarding.access import queries
    from safeguarding.accounts.principal import Principal

    url = reverse("people:search")
    cases = search_cases(worker)
    principal = Principal(user=worker, membership=membership, channel="WEB")
    via = "the search page (people:search) through the test client"

    def through_page(criteria: dict[str, Any]) -> None:
        expect(client.get(url, as_query(criteria)), 200)

    def through_queries(criteria: dict[str, Any]) -> None:
        with transaction.atomic():
            queries.search_people(principal, now=timezone.now(), **criteria)

    run = through_page
    try:
        through_page(cases[0][1])
    except NotImplementedError:
        run, via = through_queries, "access.queries.search_people directly (the search page is not implemented yet)"
    by_kind: dict[str, list[float]] = {}
    hits: dict[str, list[int]] = {}
    for _ in range(2):  # warm-up
        for _kind, criteria in cases[:8]:
            run(criteria)
    rounds = max(1, args.iterations * 4 // len(cases))
    for _ in range(rounds):
        for kind, criteria in cases:
            started = time.perf_counter()
            run(criteria)
            by_kind.setdefault(kind, []).append((time.perf_counter() - started) * 1000)
    for kind, criteria in cases[:40]:
        with transaction.atomic():
            found = queries.search_people(principal, now=timezone.now(), **criteria)
        hits.setdefault(kind, []).append(len(found.hits))
    result: dict[str, Any] = {"via": via, "all": percentiles([s for samples in by_kind.values() for s in samples])}
    for kind, samples in by_kind.items():
        result[kind] = {**percentiles(samples), "mean_hits": round(statistics.mean(hits.get(kind, [0])), 1)}
    result["cases"] = cases
    result["principal"] = principal
    return result


def explain(principal: Any, cases: list[tuple[str, dict[str, Any]]]) -> None:
    """Print the plan of the slowest SQL statement of one search of each kind."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from safeguarding.access import queries

    seen: set[str] = set()
    for kind, criteria in cases:
        if kind in seen:
            continue
        seen.add(kind)
        with CaptureQueriesContext(connection) as captured, transaction.atomic():
            queries.search_people(principal, now=timezone.now(), **criteria)
        selects = [q for q in captured.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]
        slowest = max(selects, key=lambda q: float(q["time"]))
        print(
            f"\n-- {kind} {criteria}: slowest of {len(selects)} SELECT statements "
            f"({float(slowest['time']) * 1000:.1f} ms)\n{slowest['sql']}\n",
            file=sys.stderr,
        )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + slowest["sql"])
                print("\n".join(row[0] for row in cursor.fetchall()), file=sys.stderr)


# --- Reporting ----------------------------------------------------------------------------------


def report(results: dict[str, Any]) -> None:
    base = results["healthz"]["p50"]
    pk = results["select_by_pk"]["p50"]
    lines = [
        f"Machine: {results['machine']}; database: {results['database']}; people: {results.get('people', '?'):,}",
        f"Seeding {results['children']:,} children: {results['seed_seconds']} s" if "seed_seconds" in results else "",
        f"Search ran through {results['search']['via']}." if "search" in results else "",
        f"Load average (1, 5, 15 min) before: {results.get('load_average', '?')}; "
        f"after: {results.get('load_average_after', '?')}.",
        f"PostgreSQL random_page_cost set to {results['random_page_cost']}." if "random_page_cost" in results else "",
        "",
        "| measurement | p50 ms | p95 ms | max ms | p50 / healthz | p50 / SELECT by pk | queries | goal (p95) |",
        "|---|---|---|---|---|---|---|---|",
    ]

    def row(name: str, figures: dict[str, Any], goal: str = "") -> None:
        if "error" in figures:
            lines.append(f"| {name} | {figures['error']} |||||||")
            return
        lines.append(
            f"| {name} | {figures['p50']} | {figures['p95']} | {figures['max']} | {figures['p50'] / base:.1f}x | "
            f"{figures['p50'] / pk:.0f}x | {figures.get('queries', '')} | {goal} |"
        )

    row("GET /healthz (baseline)", results["healthz"])
    row("SELECT person by primary key (baseline)", results["select_by_pk"])
    for kind, figures in results.get("search", {}).items():
        if kind == "via":
            continue
        label = "search: all kinds" if kind == "all" else f"search: {kind} (mean {figures['mean_hits']} hits)"
        row(label, figures, verdict(figures, GOALS_MS["search"]))
    for events in (3, 300):
        if f"detail_{events}" not in results:
            continue
        row(
            f"child's page, {events} chronology entries",
            results[f"detail_{events}"],
            verdict(results[f"detail_{events}"], GOALS_MS["detail"]),
        )
    journey = results.get("journey", {})
    if "error" in journey:
        row("child's page, full journey", journey)
    labels = {"full": "full journey", "short": "short journey", "grown": "full journey grown by ~100 records"}
    for key, label in labels.items():
        if key in journey:
            figures = journey[key]
            size = f"{figures['chronology']} chronology entries, {figures['conferences']} conferences"
            row(f"child's page, {label} ({size})", figures, verdict(figures, GOALS_MS["journey"]))
    print("\n".join(line for line in lines if line is not None))


def verdict(figures: dict[str, Any], goal: float) -> str:
    if "p95" not in figures:
        return ""
    return f"≤ {goal:.0f}: {'met' if figures['p95'] <= goal else 'MISSED'}"


if __name__ == "__main__":
    main()
