"""The demo partner referrals load through the services and show every status a referrer can see."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from safeguarding.frontdoor import referrals
from safeguarding.frontdoor.synthetic import load_demo_referrals
from safeguarding.organisations.models import OrganisationType
from tests import factories as f

from .factories import make_mash


def test_the_demo_referrals_cover_each_status_and_wait_urgent_first(world):
    team, officer = make_mash(world)
    partnership = world.la.led_partnerships.get()
    partnership.organisations.add(
        f.make_org("Demo Primary", OrganisationType.SCHOOL), f.make_org("Demo Police", OrganisationType.POLICE_FORCE)
    )
    today = timezone.localdate()
    for n in range(3):
        f.make_person(world.la, given_name=f"Demochild{n}", date_of_birth=today - dt.timedelta(days=365 * 6 + n))
    now = timezone.now()
    with transaction.atomic():
        school, police = load_demo_referrals(
            la=world.la, mash=officer, manager=world.manager, password="!", as_of=today, now=now
        )
        statuses = [x.status.label for x in referrals.my_referrals(f.principal_for(school), now=now)]
        waiting = referrals.waiting_referrals(f.principal_for(officer), now=now)
    assert statuses == ["Being looked at", "Feedback sent"]
    assert [r.urgency for r in waiting] == ["IMMEDIATE", ""] and waiting[1].unborn
