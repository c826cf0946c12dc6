"""The process refuses to start with unsafe settings outside demo mode, and passes check --deploy in production."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SETUP = "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings'; django.setup()"
DEFAULT_SECRET_KEY = "insecure-demo-key-do-not-use-in-production"


def _production_env(**overrides: str) -> dict[str, str]:
    env = {
        "OSG_SECRET_KEY": secrets.token_urlsafe(64),
        "OSG_SECURE_SSL": "1",
        "OSG_ALLOWED_HOSTS": "example.invalid",
    }
    return {**env, **overrides}


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **env}  # nothing else leaks in from the test run
    return subprocess.run(args, cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120, check=False)


def _start(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return _run([sys.executable, "-c", SETUP], env)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "OSG_SECRET_KEY must be set to a private value"),
        ({"OSG_SECRET_KEY": ""}, "OSG_SECRET_KEY must be set to a private value"),
        ({"OSG_SECRET_KEY": DEFAULT_SECRET_KEY}, "OSG_SECRET_KEY must be set to a private value"),
        (_production_env(OSG_DEBUG="1"), "OSG_DEBUG must be off"),
        (_production_env(OSG_MFA_REQUIRED="0"), "OSG_MFA_REQUIRED must be on"),
        ({"OSG_DEBUG": "1", "OSG_MFA_REQUIRED": "0"}, "OSG_SECRET_KEY must be set to a private value; OSG_DEBUG"),
    ],
    ids=["no-secret-key", "empty-secret-key", "default-secret-key", "debug-on", "mfa-off", "everything-wrong"],
)
def test_it_refuses_to_start_outside_demo_mode_with_unsafe_settings(env, message):
    result = _start(env)

    assert result.returncode != 0
    assert "ImproperlyConfigured: Refusing to start outside demo mode" in result.stderr
    assert message in result.stderr
    assert "For a local demo set OSG_DEMO_MODE=1" in result.stderr


def test_it_starts_in_demo_mode_without_a_secret_key():
    result = _start({"OSG_DEMO_MODE": "1"})

    assert result.returncode == 0, result.stderr


def test_it_starts_with_production_settings():
    result = _start(_production_env())

    assert result.returncode == 0, result.stderr


def test_it_refuses_a_mistyped_boolean():
    result = _start({"OSG_DEMO_MODE": "maybe"})

    assert result.returncode != 0
    assert "OSG_DEMO_MODE must be a boolean" in result.stderr


def test_check_deploy_passes_with_production_settings():
    result = _run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], _production_env())

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_fails_when_https_is_switched_off():
    """The check is not vacuous: production without HTTPS protections is reported."""
    result = _run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        _production_env(OSG_SECURE_SSL="0"),
    )

    assert result.returncode != 0
    assert "security.W004" in result.stderr or "security.W004" in result.stdout


def test_production_settings_hash_passwords_with_argon2_and_require_mfa():
    show = (
        f"{SETUP}; from django.conf import settings as s; import json; "
        "print(json.dumps({'hasher': s.PASSWORD_HASHERS[0], 'mfa': s.MFA_REQUIRED, 'debug': s.DEBUG, "
        "'demo': s.DEMO_MODE}))"
    )
    result = _run([sys.executable, "-c", show], _production_env())

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "hasher": "django.contrib.auth.hashers.Argon2PasswordHasher",
        "mfa": True,
        "debug": False,
        "demo": False,
    }
