"""A whole journey through the browser, as the people who do it: a social worker records a contact about a
new child, the MASH screens it and asks the police, a manager decides on a referral and the MASH tells the
referrer; then assessment, strategy discussion, section 47 enquiry, initial conference, child protection
plan, review conference ending the plan, and closure. The chronology is checked along the way (every
step appears in it without being typed twice), and the child's words given on the contact are shown
first on their page.

Records lag practice, so the journey is recorded today with dates in the past: each back-dated step
gives its reason, as the pages require.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest
from django.urls import reverse

from safeguarding.synthetic.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser

TODAY = dt.date.today()
LATE = "Typed up from the paper file"


def _sign_in(page, base_url: str, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base_url}/sign-in")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    assert "Sign in" not in page.title()


def _as(browser, base_url: str, username: str):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    _sign_in(page, base_url, username)
    return context, page


def _date(page, name: str, day: dt.date) -> None:  # type: ignore[no-untyped-def]
    for index, part in enumerate((day.day, day.month, day.year)):
        page.fill(f'[name="{name}_{index}"]', str(part))


def _ago(days: int) -> dt.date:
    return TODAY - dt.timedelta(days=days)


def _submit(page) -> None:  # type: ignore[no-untyped-def]
    page.locator("main form[method=post] button[type=submit]").first.click()


def _no_errors(page) -> None:  # type: ignore[no-untyped-def]
    problem = page.locator(".govuk-error-summary")
    assert problem.count() == 0 or "There is a problem" not in problem.first.inner_text(), problem.first.inner_text()


def _step(page, label: str) -> None:  # type: ignore[no-untyped-def]
    """Follow one of the steps the episode page offers (the transition table decides which)."""
    page.get_by_role("link", name=label, exact=True).first.click()


def _chronology(page, base_url: str, child_id: str) -> str:  # type: ignore[no-untyped-def]
    page.goto(base_url + reverse("chronology:events", kwargs={"public_id": child_id}))
    return page.locator("main").inner_text()


def test_a_whole_journey_from_contact_to_closure(demo_server, browser):
    base = demo_server
    given = f"Journey{uuid.uuid4().hex[:6]}"
    child_name = f"{given} Testington"

    # 1. A social worker creates the child's record and records a contact about them (received 60 days ago).
    sw_context, sw = _as(browser, base, "sw.demo")
    sw.goto(f"{base}/people/new")
    sw.check('input[name="kind"][value="CHILD"]')
    sw.fill('[name="given_name"]', given)
    sw.fill('[name="family_name"]', "Testington")
    _date(sw, "date_of_birth", dt.date(2017, 5, 4))
    _submit(sw)
    _no_errors(sw)
    assert sw.get_by_role("heading", level=1).inner_text() == child_name
    child_id = re.search(r"/people/([0-9a-f-]{36})", sw.url)[1]  # type: ignore[index]

    sw.locator("#contacts").get_by_role("link", name="Record a contact").click()
    sw.get_by_label("Name", exact=True).fill("Pat Teacher")
    sw.get_by_label("Role").fill("Class teacher")
    sw.get_by_label("Agency").fill("Northgate Primary School")
    sw.get_by_label("What are they worried about?").fill("Arrived at school hungry, with a bruise on the arm")
    sw.get_by_label("What is going well?").fill("Attends every day; close to grandmother")
    sw.get_by_label("The child's own words, if known").fill("I don't like it when Dad shouts")
    sw.check('input[name="urgency"][value="SAME_DAY"]')
    sw.check('input[name="consent"][value="GIVEN"]')
    _date(sw, "received_on", _ago(60))
    sw.fill('[name="received_time"]', "09:15")
    sw.get_by_label("Why is it being recorded now?").fill(LATE)
    sw.get_by_role("button", name="Record contact").click()
    _no_errors(sw)
    contact_url = sw.url
    assert "/contacts/" in contact_url
    assert "Awaiting screening" in sw.locator("main").inner_text()
    assert "Back-dated" in sw.locator("main").inner_text()

    # 2. The MASH finds it on the front door list, screens it red and asks the police.
    mash_context, mash = _as(browser, base, "mash.demo")
    mash.get_by_role("link", name="Front door").click()
    mash.get_by_role("link", name=child_name).click()
    assert mash.url == contact_url
    mash.get_by_role("link", name="Screen this contact").click()
    mash.check('input[name="rag"][value="RED"]')
    mash.get_by_label("Reason for the rating").fill("Injury and hunger: possible physical abuse and neglect")
    _submit(mash)
    _no_errors(mash)
    mash.get_by_role("link", name="Ask a partner agency").click()
    mash.check('input[name="agency_type"][value="POLICE"]')
    mash.get_by_label("What are you asking?").fill("Any call-outs to the home address?")
    _submit(mash)
    _no_errors(mash)
    text = mash.locator("main").inner_text()
    assert "Awaiting answer" in text and "Red" in text
    mash.get_by_role("link", name=re.compile("Record the answer")).click()
    mash.get_by_label("Their answer").fill("Two domestic abuse call-outs this year")
    _submit(mash)
    _no_errors(mash)
    assert "Two domestic abuse call-outs" in mash.locator("main").inner_text()

    # 3. The team manager decides: referral to children's social care. The MASH then tells the referrer.
    tm_context, tm = _as(browser, base, "tm.demo")
    tm.goto(contact_url)
    tm.get_by_role("link", name="Decide what happens next").click()
    assert "I don't like it when Dad shouts" in tm.locator("main").inner_text()  # the child's words first
    tm.check('input[name="decision"][value="REFERRAL"]')
    tm.get_by_label("Why?").fill("Injury, hunger and domestic abuse call-outs: needs a single assessment")
    tm.select_option('[name="referral_source"]', "2A")
    tm.select_option('[name="primary_need"]', "N1")
    _submit(tm)
    _no_errors(tm)
    text = tm.locator("main").inner_text()
    assert "Referral to children's social care" in text and "has not been told what was decided" in text
    mash.goto(contact_url)
    mash.get_by_role("link", name=re.compile("Record feedback")).click()
    mash.get_by_label("What did you tell them?").fill("Referred for a social work assessment")
    mash.check('input[name="method"][value="PHONE"]')
    _submit(mash)
    _no_errors(mash)
    assert "Feedback to send" not in mash.locator("main").inner_text()

    story = _chronology(sw, base, child_id)
    for event in ("Contact to the front door", "MASH screening: rated red", "Police answered the MASH"):
        assert event in story, event
    assert "Front door decision: referral to children's social care" in story
    assert "Feedback to Pat Teacher" in story

    # 4. Social care: from the contact page to the episode, then the assessment.
    tm.goto(contact_url)
    tm.locator("#decision").get_by_role("link", name=re.compile("Referral of")).click()
    episode_url = tm.url
    assert "/episodes/" in episode_url
    sw.goto(episode_url)
    _step(sw, "Start an assessment")
    _date(sw, "start_date", _ago(59))
    sw.fill('[name="timescale_working_days"]', "20")
    sw.fill('[name="timescale_reason"]', "Injury and domestic abuse: needs a prompt assessment")
    sw.fill('[name="backdated_reason"]', LATE)
    _submit(sw)
    _no_errors(sw)
    _step(sw, "Complete the assessment")
    _date(sw, "completed_on", _ago(50))
    sw.check('input[name="factors"][value="16A"]')
    sw.check('input[name="factors"][value="3B"]')
    sw.check('input[name="outcome"][value="STRATEGY"]')
    sw.fill('[name="backdated_reason"]', LATE)
    _submit(sw)
    _no_errors(sw)
    tm.goto(episode_url)
    _step(tm, "Authorise the assessment")
    _date(tm, "authorised_on", _ago(50))
    tm.fill('[name="backdated_reason"]', LATE)
    _submit(tm)
    _no_errors(tm)

    # 5. Strategy discussion, then the section 47 enquiry and its outcome.
    sw.goto(episode_url)
    _step(sw, "Record a strategy discussion")
    _date(sw, "held_on", _ago(49))
    sw.fill('[name="agencies"]', "Police, school nurse, children's social care")
    sw.check('input[name="outcome"][value="S47"]')
    sw.fill('[name="rationale"]', "Reasonable cause to suspect significant harm")
    sw.fill('[name="backdated_reason"]', LATE)
    _submit(sw)
    _no_errors(sw)
    _step(sw, "Start the section 47 enquiry")
    _date(sw, "start_date", _ago(49))
    sw.fill('[name="backdated_reason"]', LATE)
    _submit(sw)
    _no_errors(sw)
    _step(sw, "Record the section 47 outcome")
    _date(sw, "completed_on", _ago(40))
    sw.check('input[name="outcome"][value="ICPC"]')
    sw.fill('[name="backdated_reason"]', LATE)
    _submit(sw)
    _no_errors(sw)

    # 6. Initial conference: a child protection plan (neglect).
    _step(sw, "Record the initial conference")
    _date(sw, "held_on", _ago(35))
    sw.check('input[name="decision"][value="PLAN"]')
    sw.check('input[name="category"][value="NEG"]')
    sw.fill('[name="rationale"]', "Likely to suffer significant harm through neglect")
    sw.fill('[name="backdated_reason"]', LATE)
    _submit(sw)
    _no_errors(sw)
    assert "Child protection plan" in sw.locator("main").inner_text()

    story = _chronology(sw, base, child_id)
    assert re.search(r"strategy discussion", story, re.IGNORECASE)
    assert re.search(r"section 47", story, re.IGNORECASE)
    assert re.search(r"initial (child protection )?conference", story, re.IGNORECASE)

    # 7. Review conference ends the plan; the episode is closed.
    sw.goto(episode_url)
    _step(sw, "Record a review conference")
    _date(sw, "held_on", _ago(5))
    sw.check('input[name="decision"][value="END_PLAN"]')
    sw.fill('[name="rationale"]', "Safety plan holding; grandmother living in")
    sw.fill('[name="backdated_reason"]', LATE)
    _submit(sw)
    _no_errors(sw)
    _step(sw, "Close the episode")
    _date(sw, "closure_date", TODAY)
    sw.check('input[name="reason"][value="RC7"]')
    _submit(sw)
    _no_errors(sw)
    assert "Closed" in sw.locator("main").inner_text()

    story = _chronology(sw, base, child_id)
    assert re.search(r"review (child protection )?conference", story, re.IGNORECASE)
    assert re.search(r"closed", story, re.IGNORECASE)
    assert "Contact to the front door" in story  # the start of the story is still there
    assert "Recorded later, on" in story and LATE in story  # back-dated steps are shown as such, with why

    # 8. The child's words from the contact are shown first on their page.
    sw.goto(f"{base}/people/{child_id}")
    words = sw.get_by_text("I don't like it when Dad shouts").first
    assert words.is_visible()
    assert words.bounding_box()["y"] < sw.locator("#summary").bounding_box()["y"]  # type: ignore[index]

    for context in (sw_context, mash_context, tm_context):
        context.close()
