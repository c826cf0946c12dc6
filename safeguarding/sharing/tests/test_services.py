"""Recording information-sharing decisions: what is written, and each bad combination refused with nothing written."""

from __future__ import annotations

import datetime as dt

import pytest

from safeguarding.audit.models import AuditEvent
from safeguarding.chronology.models import ChronologyEntry
from safeguarding.sharing import services
from safeguarding.sharing.models import SharingDecision
from safeguarding.sharing.tests.factories import NOW, make_decision


def test_a_decision_is_recorded_audited_and_in_the_chronology(world):
    made = make_decision(world.child, world.allocated, recipient_organisation=world.trust)
    assert made.agency == world.la and made.local_authority == world.la and made.decided_by == world.allocated
    assert made.recipient_label == "Testperson Dsl, Designated safeguarding lead (Northbridge Hospitals NHS Trust)"
    event = AuditEvent.objects.get(action="sharing.decided")
    assert event.person == world.child and event.details["lawful_basis"] == "PUBLIC_TASK"
    entry = ChronologyEntry.objects.get(source_type="sharing.sharingdecision", source_id=str(made.public_id))
    assert entry.person == world.child and entry.category == "Information sharing"
    assert entry.summary.startswith("Information shared with Testperson Dsl")


def test_a_decision_not_to_share_is_recorded_without_a_lawful_basis(world):
    made = make_decision(world.child, world.allocated, decision="NOT_SHARE", lawful_basis="", consent="REFUSED")
    assert made.decision == "NOT_SHARE"
    assert ChronologyEntry.objects.get(source_id=str(made.public_id)).summary.startswith("Information not shared")


def test_special_category_data_with_the_safeguarding_condition(world):
    made = make_decision(world.child, world.health, categories=["HEALTH", "CONCERNS"], special_condition="SAFEGUARDING")
    assert made.agency == world.trust and made.categories == ["CONCERNS", "HEALTH"]


def test_sharing_despite_refusal_with_a_reason_and_vital_interests(world):
    made = make_decision(
        world.child,
        world.allocated,
        consent="REFUSED",
        lawful_basis="VITAL_INTERESTS",
        consent_reason="The child is at immediate risk of serious harm tonight",
    )
    assert made.consent == "REFUSED" and made.consent_reason.startswith("The child is at immediate risk")


REFUSALS = [
    ({"lawful_basis": ""}, "Select the lawful basis for sharing"),
    ({"decision": "NOT_SHARE", "lawful_basis": "PUBLIC_TASK"}, "A decision not to share has no lawful basis"),
    ({"categories": ["HEALTH"]}, "special category data: select the Article 9 condition"),
    ({"special_condition": "SAFEGUARDING"}, "Select the Article 9 condition only when sharing special category"),
    ({"consent": "NOT_SOUGHT"}, "Say why consent was not sought"),
    ({"consent": "REFUSED"}, "Say why the information is shared although consent was refused"),
    ({"consent": "SOUGHT"}, "Say why the information is shared before consent was given"),
    ({"consent": "MAYBE"}, "Select whether consent was sought"),
    ({"lawful_basis": "LEGITIMATE_INTERESTS"}, "Select the lawful basis"),
    ({"categories": []}, "Select at least one kind of information"),
    ({"categories": ["GOSSIP"]}, "Select at least one kind of information"),
    ({"reason": "  "}, "Say why this decision was made"),
    ({"description": ""}, "Describe what information"),
    ({"recipient_name": ""}, "Enter who the information is shared with"),
    ({"decided_on": NOW.date() + dt.timedelta(days=1)}, "cannot be in the future"),
    ({"decided_on": NOW.date() - dt.timedelta(days=5)}, "more than a day after it was made"),
]


@pytest.mark.parametrize(("overrides", "message"), REFUSALS)
def test_bad_combinations_are_refused_and_nothing_is_written(world, overrides, message):
    before = AuditEvent.objects.count(), ChronologyEntry.objects.count()
    with pytest.raises(services.SharingRefused, match=message):
        make_decision(world.child, world.allocated, **overrides)
    assert not SharingDecision.objects.exists()
    assert (AuditEvent.objects.count(), ChronologyEntry.objects.count()) == before


def test_not_sought_with_a_reason_and_refusal_without_sharing_need_no_more(world):
    make_decision(world.child, world.allocated, consent="NOT_SOUGHT", consent_reason="Asking would alert the abuser")
    make_decision(world.child, world.allocated, decision="NOT_SHARE", lawful_basis="", consent="REFUSED")
    assert SharingDecision.objects.count() == 2


def test_a_backdated_decision_with_a_reason_is_marked(world):
    made = make_decision(
        world.child,
        world.allocated,
        decided_on=NOW.date() - dt.timedelta(days=5),
        backdated_reason="Decided at the strategy meeting, written up now",
    )
    assert made.is_backdated
    assert ChronologyEntry.objects.get(source_id=str(made.public_id)).is_backdated


@pytest.mark.parametrize("persona", ["auditor", "admin", "outsider"])
def test_roles_that_cannot_record_are_refused(world, persona):
    with pytest.raises(services.SharingRefused, match="Your role cannot record"):
        make_decision(world.child, world.personas()[persona])
    assert not SharingDecision.objects.exists()


def test_an_adult_record_is_refused(world):
    with pytest.raises(services.SharingRefused, match="on the child's record"):
        make_decision(world.parent, world.allocated)


def test_the_check_function_lists_every_problem():
    problems = services.check(
        decision="SHARE",
        reason="",
        lawful_basis="",
        special_condition="",
        categories=["HEALTH"],
        consent="NOT_SOUGHT",
        consent_reason="",
    )
    assert {name for name, _ in problems} == {"reason", "lawful_basis", "special_condition", "consent_reason"}
