"""The health professional's look-up page: the flag and the authority's numbers; clear errors that are audited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from safeguarding.audit.models import AuditEvent
from safeguarding.people.identifiers import format_nhs_number
from tests import factories as f

from .factories import OFFICE, OUT_OF_HOURS


def test_the_form_shows_nothing_until_a_number_is_entered(client, flagged):
    f.sign_in(client, flagged.unscheduled)
    response = client.get(reverse("flags:lookup"))
    assert response.status_code == 200
    assert b"the responsible local authority is told" in response.content
    assert not AuditEvent.objects.filter(action="flag.lookup").exists()


def test_a_flag_shows_the_plan_dates_and_the_numbers_to_ring(client, flagged):
    f.sign_in(client, flagged.unscheduled)
    number = format_nhs_number(flagged.world.child.nhs_number)  # spaces as printed on a letter
    response = client.post(reverse("flags:lookup"), {"nhs_number": number})
    page = response.content.decode()
    assert "Child protection plan" in page and "Northbridge Council" in page
    assert OFFICE in page and OUT_OF_HOURS in page
    assert "has been told about this look-up" in page
    assert "Testchild" not in page and "Neglect" not in page


def test_scheduled_care_is_told_the_look_up_is_silent(client, flagged):
    f.sign_in(client, flagged.scheduled)
    response = client.post(reverse("flags:lookup"), {"nhs_number": flagged.world.child.nhs_number})
    assert b"local authority is not notified" in response.content
    assert b"has been told about this look-up" not in response.content


def test_no_flag_says_so_without_reassuring_too_much(client, flagged):
    f.sign_in(client, flagged.unscheduled)
    response = client.post(reverse("flags:lookup"), {"nhs_number": flagged.world.sibling.nhs_number})
    assert b"No child protection flag is held" in response.content
    assert b"does not mean there are no concerns" in response.content


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("", b"Enter an NHS number"),
        ("999 000 123", b"must be 10 digits"),
        ("999000123X", b"only numbers"),
        ("0000000000", b"reserved value"),
        ("<script>alert(1)</script>", b"only numbers"),
    ],
)
def test_a_bad_number_gets_an_error_summary_and_is_audited(client, flagged, number, message):
    f.sign_in(client, flagged.unscheduled)
    response = client.post(reverse("flags:lookup"), {"nhs_number": number})
    assert response.status_code == 400
    assert b"There is a problem" in response.content and message in response.content
    assert b"<script>alert(1)" not in response.content
    if number:  # a blank form is not a look-up
        assert AuditEvent.objects.filter(actor=flagged.unscheduled, action="flag.lookup", outcome="DENIED").count() == 1


def test_a_wrong_check_digit_is_refused(client, flagged):
    valid = flagged.world.child.nhs_number
    wrong = valid[:9] + str((int(valid[9]) + 1) % 10)
    f.sign_in(client, flagged.unscheduled)
    response = client.post(reverse("flags:lookup"), {"nhs_number": wrong})
    assert response.status_code == 400 and b"check digit" in response.content


def test_the_childs_page_shows_the_flag_and_who_looked_it_up(client, flagged):
    f.sign_in(client, flagged.unscheduled)
    client.post(reverse("flags:lookup"), {"nhs_number": flagged.world.child.nhs_number})
    f.sign_in(client, flagged.world.allocated)
    page = client.get(reverse("people:detail", args=[flagged.world.child.public_id])).content.decode()
    assert "Child protection flag" in page and "Northbridge Hospitals NHS Trust" in page
    assert "Hugo Elsewhere" in page
