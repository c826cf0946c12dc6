"""Test settings: production settings (MFA on, debug off) with fast, local overrides."""

import os

os.environ.setdefault("OSG_SECRET_KEY", "test-only-secret-key-not-for-production")
os.environ.setdefault("OSG_SECURE_SSL", "0")

from .settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # for speed
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
if not DATABASE_URL:  # noqa: F405
    DATABASES["default"]["NAME"] = ":memory:"  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}  # noqa: F405
