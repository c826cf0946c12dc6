"""The synthetic case audits: one closed and one in progress, drawn from the live record; nothing without children."""

from __future__ import annotations

import random

import pytest

from safeguarding.access.models import Involvement
from safeguarding.access.policy import open_involvements
from safeguarding.caseaudits import synthetic
from safeguarding.caseaudits.codes import ActionStatus, AuditStatus
from safeguarding.caseaudits.models import Action, Answer, Assignment, CaseAudit, Theme
from safeguarding.caseaudits.queries import pending_moderations
from safeguarding.organisations.models import Partnership
from safeguarding.partnership import actions as tracker

from .factories import NOW, TODAY

pytestmark = pytest.mark.django_db


def test_fill_creates_a_closed_and_an_in_progress_audit_with_grades_themes_and_actions(ca, world):
    written = synthetic.fill(partnership=ca.partnership, today=TODAY, now=NOW, rng=random.Random(7))
    assert written > 0
    closed = CaseAudit.objects.get(partnership=ca.partnership, status=AuditStatus.CLOSED)
    running = CaseAudit.objects.get(partnership=ca.partnership, status=AuditStatus.IN_PROGRESS)
    assert closed.seed is not None and closed.cases.count() == 6 and running.cases.exists()
    assert Answer.objects.filter(assignment__case__audit=closed, grade__isnull=False).exists()
    assert pending_moderations(closed) == 0
    assert Theme.objects.filter(audit=closed).exists() and Action.objects.filter(theme__audit=closed).exists()
    # Every auditor of the closed audit has lost access; the running audit's auditors still have it.
    for assignment in Assignment.objects.filter(case__audit=closed).select_related("involvement"):
        assert assignment.involvement.end_date < NOW.date()
    open_now = Assignment.objects.filter(
        case__audit=running, involvement__in=Involvement.objects.filter(open_involvements(NOW.date()))
    )
    assert open_now.exists()
    # Actions reach the tracker, and the closed audit's done ones carry evidence.
    assert any(r.source == "Case audit" for r in tracker.all_actions(ca.partnership, TODAY))
    for action in Action.objects.filter(status=ActionStatus.DONE):
        assert action.evidence and action.completed_on <= TODAY
    # A second call writes nothing.
    assert synthetic.fill(partnership=ca.partnership, today=TODAY, now=NOW, rng=random.Random(7)) == 0


def test_fill_is_safe_for_a_partnership_without_children(ca, world):
    southmere = Partnership.objects.get(local_authority=world.other_la)
    assert synthetic.fill(partnership=southmere, today=TODAY, now=NOW, rng=random.Random(1)) == 0
    assert not CaseAudit.objects.filter(partnership=southmere).exists()
