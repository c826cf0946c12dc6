"""seed_synthetic: refuses outside demo mode, audits each run, and loads the demo once."""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Q
from django.test import override_settings
from django.utils import timezone

from safeguarding.access import queries
from safeguarding.access.models import Involvement, InvolvementKind
from safeguarding.access.policy import basis_for
from safeguarding.accounts.models import Membership, User
from safeguarding.accounts.principal import Principal
from safeguarding.accounts.roles import Capability, Role
from safeguarding.audit.models import AuditEvent, Channel
from safeguarding.casework.codes import Stage
from safeguarding.casework.models import Allocation, Episode
from safeguarding.chronology.models import ChronologyEntry
from safeguarding.organisations.models import Team
from safeguarding.people.codes import RelationshipType
from safeguarding.people.models import Person, Relationship
from safeguarding.synthetic import demo

from .conftest import rolled_back

pytestmark = pytest.mark.django_db


def _seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_synthetic", *args, "--no-progress", stdout=out)
    return out.getvalue()


@override_settings(DEMO_MODE=False)
def test_it_refuses_outside_demo_mode_without_the_flag():
    with pytest.raises(CommandError, match="outside demo mode"):
        _seed("--children", "20")
    with pytest.raises(CommandError, match="outside demo mode"):
        _seed("--demo")
    assert not Person.objects.exists()
    assert not User.objects.exists()


@override_settings(DEMO_MODE=False)
def test_with_the_flag_it_seeds_and_writes_one_audit_row_for_the_run():
    output = _seed("--allow-non-demo", "--children", "40", "--seed", "3")
    assert Person.objects.filter(kind="CHILD").count() == 40
    events = AuditEvent.objects.filter(action="synthetic.seeded")
    assert events.count() == 1
    event = events.get()
    assert event.channel == Channel.COMMAND and event.actor is None
    assert event.details["seed"] == 3 and event.details["counts"]["CHILD"] == 40
    assert "Seeded" in output
    # The rows themselves are bulk-loaded, not audited one by one; only the flags derived from them are,
    # by the flag service (flags.derive), as every flag change is, and the case audits, which
    # caseaudits.synthetic runs through its services, with the auditors' involvements (ADR 0026).
    others = AuditEvent.objects.exclude(action="synthetic.seeded").exclude(action__startswith="flag.")
    assert not others.exclude(action__startswith="caseaudits.").exclude(action__startswith="involvement.").exists()


@override_settings(DEMO_MODE=True)
def test_in_demo_mode_it_needs_no_flag():
    _seed("--children", "20", "--local-authorities", "2")
    assert Person.objects.filter(kind="CHILD").count() == 40


def _principal(username: str) -> Principal:
    user = User.objects.get(username=username)
    membership = Membership.objects.select_related("organisation", "team").get(user=user)
    return Principal(user=user, membership=membership, channel="WEB")


# The demo is generated as at today, so these tests ask about today too.
@pytest.fixture(scope="module")
def demo_loaded(django_db_setup, django_db_blocker) -> Iterator[str]:
    """The demo, loaded once for this module through the command (and rolled back afterwards)."""
    with django_db_blocker.unblock(), rolled_back(), override_settings(DEMO_MODE=True):
        yield _seed("--demo")


def test_the_demo_has_a_named_login_for_every_role(demo_loaded):
    for login in demo.DEMO_LOGINS:
        user = User.objects.get(username=login.username)
        assert user.check_password(demo.DEMO_PASSWORD) and user.is_active, login.username
        assert Membership.objects.get(user=user).role == login.role
    assert {login.role for login in demo.DEMO_LOGINS} == set(Role.values)
    for login in demo.DEMO_LOGINS:
        assert login.username in demo_loaded
    assert demo.DEMO_PASSWORD in demo_loaded


def test_the_demo_social_worker_has_a_caseload_one_child_with_a_large_family(demo_loaded):
    worker = _principal("sw.demo")
    children = demo.demo_children(worker.user)
    assert 12 <= len(children) <= demo.ALLOCATED_TO_SOCIAL_WORKER + 1
    for child in children:
        assert basis_for(worker, child, now=timezone.now()) is not None
    showcase = children[0]
    rows = Relationship.objects.filter(Q(from_person=showcase) | Q(to_person=showcase))
    relatives = {r.from_person_id for r in rows} | {r.to_person_id for r in rows}
    assert len(relatives - {showcase.pk}) >= 8
    family = {m.person_id for f in showcase.families.all() for m in f.memberships.all()} | relatives
    types = set(
        Relationship.objects.filter(from_person_id__in=family, to_person_id__in=family).values_list("type", flat=True)
    )
    assert types == set(RelationshipType.values)
    assert ChronologyEntry.objects.filter(person=showcase).count() >= 250  # the full journey the benchmark opens


