"""Settings for the gunicorn server of benchmarks/flags_load.py: the production settings (demo mode off, so
OSG_SECRET_KEY is required, DEBUG off, MFA on), with plain static storage (no collectstatic) and no redirect
to HTTPS, because the load generator talks plain HTTP on the loopback, as a TLS-terminating proxy would."""

from benchmarks.settings import *  # noqa: F403

SECURE_SSL_REDIRECT = False
