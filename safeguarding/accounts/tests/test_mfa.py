from __future__ import annotations

import base64
import re
from base64 import b32decode

from django.contrib.auth import SESSION_KEY
from django.test import override_settings
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguarding.audit.models import Outcome

from .helpers import CHOOSE_ROLE, MFA, SIGN_IN, code_for, confirmed_device, events, post_sign_in


def _enrolment_device(user) -> TOTPDevice:
    return TOTPDevice.objects.get(user=user, confirmed=False)


def test_it_takes_a_new_user_from_password_to_their_page_with_a_real_code(client, world):
    response = post_sign_in(client, "alex", next="/people/search")
    assert response["Location"] == f"{MFA}?next=%2Fpeople%2Fsearch"

    page = client.get(response["Location"])
    assert "Set up your authenticator app" in page.content.decode()
    device = _enrolment_device(world.allocated)

    response = client.post(MFA, {"code": code_for(device), "next": "/people/search"})
    assert response["Location"] == f"{CHOOSE_ROLE}?next=%2Fpeople%2Fsearch"
    device.refresh_from_db()
    assert device.confirmed
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id

    response = client.get(response["Location"])  # one membership: chosen for them
    assert response["Location"] == "/people/search"
    assert [e.action for e in events("auth.sign-in") + events("auth.mfa") + events("auth.role-chosen")] == [
        "auth.sign-in",
        "auth.mfa",
        "auth.role-chosen",
    ]


def test_it_shows_a_qr_code_and_the_secret_for_enrolment(client, world):
    post_sign_in(client, "alex")

    html = client.get(MFA).content.decode()

    device = _enrolment_device(world.allocated)
    match = re.search(r'<img [^>]*src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)" alt="([^"]+)"', html)
    assert match, "the QR code is an inline SVG image"
    svg = base64.b64decode(match.group(1)).decode()
    assert svg.startswith("<svg") and "<script" not in svg
    assert "authenticator app" in match.group(2)
    secret = re.search(r"<code>([A-Z2-7 ]+)</code>", html).group(1)
    assert b32decode(secret.replace(" ", "")) == device.bin_key
    assert 'autocomplete="one-time-code"' in html
    assert html.count("<h1") == 1


def test_it_keeps_the_same_secret_while_enrolling(client, world):
    post_sign_in(client, "alex")
    client.get(MFA)
    client.get(MFA)

    assert TOTPDevice.objects.filter(user=world.allocated).count() == 1
    assert len(events("auth.mfa-enrolment-started")) == 1


def test_it_asks_a_returning_user_for_a_code_without_showing_a_qr_code(client, world):
    device = confirmed_device(world.allocated)
    post_sign_in(client, "alex")

    html = client.get(MFA).content.decode()

    assert "Enter your security code" in html
    assert "data:image/svg+xml" not in html
    assert "<code>" not in html
    response = client.post(MFA, {"code": code_for(device)})
    assert response["Location"] == CHOOSE_ROLE
    assert [(e.outcome, e.details) for e in events("auth.mfa")] == [(Outcome.ALLOWED, {"enrolment": False})]


def test_it_refuses_a_wrong_code_with_a_clear_error_and_audits_it(client, world):
    device = confirmed_device(world.allocated)
    post_sign_in(client, "alex")
    wrong = f"{(int(code_for(device)) + 500000) % 1000000:06d}"

    response = client.post(MFA, {"code": wrong})

    html = response.content.decode()
    assert response.status_code == 422
    assert "The code is not correct" in html
    assert 'href="#id_code"' in html
    assert DEVICE_ID_SESSION_KEY not in client.session
    [event] = events("auth.mfa")
    assert event.outcome == Outcome.FAILED
    assert event.actor == world.allocated
    assert event.details == {"enrolment": False, "reason": "wrong-code"}
    device.refresh_from_db()
    assert device.throttling_failure_count == 1