def test_the_demo_social_worker_has_children_at_every_stage(demo_loaded):
    worker = User.objects.get(username="sw.demo")
    episodes = Episode.objects.filter(allocated_worker=worker, closure_date__isnull=True)
    stages = set(episodes.values_list("stage", flat=True))
    assert {Stage.ASSESSMENT, Stage.CHILD_IN_NEED, Stage.SECTION_47, Stage.CHILD_PROTECTION} <= stages
    assert episodes.filter(stage=Stage.CHILD_PROTECTION, cp_plans__conferences__kind="REVIEW").exists()
    children = [e.person_id for e in episodes]
    assert Episode.objects.filter(person_id__in=children, closure_date__isnull=False).exists()  # earlier, closed
    team = Team.objects.get(memberships__user__username="tm.demo")
    assert set(episodes.values_list("team", flat=True)) == {team.pk}
    assert Allocation.objects.filter(episode__in=episodes, end_date__isnull=True, worker=worker).count() == len(
        children
    )


def test_the_demo_child_with_an_unusual_spelling_is_found_by_the_usual_one(demo_loaded):
    found = queries.search_people(_principal("sw.demo"), now=timezone.now(), name=demo.TYPO_QUERY)
    names = [(h.person.given_name, h.person.family_name, h.can_open) for h in found.hits]
    assert (*demo.TYPO_CHILD, True) in names


def test_the_neighbouring_authority_cannot_find_the_demo_children(demo_loaded):
    showcase = demo.demo_children(User.objects.get(username="sw.demo"))[0]
    found = queries.search_people(_principal("other-la.demo"), now=timezone.now(), name=showcase.display_name)
    assert showcase not in [h.person for h in found.hits]
    assert demo.demo_children(User.objects.get(username="other-la.demo"))


def test_demo_health_and_early_help_logins_have_their_own_work(demo_loaded):
    health = _principal("health-scheduled.demo")
    involved = Person.objects.filter(
        involvements__user=health.user, involvements__kind=InvolvementKind.PARTNER_PROFESSIONAL
    )
    assert involved.count() == 3 and all(basis_for(health, p, now=timezone.now()) for p in involved)
    unscheduled = _principal("health-unscheduled.demo")
    assert basis_for(unscheduled, involved[0], now=timezone.now()) is None  # may search, not open
    assert demo.demo_children(User.objects.get(username="eh.demo"))
    # The team manager's only involvements are the time-limited ones of a case audit they grade (ADR 0026).
    mine = Involvement.objects.filter(user__username="tm.demo")
    assert all(i.end_date is not None and "audit" in i.description.lower() for i in mine), list(mine)
    assert basis_for(_principal("tm.demo"), involved[0], now=timezone.now()) is not None  # manages sw.demo's team


@override_settings(DEMO_MODE=True)
def test_loading_the_demo_twice_changes_nothing(demo_loaded):
    people, events = Person.objects.count(), AuditEvent.objects.count()
    output = _seed("--demo")
    assert "already loaded" in output and "sw.demo" in output and demo.DEMO_PASSWORD in output
    assert Person.objects.count() == people
    assert AuditEvent.objects.count() == events


def test_seeding_derives_flags_and_fills_the_partnership_once():
    from safeguarding.casework.models import ChildProtectionPlan
    from safeguarding.flags.models import Flag, LocalAuthorityContact
    from safeguarding.partnership.models import RoleHolding, TrainingRecord

    _seed("--children", "400", "--seed", "5")
    on_plan = ChildProtectionPlan.objects.filter(episode__person__nhs_number__startswith="999").count()
    assert on_plan and Flag.objects.filter(plan_type__in=["CPP", "UCPP"]).exists()
    from safeguarding.organisations.models import Organisation, OrganisationType

    authorities = Organisation.objects.filter(type=OrganisationType.LOCAL_AUTHORITY).count()
    assert LocalAuthorityContact.objects.count() == authorities
    assert RoleHolding.objects.exists() and TrainingRecord.objects.exists()
    counts = (Flag.objects.count(), RoleHolding.objects.count(), TrainingRecord.objects.count())
    from safeguarding.synthetic.derived import fill_derived

    fill_derived(seed=5, as_of=timezone.localdate(), now=timezone.now())
    assert (Flag.objects.count(), RoleHolding.objects.count(), TrainingRecord.objects.count()) == counts


def test_the_demo_shows_a_partnership_at_work_to_its_manager_and_a_reader(demo_loaded):
    from safeguarding.learning.models import SeriousIncident
    from safeguarding.organisations.models import OrganisationType, Partnership
    from safeguarding.partnership import actions
    from safeguarding.section11.models import Cycle

    today = timezone.localdate()
    for partnership in Partnership.objects.all():
        assert Cycle.objects.filter(partnership=partnership).count() == 2
        assert SeriousIncident.objects.filter(partnership=partnership).count() == 3
        rows = actions.all_actions(partnership, today)
        assert any(r.is_overdue_on(today) for r in rows) and any(r.completed_on for r in rows)
    member, dsl = _principal("member.demo"), _principal("dsl.demo")
    assert member.can(Capability.VIEW_PARTNERSHIP) and not member.can(Capability.MANAGE_PARTNERSHIP)
    assert dsl.can(Capability.SUBMIT_REFERRAL) and dsl.membership.team is None
    assert dsl.membership.organisation.type == OrganisationType.SCHOOL
    assert "member.demo" in demo_loaded and "dsl.demo" in demo_loaded
