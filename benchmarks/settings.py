"""Settings for benchmarks/run.py: the real settings (debug off, demo mode for the secret key), with the
test client's host allowed and plain static storage (no collectstatic manifest is needed to render pages)."""

from config.settings import *  # noqa: F403

ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]  # noqa: F405
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
