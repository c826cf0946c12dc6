"""The health professional's look-up page: the flag and the authority's numbers; clear errors that are audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from safeguarding.audit.models import AuditEvent
from safeguarding.flags.models import AccessEvent, AccessSource, Flag
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


def _reported_elsewhere(flagged, **changes):
    """An access the national flag service reported (national.services records them so)."""
    w = flagged.world
    fields = {
        "flag": Flag.objects.get(person=w.child),
        "nhs_number": w.child.nhs_number,
        "person": w.child,
        "local_authority": w.la,
        "at": timezone.now() - dt.timedelta(hours=2),
        "source": AccessSource.NATIONAL,
        "user_name": "Paramedic (reported by the national flag service)",
        "role": "Paramedic",
        "organisation_name": "Elsewhere Ambulance Service (RXX01)",
        "ods_code": "RXX01",
        "setting": "UNSCHEDULED",
    }
    return AccessEvent.objects.create(**(fields | changes))


def test_a_local_look_up_records_who_made_it_and_where(client, flagged):
    f.sign_in(client, flagged.unscheduled)
    client.post(reverse("flags:lookup"), {"nhs_number": flagged.world.child.nhs_number})
    event = AccessEvent.objects.get()
    assert (event.source, event.user, event.organisation) == ("local", flagged.unscheduled, flagged.world.trust)
    assert event.ods_code == "" and not event.is_national


@pytest.mark.parametrize("missing", ["user", "organisation"])
def test_a_local_access_without_a_user_or_organisation_is_refused_by_the_database(flagged, missing):
    present = {"user": flagged.unscheduled, "organisation": flagged.world.trust}
    with pytest.raises(IntegrityError, match="access_event_local_has_user_and_organisation"), transaction.atomic():
        _reported_elsewhere(flagged, source=AccessSource.LOCAL, **(present | {missing: None}))
    assert not AccessEvent.objects.exists()


def test_the_look_up_page_says_which_accesses_the_national_service_reported(client, flagged):
    _reported_elsewhere(flagged)
    f.sign_in(client, flagged.unscheduled)
    page = client.post(reverse("flags:lookup"), {"nhs_number": flagged.world.child.nhs_number}).content.decode()
    assert "Elsewhere Ambulance Service (RXX01), reported by the national flag service" in page
    assert '<td class="govuk-table__cell">Northbridge Hospitals NHS Trust</td>' in page  # this look-up, here


def test_the_childs_page_says_which_accesses_the_national_service_reported(client, flagged):
    _reported_elsewhere(flagged)
    f.sign_in(client, flagged.world.allocated)
    page = client.get(reverse("people:detail", args=[flagged.world.child.public_id])).content.decode()
    assert "Elsewhere Ambulance Service (RXX01), reported by the national flag service" in page
    assert "Paramedic (reported by the national flag service)" in page
