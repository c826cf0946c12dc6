"""Demo partner referrals (ADR 0025): a school's safeguarding lead and a police officer with logins, and a few
synthetic referrals in each state, so the demo shows "My referrals" and the front door's list. Synthetic
data only; written through frontdoor.services like any referral, so it is audited the same way.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from safeguarding.accounts.models import Membership, User
from safeguarding.accounts.principal import Principal
from safeguarding.accounts.roles import Role
from safeguarding.organisations.models import Organisation, OrganisationType
from safeguarding.people.codes import PersonKind
from safeguarding.people.models import Person

from . import services


@dataclass(frozen=True)
class DemoPartner:
    username: str
    organisation_type: str
    first_name: str
    last_name: str
    job_title: str
    note: str


DEMO_PARTNERS = (
    # dsl.demo is one of synthetic.demo's logins (a school's designated safeguarding lead): reused, not created.
    DemoPartner(
        "dsl.demo",
        OrganisationType.SCHOOL,
        "Grace",
        "Adebayo",
        "Designated safeguarding lead (school)",
        "a school: refers a concern to the front door and follows its feedback",
    ),
    DemoPartner(
        "police.demo",
        OrganisationType.POLICE_FORCE,
        "Tom",
        "Reid",
        "Police constable, public protection",
        "a police officer: makes referrals, one urgent one waiting at the front door",
    ),
)


def _principal(user: User) -> Principal:
    membership = Membership.objects.select_related("organisation", "team").filter(user=user).first()
    return Principal(user=user, membership=membership, channel="COMMAND", request_id="seed")


def _partner(login: DemoPartner, la: Organisation, password: str, as_of: dt.date, now: dt.datetime) -> User:
    existing = User.objects.filter(username=login.username).first()
    if existing is not None:
        return existing
    organisation = (
        Organisation.objects.filter(type=login.organisation_type, partnerships__local_authority=la)
        .order_by("id")
        .first()
    )
    if organisation is None:
        raise ValueError(f"the demo area has no {login.organisation_type.lower()} in its partnership")
    user = User.objects.create(
        username=login.username,
        password=password,
        first_name=login.first_name,
        last_name=login.last_name,
        email=f"{login.username}@partner.example",
        job_title=login.job_title,
        date_joined=now,
    )
    Membership.objects.create(
        user=user,
        organisation=organisation,
        role=Role.PARTNER_PROFESSIONAL,
        starts_on=as_of - dt.timedelta(days=400),
    )
    return user


def load_demo_referrals(
    *, la: Organisation, mash: User, manager: User, password: str, as_of: dt.date, now: dt.datetime
) -> list[User]:
    """The partner logins and four referrals to `la`: one answered with feedback, one being looked at, one
    waiting (urgent, from the police) and one waiting about an unborn child. Call inside transaction.atomic()."""
    school, police = (_partner(login, la, password, as_of, now) for login in DEMO_PARTNERS)
    today = timezone.localdate(now)
    children = list(
        Person.objects.filter(
            local_authority=la,
            kind=PersonKind.CHILD,
            is_restricted=False,
            merged_into__isnull=True,
            date_of_birth__range=(today - dt.timedelta(days=365 * 10), today - dt.timedelta(days=365 * 5)),
        ).order_by("id")[:3]
    )
    if len(children) < 3:
        raise ValueError("the demo area needs three children aged 5 to 10")
    as_school, as_police = _principal(school), _principal(police)
    as_mash, as_manager = _principal(mash), _principal(manager)

    def about(child: Person) -> dict[str, object]:
        return {
            "child_given_name": child.given_name,
            "child_family_name": child.family_name,
            "child_date_of_birth": child.date_of_birth,
            "child_setting": as_school.membership.organisation.name if as_school.membership else "",
        }

    answered = services.submit_referral(
        principal=as_school,
        now=now - dt.timedelta(days=6),
        local_authority=la,
        worries="Often arrives without a coat or breakfast; said there was no food at home at the weekend.",
        going_well="Attendance is good and the child is close to their teacher.",
        child_words="Mum was crying and there was nothing for tea.",
        consent="GIVEN",
        urgency="ROUTINE",
        referrer_role="Designated safeguarding lead",
        **about(children[0]),  # type: ignore[arg-type]
    )
    contact = services.accept_referral(
        referral=answered, person=children[0], principal=as_mash, now=now - dt.timedelta(days=5)
    )
    services.screen_contact(
        contact=contact, principal=as_mash, now=now - dt.timedelta(days=5), rag="GREEN", reason="Needs support"
    )
    services.decide_contact(
        contact=contact,
        principal=as_manager,
        now=now - dt.timedelta(days=4),
        decision="ADVICE",
        rationale="Family support through the school and the food bank; no role for social care now.",
    )
    services.record_feedback(
        contact=contact,
        principal=as_manager,
        now=now - dt.timedelta(days=4),
        feedback="Thank you for your referral. We have given advice: please work with the family on a referral to "
        "the food bank and the family support worker, and contact us again if things get worse.",
        method="EMAIL",
    )
    looked_at = services.submit_referral(
        principal=as_school,
        now=now - dt.timedelta(hours=20),
        local_authority=la,
        worries="Bruise on the cheek; the explanation changed twice during the day.",
        consent="NOT_SOUGHT",
        consent_not_sought_reason="Asking could put the child at greater risk.",
        urgency="SAME_DAY",
        referrer_role="Designated safeguarding lead",
        **about(children[1]),  # type: ignore[arg-type]
    )
    services.accept_referral(
        referral=looked_at, person=children[1], principal=as_mash, now=now - dt.timedelta(hours=18)
    )
    services.submit_referral(
        principal=as_police,
        now=now - dt.timedelta(hours=2),
        local_authority=la,
        worries="Attended a domestic incident last night; the child was in the house and hid upstairs.",
        urgency="IMMEDIATE",
        referrer_role="Police constable, public protection",
        child_given_name=children[2].given_name,
        child_family_name=children[2].family_name,
        child_date_of_birth=children[2].date_of_birth,
    )
    services.submit_referral(
        principal=as_police,
        now=now - dt.timedelta(hours=1),
        local_authority=la,
        unborn=True,
        child_family_name=children[0].family_name,  # a sibling on the way, of a family already known
        child_expected_due_date=today + dt.timedelta(days=120),
        worries="The pregnant partner disclosed controlling behaviour at a domestic incident.",
        referrer_role="Police constable, public protection",
    )
    return [school, police]
