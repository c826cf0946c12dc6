"""Synthetic journeys: reproducible, at the national rates, and within the CIN census rules.

The rules are checked as queries over the generated rows (statutory.md §1.5, Appendix A), so a
generator that breaks one fails here, before the census export does.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from collections.abc import Iterator

import pytest
from django.db.models import Count, Exists, F, OuterRef, Q, Value
from django.db.models.functions import Coalesce

from safeguarding.access.models import Involvement, InvolvementKind
from safeguarding.casework.codes import ClosureReason, ConferenceDecision, ConferenceKind, Stage
from safeguarding.casework.models import (
    Allocation,
    Assessment,
    ChildInNeedPlan,
    ChildInNeedReview,
    ChildProtectionPlan,
    Conference,
    CoreGroupMeeting,
    Episode,
    Section47Enquiry,
    StrategyDiscussion,
)
from safeguarding.chronology.models import ChronologyEntry
from safeguarding.people.models import PersonDisability
from safeguarding.synthetic import journeys
from safeguarding.synthetic.generator import Summary
from safeguarding.synthetic.numbers import upn_check_letter

from .conftest import AS_OF, rolled_back, seed

pytestmark = pytest.mark.django_db
FAR = dt.date(9999, 12, 31)


@pytest.fixture(scope="module")
def area(django_db_setup, django_db_blocker) -> Iterator[Summary]:
    with django_db_blocker.unblock(), rolled_back():
        yield seed(1500, seed=5)


def _digest() -> list[tuple]:
    return list(
        Episode.objects.order_by("id").values_list(
            "public_id", "person__public_id", "referral_date", "closure_date", "closure_reason", "stage"
        )
    ) + list(Conference.objects.order_by("id").values_list("public_id", "held_on", "decision"))


def test_the_same_seed_gives_the_same_journeys():
    digests = []
    for _ in range(2):
        with rolled_back():
            seed(300, seed=3)
            digests.append(_digest())
    assert digests[0] and digests[0] == digests[1]
    with rolled_back():
        seed(300, seed=4)
        assert _digest() != digests[0]


def _simulated(households: int, seed_value: int) -> journeys.Rates:
    rng = random.Random(seed_value)
    planner = journeys.Planner(rng, AS_OF)
    children = []
    for _ in range(households):
        plans = planner.household()
        for _child in range(rng.choices((1, 2, 3, 4), (40, 34, 16, 10))[0]):
            dob = AS_OF - dt.timedelta(days=rng.randint(0, 18 * 365))
            children.append([e for e in plans if dob <= e.referral and (e.referral - dob).days < 17 * 365])
    return journeys.measure(children, AS_OF, planner.cal)


def test_rates_match_the_national_ones():
    measured = _simulated(15000, 1)
    national = journeys.NATIONAL
    tolerance = {  # relative, except the shares (absolute)
        "referrals_per_child_year": 0.15,
        "cin_rate": 0.2,
        "cpp_rate": 0.3,
    }
    for name, expected in dataclasses.asdict(national).items():
        got = getattr(measured, name)
        if name in tolerance:
            assert abs(got - expected) <= tolerance[name] * expected, (name, got, expected)
        else:
            assert abs(got - expected) <= 0.04, (name, got, expected)


def test_the_generated_area_has_journeys_at_every_stage(area):
    stages = set(Episode.objects.values_list("stage", flat=True))
    assert {Stage.ASSESSMENT, Stage.CHILD_IN_NEED, Stage.CHILD_PROTECTION, Stage.CLOSED} <= stages
    reasons = set(Episode.objects.values_list("closure_reason", flat=True))
    assert {ClosureReason.RC7, ClosureReason.RC8, ClosureReason.RC9} <= reasons
    assert Conference.objects.filter(kind=ConferenceKind.REVIEW).exists()
    assert CoreGroupMeeting.objects.exists() and ChildInNeedReview.objects.exists()
    # Neglect and emotional abuse are the commonest categories, as nationally.
    top = (
        ChildProtectionPlan.objects.values("initial_category")
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list("initial_category", flat=True)
    )
    assert set(list(top)[:2]) == {"NEG", "EMO"}


def _bad(queryset) -> list:
    return list(queryset.values_list("id", flat=True)[:5])


def test_episodes_never_overlap_and_only_the_latest_is_open(area):
    other = Episode.objects.filter(person=OuterRef("person")).exclude(pk=OuterRef("pk"))
    overlapping = Episode.objects.annotate(
        clash=Exists(
            other.filter(
                referral_date__gte=OuterRef("referral_date"),
                referral_date__lte=Coalesce(OuterRef("closure_date"), Value(FAR)),
            )
        )
    ).filter(clash=True)
    assert _bad(overlapping) == []
    later = Episode.objects.filter(closure_date__isnull=True).annotate(
        newer=Exists(other.filter(referral_date__gt=OuterRef("referral_date")))
    )
    assert _bad(later.filter(newer=True)) == []


def test_activity_is_in_order_and_closure_comes_after_it(area):
    assert _bad(Assessment.objects.filter(start_date__lt=F("episode__referral_date"))) == []
    assert _bad(Assessment.objects.filter(completed_on__lt=F("start_date"))) == []
    assert _bad(Section47Enquiry.objects.filter(start_date__lt=F("episode__referral_date"))) == []
    assert _bad(Conference.objects.filter(held_on__lt=F("episode__referral_date"))) == []
    assert _bad(ChildInNeedPlan.objects.filter(start_date__lt=F("episode__referral_date"))) == []
    assert _bad(ChildProtectionPlan.objects.filter(start_date__lt=F("episode__referral_date"))) == []
    closed = Q(episode__closure_date__isnull=False)
    after = F("episode__closure_date")
    for model, fields in (
        (Assessment, ("start_date", "completed_on")),
        (Section47Enquiry, ("start_date", "completed_on")),
        (StrategyDiscussion, ("held_on",)),
        (Conference, ("held_on",)),
        (ChildInNeedPlan, ("start_date", "end_date")),
        (ChildProtectionPlan, ("start_date", "end_date")),
    ):
        for name in fields:
            assert _bad(model.objects.filter(closed, **{f"{name}__gt": after})) == [], (model, name)
    assert _bad(ChildInNeedReview.objects.filter(plan__episode__closure_date__lt=F("held_on"))) == []
    assert _bad(CoreGroupMeeting.objects.filter(plan__episode__closure_date__lt=F("held_on"))) == []
    # A closed episode has no unfinished assessment, enquiry or plan (8867, 8868).
    assert _bad(Assessment.objects.filter(closed, completed_on__isnull=True)) == []
    assert _bad(Section47Enquiry.objects.filter(closed, completed_on__isnull=True)) == []
    assert _bad(ChildProtectionPlan.objects.filter(closed, end_date__isnull=True)) == []
    assert _bad(ChildInNeedPlan.objects.filter(closed, end_date__isnull=True)) == []


def test_conferences_are_on_weekdays_and_plans_start_at_the_initial_conference(area):
    assert _bad(Conference.objects.filter(held_on__week_day__in=(1, 7))) == []
    assert _bad(Section47Enquiry.objects.filter(conference_target_date__week_day__in=(1, 7))) == []
    icpc = Conference.objects.filter(
        episode=OuterRef("episode"),
        kind=ConferenceKind.INITIAL,
        decision=ConferenceDecision.PLAN,
        held_on=OuterRef("start_date"),
    )
    assert _bad(ChildProtectionPlan.objects.annotate(ok=Exists(icpc)).filter(ok=False)) == []
    assert _bad(Conference.objects.filter(kind=ConferenceKind.INITIAL, held_on__lt=F("section47__start_date"))) == []
    # Review conferences come after the plan starts and no later than it ends (8841).
    reviews = Conference.objects.filter(kind=ConferenceKind.REVIEW)
    assert _bad(reviews.filter(held_on__lte=F("plan__start_date"))) == []
    assert _bad(reviews.filter(held_on__gt=F("plan__end_date"))) == []
    assert _bad(ChildProtectionPlan.objects.filter(end_date=F("start_date"))) == []


def test_no_child_in_need_plan_runs_alongside_a_child_protection_plan(area):
    cp = ChildProtectionPlan.objects.filter(episode__person=OuterRef("episode__person")).annotate(
        ends=Coalesce("end_date", Value(FAR))
    )
    concurrent = ChildInNeedPlan.objects.annotate(
        clash=Exists(
            cp.filter(start_date__lt=Coalesce(OuterRef("end_date"), Value(FAR)), ends__gt=OuterRef("start_date"))
        )
    ).filter(clash=True)
    assert _bad(concurrent) == []
    # No CP review while a CIN plan is open (4003), except the review that ends the plan.
    open_cin = ChildInNeedPlan.objects.filter(
        episode__person=OuterRef("episode__person"),
        start_date__lte=OuterRef("held_on"),
        end_date__gt=OuterRef("held_on"),
    )
    reviews = Conference.objects.filter(kind=ConferenceKind.REVIEW).exclude(decision=ConferenceDecision.END_PLAN)
    assert _bad(reviews.annotate(clash=Exists(open_cin)).filter(clash=True)) == []


def test_closures_follow_the_census_guide(area):
    nfa = Episode.objects.filter(referral_nfa=True)
    assert nfa.exists()
    assert _bad(nfa.exclude(closure_date=F("referral_date"), closure_reason=ClosureReason.RC7)) == []
    assert (
        _bad(nfa.filter(Q(assessments__isnull=False) | Q(section47s__isnull=False) | Q(cp_plans__isnull=False))) == []
    )
    after_assessment = Episode.objects.filter(closure_reason__in=(ClosureReason.RC8, ClosureReason.RC9))
    assert _bad(after_assessment.filter(assessments__isnull=True)) == []  # 8825Q
    busy = Q(cin_plans__isnull=False) | Q(section47s__isnull=False) | Q(cp_plans__isnull=False)
    assert _bad(after_assessment.filter(busy)) == []  # 2990
    assert _bad(Episode.objects.filter(referral_nfa=False, primary_need="")) == []  # 8610
    assert _bad(Episode.objects.exclude(closure_reason="").filter(closure_reason=ClosureReason.RC2)) == []


def test_children_in_need_have_a_disability_answer_and_a_valid_upn(area):
    children = Episode.objects.filter(referral_nfa=False).values("person")
    without = PersonDisability.objects.filter(person=OuterRef("person"))
    lacking = Episode.objects.filter(referral_nfa=False).annotate(has=Exists(without)).filter(has=False)
    assert _bad(lacking) == []  # 8540
    mixed = PersonDisability.objects.filter(code="NONE", person__disabilities__code__in=["AUT", "LD", "COMM", "BEH"])
    assert _bad(mixed) == []  # 8790
    school_age = AS_OF - dt.timedelta(days=6 * 365 + 150)
    from safeguarding.people.models import Person

    people = Person.objects.filter(pk__in=children)
    assert _bad(people.filter(date_of_birth__lte=school_age, upn="")) == []  # 8770Q
    for value in people.exclude(upn="").values_list("upn", flat=True):
        assert value[1:4] in {"001", "002", "003", "004", "005"} and value[0] == upn_check_letter(value[1:])


def test_open_episodes_have_their_allocation_and_involvements(area):
    open_episodes = Episode.objects.filter(closure_date__isnull=True, referral_nfa=False)
    assert open_episodes.count() > 20
    for episode in open_episodes.select_related("allocated_worker"):
        assert Allocation.objects.filter(episode=episode, end_date__isnull=True, worker=episode.allocated_worker)
        assert Involvement.objects.filter(
            person_id=episode.person_id,
            kind=InvolvementKind.ALLOCATED_WORKER,
            user=episode.allocated_worker,
            end_date__isnull=True,
        ).exists()
        assert Involvement.objects.filter(
            person_id=episode.person_id, kind=InvolvementKind.TEAM, team=episode.team_id, end_date__isnull=True
        ).exists()
    # One open assessment and one open enquiry per episode at most.
    assert (
        _bad(
            Episode.objects.annotate(n=Count("assessments", filter=Q(assessments__completed_on__isnull=True))).filter(
                n__gt=1
            )
        )
        == []
    )


def test_every_event_has_one_derived_chronology_entry(area):
    for model in (Episode, Assessment, StrategyDiscussion, Section47Enquiry, Conference, ChildProtectionPlan):
        label = model._meta.label_lower
        ids = {str(u) for u in model.objects.values_list("public_id", flat=True)}
        entries = set(ChronologyEntry.objects.filter(source_type=label).values_list("source_id", flat=True))
        assert ids and ids <= entries, label
        assert {e.split(":")[0] for e in entries} <= ids, label  # no entry without its source


def test_referrals_come_through_the_front_door_and_step_downs_go_to_early_help(area):
    from safeguarding.earlyhelp.models import EarlyHelpEpisode
    from safeguarding.frontdoor.models import Contact

    # Every referral has the contact it came from, decided the day it arrived (or the next working day).
    assert _bad(Episode.objects.annotate(n=Count("contacts")).filter(n=0)) == []
    linked = Contact.objects.filter(episode__isnull=False)
    assert _bad(linked.exclude(decision__in=("REFERRAL", "STRATEGY"))) == []
    assert _bad(linked.filter(decided_at__date__gt=F("decision_due_on"))) == []
    assert Contact.objects.filter(episode__isnull=True, decision__in=("NFA", "ADVICE")).exists()
    # Early help follows every RC9 closure; a referral during it is a step-up from early help (source 5D).
    rc9 = Episode.objects.filter(closure_reason=ClosureReason.RC9)
    assert rc9.exists()
    assert (
        _bad(
            rc9.annotate(eh=Exists(EarlyHelpEpisode.objects.filter(stepped_down_from=OuterRef("pk")))).filter(eh=False)
        )
        == []
    )
    stepped = EarlyHelpEpisode.objects.filter(status="STEPPED_UP")
    assert _bad(stepped.exclude(stepped_up_to__referral_source="5D")) == []
    assert _bad(stepped.exclude(closure_date=F("stepped_up_to__referral_date"))) == []
    assert _bad(EarlyHelpEpisode.objects.filter(offered_on__lt=F("stepped_down_from__closure_date"))) == []


def test_visits_and_the_childs_voice_are_recorded_during_open_work(area):
    from safeguarding.voice.models import Visit, VoiceEntry

    assert Visit.objects.filter(is_seen=True, is_seen_alone=True).exists()
    assert Visit.objects.filter(is_seen=False).exclude(not_seen_reason="").exists()
    seen = Visit.objects.filter(is_seen=True).count() / max(1, Visit.objects.count())
    assert 0.8 <= seen <= 0.97
    assert VoiceEntry.objects.exists()
    label = Visit._meta.label_lower
    visits = {str(u) for u in Visit.objects.values_list("public_id", flat=True)}
    assert visits == set(ChronologyEntry.objects.filter(source_type=label).values_list("source_id", flat=True))
