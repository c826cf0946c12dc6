"""A social worker signs in, searches with a misspelt name, opens the child's record and sees
the genogram and the access log with their own visit in it. Also checks the pages work with
JavaScript switched off and carry no CSP violations."""

from __future__ import annotations

import pytest

from safeguarding.synthetic.demo import DEMO_PASSWORD, TYPO_CHILD, TYPO_QUERY

pytestmark = pytest.mark.browser


def _sign_in(page, base_url: str, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base_url}/sign-in")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_a_social_worker_finds_a_child_despite_a_typo_and_sees_genogram_and_access_log(demo_server, page):
    console_errors: list[str] = []
    page.on("console", lambda msg: console_errors.append(msg.text) if msg.type == "error" else None)

    _sign_in(page, demo_server, "sw.demo")
    assert page.get_by_role("heading", level=1).first.is_visible()
    assert "Sign in" not in page.title()

    page.get_by_role("link", name="Search").click()
    page.get_by_label("Name").fill(TYPO_QUERY)
    page.get_by_role("button", name="Search").click()
    child_name = " ".join(TYPO_CHILD)
    page.get_by_role("link", name=child_name).first.click()

    assert page.get_by_role("heading", level=1).inner_text() == child_name
    genogram = page.locator("svg[role=img]")
    assert genogram.count() == 1 and genogram.is_visible()
    assert "Kerry" in page.locator("#genogram-table").inner_text()

    access_log = page.locator("#access-log")
    assert "Sam Okoro" in access_log.inner_text()
    page.get_by_role("link", name="View the full access log").click()
    assert "Sam Okoro" in page.locator("main").inner_text()
    assert not [e for e in console_errors if "Content Security Policy" in e], console_errors


def test_the_pages_work_without_javascript(demo_server, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        _sign_in(page, demo_server, "sw.demo")
        page.goto(f"{demo_server}/people/search?name={TYPO_QUERY.replace(' ', '+')}")
        assert " ".join(TYPO_CHILD) in page.locator("main").inner_text()
    finally:
        context.close()


def test_a_worker_in_another_authority_cannot_find_the_child(demo_server, page):
    _sign_in(page, demo_server, "other-la.demo")
    page.goto(f"{demo_server}/people/search?name={TYPO_QUERY.replace(' ', '+')}")
    assert " ".join(TYPO_CHILD) not in page.locator("main").inner_text()