def test_it_throttles_guessing_even_when_the_next_code_is_right(client, world):
    device = confirmed_device(world.allocated)
    post_sign_in(client, "alex")
    client.post(MFA, {"code": "000000" if code_for(device) != "000000" else "111111"})

    response = client.post(MFA, {"code": code_for(device)})

    assert response.status_code == 422
    assert "You have entered too many incorrect codes" in response.content.decode()
    assert DEVICE_ID_SESSION_KEY not in client.session
    assert [e.details.get("reason") for e in events("auth.mfa")] == ["wrong-code", "throttled"]


def test_it_refuses_a_code_that_has_already_been_used(client, world):
    device = confirmed_device(world.allocated)
    code = code_for(device)
    post_sign_in(client, "alex")
    client.post(MFA, {"code": code})
    client.post("/sign-out")

    post_sign_in(client, "alex")
    response = client.post(MFA, {"code": code})

    assert response.status_code == 422
    assert DEVICE_ID_SESSION_KEY not in client.session


def test_it_checks_the_code_format_before_counting(client, world):
    device = confirmed_device(world.allocated)
    post_sign_in(client, "alex")

    empty = client.post(MFA, {"code": ""}).content.decode()
    letters = client.post(MFA, {"code": "12ab56"}).content.decode()

    assert "Enter the 6-digit code from your authenticator app" in empty
    assert "The code must be 6 numbers" in letters
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


def test_it_accepts_a_code_typed_with_spaces(client, world):
    device = confirmed_device(world.allocated)
    post_sign_in(client, "alex")
    code = code_for(device)

    response = client.post(MFA, {"code": f" {code[:3]} {code[3:]} "})

    assert response.status_code == 302


def test_it_changes_the_session_key_when_the_code_is_accepted(client, world):
    device = confirmed_device(world.allocated)
    post_sign_in(client, "alex")
    before = client.session.session_key

    client.post(MFA, {"code": code_for(device)})

    assert client.session.session_key != before
    assert client.session[SESSION_KEY] == str(world.allocated.pk)


def test_it_keeps_a_signed_in_user_without_mfa_away_from_other_pages(client, world):
    post_sign_in(client, "alex")

    assert client.get("/")["Location"] == f"{MFA}?next=%2F"
    assert client.get("/people/search")["Location"] == f"{MFA}?next=%2Fpeople%2Fsearch"
    assert client.get(CHOOSE_ROLE)["Location"] == MFA


def test_it_sends_anonymous_visitors_to_sign_in(client, db):
    response = client.get(MFA)

    assert response.status_code == 302
    assert response["Location"].startswith(f"{SIGN_IN}?next=")


def test_it_does_not_enrol_someone_elses_device(client, world):
    other = confirmed_device(world.colleague)
    post_sign_in(client, "alex")

    client.post(MFA, {"code": code_for(other)})

    assert DEVICE_ID_SESSION_KEY not in client.session


@override_settings(MFA_REQUIRED=False)
def test_it_skips_mfa_in_demo_mode_for_a_user_without_an_app(client, world):
    response = post_sign_in(client, "alex")

    assert response["Location"] == CHOOSE_ROLE
    assert client.get(MFA)["Location"] == CHOOSE_ROLE
    assert not TOTPDevice.objects.exists()


@override_settings(MFA_REQUIRED=False)
def test_it_still_asks_for_a_code_in_demo_mode_when_the_user_has_an_app(client, world):
    device = confirmed_device(world.allocated)

    response = post_sign_in(client, "alex")

    assert response["Location"] == MFA
    assert client.get(CHOOSE_ROLE)["Location"] == MFA
    assert client.post(MFA, {"code": code_for(device)})["Location"] == CHOOSE_ROLE


def test_it_names_the_service_in_the_authenticator_app(client, world):
    post_sign_in(client, "alex")
    client.get(MFA)

    url = _enrolment_device(world.allocated).config_url

    assert url.startswith("otpauth://totp/Open%20Safeguarding%3Aalex?")
    assert "issuer=Open%20Safeguarding" in url
