"""Where a flag look-up's time goes, in one process: no gunicorn, no wrk, no other clients.

    .venv/bin/python benchmarks/flags_profile.py [--database-url postgres://postgres@127.0.0.1:5432/osg_bench_flags]
        [--requests 2000] [--profile 30] [--server-side-binding]

Needs the database `benchmarks/flags_load.py` loaded (run that once first; this one only reads its flags
and writes look-ups' rows). It calls the production WSGI application (every middleware, production settings,
demo mode off) in a loop with the load test's request, half of the numbers flagged, and prints the CPU time
per look-up in this process and in PostgreSQL, the statements per look-up, and with --profile N the N
functions with the most cumulative time (cProfile). It measures the cost of one look-up; the load test
measures what 50 clients at once get.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import random
import secrets
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.flags_load import DEFAULT_URL, SEARCH, database_pids, nhs_numbers_999, process_cpu_seconds  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_FLAGS_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--profile", type=int, default=0, help="print the N functions with most cumulative time")
    parser.add_argument("--server-side-binding", action="store_true")
    args = parser.parse_args()
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "benchmarks.flags_settings",
            "DATABASE_URL": args.database_url,
            "OSG_SECRET_KEY": secrets.token_urlsafe(48),
            "OSG_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "OSG_LOG_LEVEL": "WARNING",
        }
    )
    os.environ.pop("OSG_DEMO_MODE", None)
    if args.server_side_binding:
        os.environ["OSG_BENCH_SERVER_SIDE_BINDING"] = "1"
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()
    from django.db import connection
    from django.utils import timezone

    from safeguarding.accounts import tokens
    from safeguarding.accounts.models import Membership
    from safeguarding.flags.models import Flag

    membership = Membership.objects.filter(user__username__startswith="ed-clinician-").select_related("user").first()
    if membership is None:
        raise SystemExit("no benchmark clinicians: run benchmarks/flags_load.py once to load the database")
    token = tokens.create_token(membership=membership, name="profile", operator="flags_profile", now=timezone.now())
    rng = random.Random(7)
    flagged = list(Flag.objects.order_by("?").values_list("nhs_number", flat=True)[:5000])
    flagged_set = set(flagged)
    others = [n for n in nhs_numbers_999()[-20_000:] if n not in flagged_set][:5000]
    numbers = [rng.choice(flagged) if i % 2 else rng.choice(others) for i in range(args.requests)]
    connection.close()

    def call(number: str) -> int:
        path, _, query = (SEARCH + number).partition("?")
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "HTTP_HOST": "127.0.0.1:8000",
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_AUTHORIZATION": f"Bearer {token}",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(b""),
            "wsgi.errors": sys.stderr,
            "SERVER_PROTOCOL": "HTTP/1.1",
        }
        status: list[str] = []
        body = b"".join(application(environ, lambda s, h, *a: status.append(s)))
        assert status[0].startswith("200"), (status, body[:300])
        return len(body)

    for number in numbers[:200]:  # warm: connection, caches, prepared statements
        call(number)
    statements = count_statements(call, numbers[:100])
    backends = database_pids(args.database_url)
    cpu_db = process_cpu_seconds(backends)
    cpu = time.process_time()
    wall = time.perf_counter()
    profiler = cProfile.Profile() if args.profile else None
    if profiler:
        profiler.enable()
    for number in numbers:
        call(number)
    if profiler:
        profiler.disable()
    wall = time.perf_counter() - wall
    cpu = time.process_time() - cpu
    cpu_db = process_cpu_seconds(backends) - cpu_db
    n = len(numbers)
    print(f"{n} look-ups, half flagged: {wall * 1000 / n:.2f} ms wall each, {cpu * 1000 / n:.2f} ms CPU here,")
    print(f"{cpu_db * 1000 / n:.2f} ms CPU in PostgreSQL, {statements:.1f} statements each", end="")
    print(" (with cProfile on: times inflated)" if profiler else "")
    if profiler:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(os.environ.get("PROFILE_SORT", "cumulative")).print_stats(
            args.profile
        )
        print(out.getvalue())


def count_statements(call, numbers: list[str]) -> float:  # type: ignore[no-untyped-def]
    from django.db import connection

    executed = 0

    def counter(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        nonlocal executed
        executed += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        for number in numbers:
            call(number)
    return executed / len(numbers)


if __name__ == "__main__":
    main()
