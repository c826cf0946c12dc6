"""A partnership manager runs a rapid review from notification to closed actions (issue 5 §7, ADR 0022),
with the keyboard-free GOV.UK forms only, and no CSP violations on the way."""

from __future__ import annotations

import datetime as dt

import pytest

from safeguarding.synthetic.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def _fill_date(page, name: str, day: dt.date) -> None:  # type: ignore[no-untyped-def]
    page.locator(f"input[name={name}_0]").fill(str(day.day))
    page.locator(f"input[name={name}_1]").fill(str(day.month))
    page.locator(f"input[name={name}_2]").fill(str(day.year))


def _save(page) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("button", name="Save").click()


def test_a_partnership_manager_runs_a_rapid_review_from_notification_to_actions(demo_server, page):
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    today = dt.date.today()
    page.goto(f"{demo_server}/sign-in")
    page.get_by_label("Username").fill("partnership.demo")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.get_by_role("link", name="Serious incidents").first.click()
    page.get_by_role("button", name="Record a serious incident").click()
    page.get_by_label("Reference").fill("SI-BROWSER-1")
    _fill_date(page, "aware_on", today)
    page.get_by_label("What happened").fill("A baby was admitted to hospital with unexplained injuries.")
    _save(page)
    assert page.get_by_role("heading", level=1).inner_text() == "Serious incident SI-BROWSER-1"
    assert "Notify the national panel" in page.locator(".govuk-inset-text").inner_text()

    page.get_by_role("link", name="Record the notification").click()
    _fill_date(page, "notified_on", today)
    _save(page)
    page.get_by_role("link", name="Record the rapid review").click()
    _fill_date(page, "held_on", today)
    page.get_by_label("Agencies that took part").fill("Police\nHospital trust\nChildren's social care")
    _save(page)
    page.get_by_role("link", name="Record the decision").click()
    page.get_by_label("No local child safeguarding practice review is needed").check()
    page.get_by_label("Reasons for the decision").fill("Learning is captured by the rapid review.")
    _save(page)
    page.get_by_role("link", name="Record sending to the panel").click()
    _fill_date(page, "sent_on", today)
    _save(page)

    page.get_by_role("link", name="Add a recommendation").click()
    page.get_by_label("Recommendation").fill("Hospital and social care share discharge plans for infants.")
    _save(page)
    page.get_by_role("link", name="Add an action to recommendation 1").click()
    page.get_by_label("What will be done").fill("Agree a discharge planning protocol")
    page.get_by_label("Agency that owns the action").select_option(index=1)
    page.get_by_label("Name of the person who owns it").fill("Dr Test Named")
    _fill_date(page, "due_on", today + dt.timedelta(days=30))
    _save(page)
    assert "Open" in page.locator("main").inner_text()

    page.get_by_role("link", name="Agree a discharge planning protocol").click()
    page.get_by_label("Done").check()
    _save(page)
    assert "Enter the evidence that the action is done" in page.locator(".govuk-error-summary").inner_text()
    page.get_by_label("Evidence of completion").fill("Protocol signed off by both boards")
    _fill_date(page, "completed_on", today)
    _save(page)

    page.get_by_role("link", name="Back to serious incidents").click()
    page.get_by_role("link", name="Action tracker").click()
    row = page.locator("tr", has_text="Agree a discharge planning protocol")
    assert "Done" in row.inner_text()
    assert not [e for e in errors if "Content Security Policy" in e], errors
