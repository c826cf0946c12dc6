"""Security headers, cookie flags and the session timeouts, checked on real responses."""

from __future__ import annotations

import json
import re
import secrets
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from django.utils import timezone

from safeguarding.accounts.middleware import SESSION_SIGNED_IN_AT
from safeguarding.core.middleware import RequestIdMiddleware
from tests import factories as f

ROOT = Path(__file__).resolve().parent.parent
SIGN_IN = "/sign-in"
PROBE = "/sign-in/role"  # a page that needs a signed-in user (the outsider sees "you do not have a role")
PASSWORD = "correct horse battery staple"


def _csp(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = [part.strip().split() for part in header.split(";") if part.strip()]
    return {d[0]: d[1:] for d in directives}


def test_it_sends_a_strict_content_security_policy(client, db):
    response = client.get(SIGN_IN)

    csp = _csp(response)
    assert "'unsafe-inline'" not in csp["script-src"]
    assert "'unsafe-eval'" not in csp["script-src"]
    assert "'unsafe-inline'" not in csp["style-src"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["default-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'none'"]
    assert csp["form-action"] == ["'self'"]
    assert "data:" in csp["img-src"]  # the QR code at MFA enrolment


def test_the_only_inline_script_carries_the_nonce_from_the_header(client, db):
    response = client.get(SIGN_IN)

    [nonce] = [s[len("'nonce-") : -1] for s in _csp(response)["script-src"] if s.startswith("'nonce-")]
    scripts = re.findall(r"<script([^>]*)>", response.content.decode())
    inline = [attrs for attrs in scripts if "src=" not in attrs]
    assert inline == [f' nonce="{nonce}"']
    assert len(nonce) >= 16


def test_the_nonce_changes_on_every_response(client, db):
    first = _csp(client.get(SIGN_IN))["script-src"]
    second = _csp(client.get(SIGN_IN))["script-src"]

    assert first != second


def test_it_sends_the_other_security_headers(client, db):
    response = client.get(SIGN_IN)

    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "Server" not in response


def test_it_removes_a_server_header_that_would_leak_versions():
    middleware = RequestIdMiddleware(lambda request: HttpResponse(headers={"Server": "gunicorn/23.0.0"}))

    response = middleware(RequestFactory().get("/"))

    assert "Server" not in response


def test_the_headers_are_on_error_pages_and_the_lockout_page_too(client, world):
    pages = [client.get("/no-such-page")]
    pages += [
        client.post(SIGN_IN, {"username": "alex", "password": "wrong"}) for _ in range(settings.AXES_FAILURE_LIMIT)
    ]

    for response in (pages[0], pages[-1]):
        assert response.status_code in (404, 429)
        assert response["X-Frame-Options"] == "DENY"
        assert _csp(response)["frame-ancestors"] == ["'none'"]


def _production_https_settings() -> dict:
    """The HTTPS-related settings that config/settings.py derives when OSG_SECURE_SSL=1 (in a clean process)."""
    names = [
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
    ]
    code = (
        "import django, os, json; os.environ['DJANGO_SETTINGS_MODULE']='config.settings'; django.setup(); "
        f"from django.conf import settings; print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}))"
    )
    env = {"PATH": "/usr/bin:/bin", "OSG_SECRET_KEY": secrets.token_urlsafe(64), "OSG_SECURE_SSL": "1"}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=True
    )
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def https_settings() -> dict:
    return _production_https_settings()


def test_production_settings_turn_on_hsts_and_secure_cookies(https_settings):
    assert https_settings == {
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
        "SECURE_SSL_REDIRECT": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
    }


def test_it_sends_hsts_over_https_when_secure_ssl_is_on(client, db, https_settings):
    with override_settings(**https_settings):
        response = client.get(SIGN_IN, secure=True)

    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_it_redirects_plain_http_to_https_when_secure_ssl_is_on(client, db, https_settings):
    with override_settings(**https_settings):
        response = client.get(SIGN_IN)

    assert response.status_code == 301
    assert response["Location"] == "https://testserver/sign-in"


def test_it_sends_no_hsts_when_secure_ssl_is_off(client, db):
    assert "Strict-Transport-Security" not in client.get(SIGN_IN, secure=True)


def test_the_cookies_are_http_only_same_site_and_secure_over_https(client, world, https_settings):
    with override_settings(**https_settings):
        page = client.get(SIGN_IN, secure=True)
        signed_in = client.post(SIGN_IN, {"username": "alex", "password": PASSWORD}, secure=True)

    csrf = page.cookies[settings.CSRF_COOKIE_NAME]
    session = signed_in.cookies[settings.SESSION_COOKIE_NAME]
    for cookie in (csrf, session):
        assert cookie["httponly"] is True
        assert cookie["samesite"] == "Lax"
        assert cookie["secure"] is True
    assert session["max-age"] == ""  # the cookie goes when the browser closes; the server enforces the idle timeout


def test_the_cookies_are_http_only_and_same_site_in_the_default_settings(client, world):
    page = client.get(SIGN_IN)
    signed_in = client.post(SIGN_IN, {"username": "alex", "password": PASSWORD})

    for cookie in (page.cookies[settings.CSRF_COOKIE_NAME], signed_in.cookies[settings.SESSION_COOKIE_NAME]):
        assert cookie["httponly"] is True
        assert cookie["samesite"] == "Lax"


def _session(client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def test_the_idle_timeout_is_renewed_by_each_request(client, world):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    f.sign_in(client, world.outsider)
    Session.objects.filter(pk=client.session.session_key).update(expire_date=timezone.now() + timedelta(minutes=1))

    assert client.get(PROBE).status_code == 200

    remaining = _session(client).expire_date - timezone.now()
    assert timedelta(minutes=29) < remaining <= timedelta(minutes=30)


def test_the_session_ends_after_the_idle_timeout(client, world):
    f.sign_in(client, world.outsider)
    Session.objects.filter(pk=client.session.session_key).update(expire_date=timezone.now() - timedelta(seconds=1))

    response = client.get(PROBE)

    assert response.status_code == 302
    assert response["Location"].startswith(f"{SIGN_IN}?next=")


def _signed_in_seconds_ago(client, seconds: float) -> None:
    session = client.session
    session[SESSION_SIGNED_IN_AT] = time.time() - seconds
    session.save()


def test_the_session_survives_until_the_absolute_timeout(client, world):
    f.sign_in(client, world.outsider)
    _signed_in_seconds_ago(client, settings.SESSION_ABSOLUTE_TIMEOUT_SECONDS - 60)

    assert client.get(PROBE).status_code == 200


def test_the_session_ends_at_the_absolute_timeout_however_active_the_user(client, world):
    assert settings.SESSION_ABSOLUTE_TIMEOUT_SECONDS == 10 * 60 * 60
    f.sign_in(client, world.outsider)
    old_key = client.session.session_key
    _signed_in_seconds_ago(client, settings.SESSION_ABSOLUTE_TIMEOUT_SECONDS + 1)

    response = client.get(PROBE)

    assert response["Location"] == f"{SIGN_IN}?timeout=1"
    assert SESSION_KEY not in client.session
    assert not Session.objects.filter(session_key=old_key).exists()
    assert "You were signed out" in client.get(response["Location"]).content.decode()


def test_a_session_without_a_sign_in_time_is_not_trusted(client, world):
    f.sign_in(client, world.outsider)
    session = client.session
    del session[SESSION_SIGNED_IN_AT]
    session.save()

    assert client.get(PROBE)["Location"] == f"{SIGN_IN}?timeout=1"
