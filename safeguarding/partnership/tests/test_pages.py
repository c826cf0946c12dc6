"""Every partnership page: who may see it, what is audited, and what a partnership manager can do."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from safeguarding.audit.models import AuditEvent, Outcome
from safeguarding.partnership import services
from safeguarding.partnership.models import AccountableRole, RoleHolding
from tests import factories as f

D = dt.date


def urls(holding) -> dict[str, str]:
    role = holding.role.public_id
    return {
        "partnership:dashboard": reverse("partnership:dashboard"),
        "partnership:register": reverse("partnership:register"),
        "partnership:accountable-on": reverse("partnership:accountable-on"),
        "partnership:role": reverse("partnership:role", kwargs={"role": role}),
        "partnership:role-new": reverse("partnership:role-new"),
        "partnership:holding-new": reverse("partnership:holding-new", kwargs={"role": role}),
        "partnership:holding-end": reverse("partnership:holding-end", kwargs={"holding": holding.public_id}),
        "partnership:training": reverse("partnership:training"),
        "partnership:training-new": reverse("partnership:training-new"),
        "partnership:training-import": reverse("partnership:training-import"),
        "partnership:training-export": reverse("partnership:training-export"),
        "partnership:actions": reverse("partnership:actions"),
        "partnership:actions-export": reverse("partnership:actions-export"),
    }


# The pages that change something: a reader (VIEW_PARTNERSHIP without MANAGE_PARTNERSHIP) is refused them.
FORM_PAGES = {
    "partnership:role-new",
    "partnership:holding-new",
    "partnership:holding-end",
    "partnership:training-new",
    "partnership:training-import",
}


def test_every_page_tested_here_is_every_partnership_route_classified_for_the_audit_test(holding):
    from safeguarding.partnership.tests.audit_routes import NO_PERSONAL_DATA

    assert set(urls(holding)) == NO_PERSONAL_DATA


@pytest.mark.parametrize(
    "persona", ["allocated", "manager", "health", "health_other", "auditor", "admin", "other_la", "outsider"]
)
def test_practitioners_and_other_roles_are_refused_every_page_and_the_refusal_is_audited(
    client, world, area, holding, persona
):
    user = world.personas()[persona]
    f.sign_in(client, user)
    for name, url in urls(holding).items():
        before = AuditEvent.objects.filter(actor=user, outcome=Outcome.DENIED).count()
        response = client.get(url)
        assert response.status_code == 403, name
        assert b"Lado Testholder" not in response.content, name
        assert AuditEvent.objects.filter(actor=user, outcome=Outcome.DENIED).count() == before + 1, name


def test_a_designated_professional_reads_every_page_but_is_refused_every_form(client, area, holding):
    f.sign_in(client, area.designated)
    for name, url in urls(holding).items():
        before = AuditEvent.objects.filter(actor=area.designated, outcome=Outcome.DENIED).count()
        response = client.get(url)
        if name in FORM_PAGES:
            assert response.status_code == 403, name
            assert b"Only the partnership manager can change" in response.content, name
            assert AuditEvent.objects.filter(actor=area.designated, outcome=Outcome.DENIED).count() == before + 1
        else:
            assert response.status_code == 200, name


def test_posts_by_refused_roles_change_nothing(client, world, area, holding):
    f.sign_in(client, world.manager)
    response = client.post(
        reverse("partnership:holding-end", kwargs={"holding": holding.public_id}),
        {"ends_on_0": "1", "ends_on_1": "1", "ends_on_2": "2024"},
    )
    assert response.status_code == 403
    holding.refresh_from_db()
    assert holding.ends_on is None


def test_the_partnership_manager_sees_every_page_and_each_view_is_audited(client, area, holding):
    f.sign_in(client, area.manager)
    for name, url in urls(holding).items():
        before = AuditEvent.objects.filter(actor=area.manager, outcome=Outcome.ALLOWED).count()
        response = client.get(url)
        assert response.status_code == 200, name
        assert AuditEvent.objects.filter(actor=area.manager, outcome=Outcome.ALLOWED).count() == before + 1, name
    assert b"Lado Testholder" in client.get(reverse("partnership:register")).content


def test_another_partnerships_manager_sees_their_own_area_and_not_this_one(client, area, holding):
    f.sign_in(client, area.other_manager)
    response = client.get(reverse("partnership:register"))
    assert response.status_code == 200
    assert b"Southmere Safeguarding Children Partnership" in response.content
    assert b"Lado Testholder" not in response.content
    # Northbridge's holdings are not found from Southmere, nor can they be ended.
    end = reverse("partnership:holding-end", kwargs={"holding": holding.public_id})
    assert client.get(end).status_code == 404
    chosen = reverse("partnership:register") + f"?partnership={area.partnership.public_id}"
    assert client.get(chosen).status_code == 403


def test_the_accountable_on_page_answers_for_a_date_before_the_reorganisation(client, area):
    services.record_holding(
        principal=f.principal_for(area.manager),
        now=timezone.now(),
        partnership=area.partnership,
        role=AccountableRole.objects.get(code="designated-doctor"),
        organisation=area.pct,
        holder_name="Doctor Testpct",
        starts_on=D(2010, 2, 1),
        ends_on=D(2013, 3, 31),
        note="Trust archive",
    )
    f.sign_in(client, area.manager)
    url = reverse("partnership:accountable-on")
    response = client.get(url, {"on_0": "1", "on_1": "6", "on_2": "2012"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Roles and their holders on 1 June 2012" in page
    assert "Doctor Testpct" in page and "Northbridge Primary Care Trust" in page
    assert "Northbridge ICB" not in page  # it did not exist yet
    assert client.get(url, {"on_0": "31", "on_1": "2", "on_2": "2012"}).status_code == 400


def test_the_manager_records_a_holder_through_the_form_and_bad_input_changes_nothing(client, area):
    f.sign_in(client, area.manager)
    role = AccountableRole.objects.get(code="designated-nurse")
    url = reverse("partnership:holding-new", kwargs={"role": role.public_id})
    bad = client.post(url, {"holder_name": "", "starts_on_0": "1", "starts_on_1": "1", "starts_on_2": "2020"})
    assert bad.status_code == 400
    assert b"There is a problem" in bad.content and b"Select the organisation that holds the role" in bad.content
    assert b"Enter the name of the person who holds the role" in bad.content
    assert not RoleHolding.objects.exists()
    xss = "<script>alert(1)</script>"
    good = client.post(
        url,
        {
            "holder_name": xss,
            "organisation": area.icb.pk,
            "starts_on_0": "1",
            "starts_on_1": "7",
            "starts_on_2": "2022",
            "note": "Board minutes",
        },
    )
    assert good.status_code == 302
    page = client.get(good["Location"]).content.decode()
    assert xss not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert AuditEvent.objects.filter(action="partnership.holding.recorded", actor=area.manager).count() == 1


def test_the_dashboard_alerts_on_vacant_statutory_roles(client, area):
    f.sign_in(client, area.manager)
    page = client.get(reverse("partnership:dashboard")).content.decode()
    assert "statutory roles are vacant today" in page
    assert "Designated nurse for safeguarding children" in page
    assert "style=" not in page.split("<main", 1)[1]


def test_a_locally_configured_role_joins_this_partnerships_register_only(client, area):
    f.sign_in(client, area.manager)
    url = reverse("partnership:role-new")
    data = {
        "name": "Prevent lead",
        "responsibilities": "Leads the duty to prevent people being drawn into terrorism",
        "statutory_source": "Counter-Terrorism and Security Act 2015 s26",
        "scope": "ORGANISATION",
        "held_by_types": ["NHS_TRUST"],
        "is_statutory": "on",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    role = AccountableRole.objects.get(name="Prevent lead")
    assert role.partnership == area.partnership and role.held_by_types == ["NHS_TRUST"]
    assert AuditEvent.objects.filter(action="partnership.role.configured", object_id=str(role.public_id)).exists()
    page = client.get(reverse("partnership:dashboard")).content.decode()
    assert "Prevent lead" in page  # vacant and statutory: an alert
    again = client.post(url, data)
    assert again.status_code == 400 and b"already has a role with this name" in again.content
    f.sign_in(client, area.other_manager)
    assert b"Prevent lead" not in client.get(reverse("partnership:register")).content
    assert client.get(reverse("partnership:role", kwargs={"role": role.public_id})).status_code == 404


def test_a_local_role_needs_the_types_that_must_hold_it(client, area):
    f.sign_in(client, area.manager)
    response = client.post(
        reverse("partnership:role-new"), {"name": "Local lead", "responsibilities": "Leads", "scope": "ORGANISATION"}
    )
    assert response.status_code == 400
    assert b"Select the types of organisation that must each have one" in response.content
    assert not AccountableRole.objects.filter(name="Local lead").exists()
