"""Settings for the gunicorn server of benchmarks/flags_load.py: the production settings (demo mode off, so
OSG_SECRET_KEY is required, DEBUG off, MFA on), with plain static storage (no collectstatic) and no redirect
to HTTPS, because the load generator talks plain HTTP on the loopback, as a TLS-terminating proxy would."""

import os

from benchmarks.settings import *  # noqa: F403

SECURE_SSL_REDIRECT = False

if os.environ.get("OSG_BENCH_SERVER_SIDE_BINDING") == "1":  # an experiment: PostgreSQL prepares repeated statements
    DATABASES["default"].setdefault("OPTIONS", {})["server_side_binding"] = True  # noqa: F405
    DATABASES["default"]["OPTIONS"]["prepare_threshold"] = int(os.environ.get("OSG_BENCH_PREPARE_THRESHOLD", "5"))  # noqa: F405

if os.environ.get("OSG_BENCH_NO_HEALTH_CHECKS") == "1":  # an experiment: what one round trip a request costs
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = False  # noqa: F405
