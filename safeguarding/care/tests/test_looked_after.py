"""The looked-after status page: start, change and end; refusals; back-dating; escaping."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from safeguarding.audit.models import AuditEvent
from safeguarding.care import services
from safeguarding.care.models import LookedAfterPeriod
from safeguarding.chronology.models import ChronologyEntry
from tests import factories as f


def _date(prefix: str, day: dt.date) -> dict[str, str]:
    return {f"{prefix}_0": str(day.day), f"{prefix}_1": str(day.month), f"{prefix}_2": str(day.year)}


def _url(world) -> str:
    return reverse("care:looked-after", args=[world.child.public_id])


def test_a_social_worker_records_the_start_change_and_end(client, world):
    f.sign_in(client, world.allocated)
    today = timezone.localdate()
    response = client.post(_url(world), {"what": "START", "legal_status": "S20", **_date("happened_on", today)})
    assert response.status_code == 302
    assert client.get(_url(world)).status_code == 200
    response = client.post(_url(world), {"what": "CHANGE", "legal_status": "S38", **_date("happened_on", today)})
    assert response.status_code == 302
    response = client.post(_url(world), {"what": "END", **_date("happened_on", today)})
    assert response.status_code == 302
    periods = list(LookedAfterPeriod.objects.filter(person=world.child).values_list("legal_status", "end_date"))
    assert periods == [("S20", today), ("S38", today)]
    summaries = list(
        ChronologyEntry.objects.filter(person=world.child, category="Looked after").values_list("summary", flat=True)
    )
    assert len(summaries) == 3 and "Section 20 to Section 38" in summaries[1]
    page = client.get(reverse("people:detail", args=[world.child.public_id])).content.decode()
    assert "Looked after" in page


def test_a_back_dated_start_needs_a_reason(client, world):
    f.sign_in(client, world.allocated)
    day = timezone.localdate() - dt.timedelta(days=10)
    response = client.post(_url(world), {"what": "START", "legal_status": "S31", **_date("happened_on", day)})
    assert response.status_code == 400 and b"Say why" in response.content
    assert not LookedAfterPeriod.objects.exists()
    response = client.post(
        _url(world),
        {
            "what": "START",
            "legal_status": "S31",
            "backdated_reason": "Typed up from court papers",
            **_date("happened_on", day),
        },
    )
    assert response.status_code == 302
    assert ChronologyEntry.objects.get(person=world.child, category="Looked after").is_backdated


def test_a_future_date_and_a_missing_status_are_refused(client, world):
    f.sign_in(client, world.allocated)
    future = timezone.localdate() + dt.timedelta(days=3)
    response = client.post(_url(world), {"what": "START", "legal_status": "S20", **_date("happened_on", future)})
    assert response.status_code == 400 and b"cannot be in the future" in response.content
    response = client.post(_url(world), {"what": "START", **_date("happened_on", timezone.localdate())})
    assert response.status_code == 400 and b"Select the legal status" in response.content
    assert not LookedAfterPeriod.objects.exists()


def test_invalid_steps_are_refused_with_their_message(world):
    principal = f.principal_for(world.allocated)
    now, today = timezone.now(), timezone.localdate()
    with pytest.raises(services.CareRefused, match="not looked after"):
        services.end_looked_after(person=world.child, principal=principal, now=now, end_date=today)
    services.start_looked_after(person=world.child, principal=principal, now=now, legal_status="S20", start_date=today)
    with pytest.raises(services.CareRefused, match="already looked after"):
        services.start_looked_after(
            person=world.child, principal=principal, now=now, legal_status="S20", start_date=today
        )
    with pytest.raises(services.CareRefused, match="already"):
        services.change_legal_status(
            person=world.child, principal=principal, now=now, legal_status="S20", changed_on=today
        )
    with pytest.raises(services.CareRefused, match="Only a child"):
        services.start_looked_after(
            person=world.parent, principal=principal, now=now, legal_status="S20", start_date=today
        )


@pytest.mark.parametrize("persona", ["health", "auditor"])
def test_roles_without_casework_are_refused_and_nothing_changes(client, world, persona):
    user = world.personas()[persona]
    f.sign_in(client, user)
    response = client.post(
        _url(world), {"what": "START", "legal_status": "S20", **_date("happened_on", timezone.localdate())}
    )
    assert response.status_code in (403, 404)
    assert not LookedAfterPeriod.objects.exists()
    assert AuditEvent.objects.filter(actor=user, outcome="DENIED").exists()


@pytest.mark.parametrize("persona", ["other_team", "other_la", "outsider"])
def test_those_without_access_are_refused(client, world, persona):
    user = world.personas()[persona]
    f.sign_in(client, user)
    response = client.get(_url(world))
    assert response.status_code in (403, 404) and b"Testchild" not in response.content
    assert AuditEvent.objects.filter(actor=user, outcome="DENIED").exists()
