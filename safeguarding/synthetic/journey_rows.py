"""Turn a household's journey plan (synthetic.journeys) into rows: casework records, allocations,
involvements and derived chronology entries, plus visits and the child's voice where those apps exist.

Like the generator, this is a bulk loader: rows wait in lists (pointing at unsaved Person objects)
and are written with bulk_create after the people, in dependency order. Chronology entries are
derived, one per event, naming their source by model label and public id, as the services do.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import connection
from django.db.models import Model

from safeguarding.access.models import InvolvementKind
from safeguarding.casework.codes import (
    AbuseCategory,
    AssessmentOutcome,
    ConferenceDecision,
    ConferenceKind,
    Section47Outcome,
    StrategyOutcome,
)
from safeguarding.casework.models import (
    Allocation,
    Assessment,
    CategoryChange,
    ChildInNeedPlan,
    ChildInNeedReview,
    ChildProtectionPlan,
    Conference,
    CoreGroupMeeting,
    Episode,
    Section47Enquiry,
    StrategyDiscussion,
)
from safeguarding.chronology.models import REPORTED, ChronologyEntry, Significance
from safeguarding.core.dates import is_backdated
from safeguarding.people.codes import PersonKind

from .journeys import EpisodePlan, Planner, eligible, stage_at

if TYPE_CHECKING:
    from safeguarding.accounts.models import User
    from safeguarding.organisations.models import Team
    from safeguarding.people.models import Person

    from .generator import _Generator

CRIT, SIG, ROUT = Significance.CRITICAL, Significance.SIGNIFICANT, Significance.ROUTINE
_CATEGORY_WORDS = {c.value: c.label.lower() for c in AbuseCategory}
_SOURCE_WORDS = {
    "6": "the police",
    "2A": "school",
    "2B": "education services",
    "3A": "a GP",
    "3B": "the health visitor",
    "3C": "the school nurse",
    "3D": "health services",
    "3E": "the emergency department",
    "3F": "health services",
    "4": "housing",
    "5D": "the early help service",
    "9": "an anonymous caller",
    "1A": "a family member",
}
_PARTNER_EVENTS = (
    ("School", "School reported attendance of {percent}% this half term", ROUT),
    ("School", "School raised a concern: {name} arrived hungry and without a coat", SIG),
    ("Health", "Health review: growth and development on track", ROUT),
    ("Health", "Missed health appointment (was not brought)", SIG),
    ("Health", "Attended the emergency department with a minor injury; explanation consistent", ROUT),
    ("Police", "Police attended a domestic incident at the home; no arrests", CRIT),
    ("Family", "Mother reported that her partner has moved out", SIG),
    ("Family", "Grandmother is helping with school runs three days a week", ROUT),
)
_VOICE = (
    ("I don't like it when they shout.", "My nan's house and my bike.", "I want everyone to be happy."),
    ("When there is no food in the cupboard.", "Football on Saturdays.", "To stay at my school."),
    ("Mum crying at night.", "My dog, Biscuit.", "For mum to feel better."),
    ("Being on my own after school.", "My teacher is kind.", "A lock on the bathroom door."),
)


def _has_table(model: type[Model]) -> bool:
    return model._meta.db_table in connection.introspection.table_names()


M = TypeVar("M", bound=Model)


@dataclass
class _Rows:
    by_model: dict[type[Model], list[Any]] = field(default_factory=dict)

    def add(self, row: M) -> M:
        self.by_model.setdefault(type(row), []).append(row)
        return row


class Writer:
    """Journeys for one generator run (every area): plan each household, then write its rows."""

    ORDER = (
        Episode,
        Allocation,
        Assessment,
        StrategyDiscussion,
        Section47Enquiry,
        ChildProtectionPlan,
        Conference,
        CategoryChange,
        CoreGroupMeeting,
        ChildInNeedPlan,
        ChildInNeedReview,
    )

    def __init__(self, g: _Generator) -> None:
        self.g = g
        self.planner = Planner(g.rng, g.as_of)
        self.rows = _Rows()
        self.chronology: list[ChronologyEntry] = []
        self.forced: list[str] = []  # stages the next households' current episodes must be at (the demo)
        self.visit_model: Any = None
        self.voice_model: Any = None
        from safeguarding.earlyhelp.models import EarlyHelpAssessment, EarlyHelpConsent, EarlyHelpEpisode, EarlyHelpPlan
        from safeguarding.frontdoor.models import Contact

        self.contact_model: Any = Contact if _has_table(Contact) else None
        self.eh_models: Any = (
            (EarlyHelpEpisode, EarlyHelpConsent, EarlyHelpAssessment, EarlyHelpPlan)
            if _has_table(EarlyHelpEpisode)
            else None
        )
        self.stepping_up: dict[int, Any] = {}  # id(child) -> early help episode the next referral steps up from
        try:
            from safeguarding.voice.models import Visit, VoiceEntry

            if _has_table(Visit) and _has_table(VoiceEntry):
                self.visit_model, self.voice_model = Visit, VoiceEntry
        except ImportError:  # the voice app has no models yet
            pass

    # --- one household ------------------------------------------------------------------------

    def household(self, children: list[Person], showcase: bool) -> bool:
        """Plan and queue the household's journeys; False when it was never referred."""
        g = self.g
        kids_now = [c for c in children if c.kind == PersonKind.CHILD and eligible(c, g.as_of)]
        if not showcase and self.forced and kids_now:
            plans = self.planner.forced(self.forced.pop(0))
        else:
            plans = self.planner.household(showcase=showcase)
        if not plans:
            return False
        kids = [c for c in children if c.kind == PersonKind.CHILD]
        for plan in plans:
            assessor, assessor_team = g.rng.choice(g.staff.assessment)
            keeper, keeper_team = g.rng.choice(g.staff.cin_cp) if g.staff.cin_cp else (assessor, assessor_team)
            partners = None
            for i, child in enumerate(kids):
                if not eligible(child, plan.referral):
                    continue
                if partners is None or i:
                    partners = g._partner_professionals(child) if plan.closure is None else []
                extra = 40 if showcase and i == 0 and plan.closure is None else 0
                self._episode(child, plan, (assessor, assessor_team), (keeper, keeper_team), partners, extra)
        for left in self.stepping_up.values():  # the next referral did not include this child after all
            left.status, left.closure_outcome = "CLOSED", "NEEDS_MET"
        self.stepping_up.clear()
        return True

    def _episode(
        self,
        child: Person,
        plan: EpisodePlan,
        assessor: tuple[User, Team],
        keeper: tuple[User, Team],
        partners: list[tuple[User, str]],
        extra_events: int,
    ) -> None:
        g, rows = self.g, self.rows
        if not plan.nfa:
            self._census_identity(child)
        transfer = plan.transfer_on
        if plan.nfa:
            worker, team = None, g.area.teams["mash"]
        else:
            worker, team = keeper if transfer else assessor
        manager = g.area.managers.get(team.pk) or g.area.managers[assessor[1].pk]
        name = child.given_name or "the child"
        episode = Episode(
            public_id=g.uuid(),
            person=child,
            local_authority=g.area.la,
            referral_date=plan.referral,
            referral_source=plan.source,
            primary_need=plan.need,
            referral_nfa=plan.nfa,
            stage=stage_at(plan),
            allocated_worker=worker,
            team=team,
            closure_date=plan.closure,
            closure_reason=plan.reason,
            closure_note="No further action at the front door" if plan.nfa else "",
            **self._recorded(plan.referral, worker or manager),
        )
        rows.add(episode)
        source = _SOURCE_WORDS.get(plan.source, "a partner agency")
        self._front_door(child, plan, episode, source)
        self._entry(
            child, plan.referral, "Referral", f"Referral received from {source}", SIG, episode, worker or manager
        )

        # Allocations and the involvements that let the workers open the record.
        periods: list[tuple[User | None, Team, dt.date, dt.date | None, str]] = []
        if plan.nfa:
            periods.append((None, team, plan.referral, plan.referral, "Screened at the front door"))
        elif transfer:
            periods.append((assessor[0], assessor[1], plan.referral, transfer - dt.timedelta(days=1), "Assessment"))
            periods.append((keeper[0], keeper[1], transfer, plan.closure, "Transferred to a long-term team"))
        else:
            periods.append((assessor[0], assessor[1], plan.referral, plan.closure, "Assessment"))
        la_id = g.area.la.pk
        for who, where, start, end, reason in periods:
            if end is not None and end < start:
                end = start
            rows.add(
                Allocation(
                    public_id=g.uuid(),
                    episode=episode,
                    worker=who,
                    team=where,
                    start_date=start,
                    end_date=end,
                    reason=reason,
                    **self._recorded(start, who or manager),
                )
            )
            by_id = (g.area.managers.get(where.pk) or manager).pk
            if who is not None:
                g.pending.involvements.append(
                    (
                        child,
                        InvolvementKind.ALLOCATED_WORKER,
                        who.pk,
                        None,
                        la_id,
                        "Allocated worker",
                        start,
                        end,
                        by_id,
                    )
                )
                if start > plan.referral:
                    self._entry(
                        child,
                        start,
                        "Allocation",
                        f"Allocated to {who.get_full_name()}, {where.name}",
                        ROUT,
                        rows.by_model[Allocation][-1],
                        manager,
                    )
            g.pending.involvements.append(
                (child, InvolvementKind.TEAM, None, where.pk, la_id, where.name, start, end, by_id)
            )
        current = periods[-1][0] if plan.closure is None else None
        for user, description in partners:
            g.pending.involvements.append(
                (
                    child,
                    InvolvementKind.PARTNER_PROFESSIONAL,
                    user.pk,
                    None,
                    g.staff.org_of[user.pk],
                    description,
                    plan.referral,
                    None,
                    manager.pk,
                )
            )
        if child.is_restricted and current is not None:
            for user_id in sorted({current.pk, manager.pk}):
                g.pending.named_access.append(
                    (
                        child,
                        user_id,
                        manager.pk,
                        _at(plan.referral),
                        "Restricted record: named workers only (synthetic)",
                    )
                )

        def author(day: dt.date) -> User:
            if transfer and day >= transfer:
                return keeper[0]
            return assessor[0]

        if plan.assessment_start is not None:
            a = plan.assessment_start
            assessment = rows.add(
                Assessment(
                    public_id=g.uuid(),
                    episode=episode,
                    start_date=a,
                    timescale_working_days=plan.assessment_days,
                    timescale_reason=_TIMESCALE_REASONS[plan.assessment_days],
                    completed_on=plan.assessment_done,
                    factors=plan.factors,
                    outcome=plan.assessment_outcome,
                    summary="Single assessment with the family and partner agencies" if plan.assessment_done else "",
                    authorised_on=plan.assessment_done,
                    authorised_by=manager if plan.assessment_done else None,
                    **self._recorded(a, assessor[0]),
                )
            )
            self._entry(
                child,
                a,
                "Assessment",
                f"Single assessment started ({plan.assessment_days} working days)",
                ROUT,
                assessment,
                assessor[0],
            )
            if plan.assessment_done:
                outcome = AssessmentOutcome(plan.assessment_outcome).label
                self._entry(
                    child,
                    plan.assessment_done,
                    "Assessment",
                    f"Single assessment completed: {outcome}",
                    SIG,
                    assessment,
                    assessor[0],
                    suffix=":done",
                )
        for s in plan.strategies:
            by = author(s.strategy_on)
            strategy = rows.add(
                StrategyDiscussion(
                    public_id=g.uuid(),
                    episode=episode,
                    held_on=s.strategy_on,
                    agencies="Children's social care, police, health, school",
                    outcome=StrategyOutcome.NO_SECTION_47
                    if s.outcome == StrategyOutcome.NO_SECTION_47
                    else StrategyOutcome.SECTION_47,
                    rationale="Information shared by all agencies about the concerns and the child's safety",
                    **self._recorded(s.strategy_on, by),
                )
            )
            if s.outcome == StrategyOutcome.NO_SECTION_47:
                self._entry(
                    child,
                    s.strategy_on,
                    "Strategy discussion",
                    "Strategy discussion: no section 47 enquiry; assessment continues",
                    SIG,
                    strategy,
                    by,
                )
                continue
            self._entry(
                child,
                s.strategy_on,
                "Strategy discussion",
                "Strategy discussion with police and health: section 47 enquiry agreed",
                CRIT,
                strategy,
                by,
            )
            enquiry = rows.add(
                Section47Enquiry(
                    public_id=g.uuid(),
                    episode=episode,
                    strategy_discussion=strategy,
                    start_date=s.start,
                    conference_target_date=s.target if s.outcome == Section47Outcome.CONFERENCE else None,
                    completed_on=s.completed,
                    outcome=s.outcome,
                    findings="Findings shared with the family" if s.completed else "",
                    **self._recorded(s.start, by),
                )
            )
            self._entry(child, s.start, "Section 47", "Section 47 enquiry started", CRIT, enquiry, by)
            if s.completed:
                self._entry(
                    child,
                    s.completed,
                    "Section 47",
                    f"Section 47 enquiry completed: {Section47Outcome(s.outcome).label}",
                    CRIT,
                    enquiry,
                    by,
                    suffix=":done",
                )
            if s.icpc is not None:
                m = s.icpc
                icpc = rows.add(
                    Conference(
                        public_id=g.uuid(),
                        episode=episode,
                        kind=ConferenceKind.INITIAL,
                        section47=enquiry,
                        held_on=m.held_on,
                        decision=m.decision,
                        category=m.category,
                        rationale="Agencies agreed the child is (or is not) likely to suffer significant harm",
                        **self._recorded(m.held_on, by),
                    )
                )
                words = (
                    f"child protection plan, category {_CATEGORY_WORDS[m.category]}"
                    if m.decision == ConferenceDecision.PLAN
                    else "no child protection plan"
                )
                self._entry(
                    child, m.held_on, "Conference", f"Initial child protection conference: {words}", CRIT, icpc, by
                )
        for p in plan.cp_plans:
            by = keeper[0]
            cp = rows.add(
                ChildProtectionPlan(
                    public_id=g.uuid(),
                    episode=episode,
                    start_date=p.start,
                    end_date=p.end,
                    initial_category=p.initial_category,
                    latest_category=p.latest_category,
                    end_reason=p.end_reason,
                    **self._recorded(p.start, by),
                )
            )
            self._entry(
                child,
                p.start,
                "Child protection plan",
                f"Child protection plan started: {_CATEGORY_WORDS[p.initial_category]}",
                CRIT,
                cp,
                by,
            )
            for m in p.reviews:
                review = rows.add(
                    Conference(
                        public_id=g.uuid(),
                        episode=episode,
                        kind=ConferenceKind.REVIEW,
                        plan=cp,
                        held_on=m.held_on,
                        decision=m.decision,
                        category=m.category if m.decision == ConferenceDecision.PLAN else "",
                        rationale="Progress against the plan reviewed with the family and agencies",
                        **self._recorded(m.held_on, by),
                    )
                )
                ends = m.decision == ConferenceDecision.END_PLAN
                self._entry(
                    child,
                    m.held_on,
                    "Conference",
                    "Review conference: plan ended" if ends else "Review conference: plan to continue",
                    SIG,
                    review,
                    by,
                )
            for day, category in p.category_changes:
                change = rows.add(
                    CategoryChange(
                        public_id=g.uuid(),
                        plan=cp,
                        changed_on=day,
                        category=category,
                        reason="Agreed at the review conference",
                        **self._recorded(day, by),
                    )
                )
                self._entry(
                    child,
                    day,
                    "Child protection plan",
                    f"Category changed to {_CATEGORY_WORDS[category]}",
                    SIG,
                    change,
                    by,
                )
            for day in p.core_groups:
                core = rows.add(
                    CoreGroupMeeting(
                        public_id=g.uuid(),
                        plan=cp,
                        held_on=day,
                        agencies="Social care, school, health visitor or school nurse, parents",
                        progress="Actions reviewed; most on track",
                        **self._recorded(day, by),
                    )
                )
                self._entry(child, day, "Core group", "Core group meeting: plan reviewed with parents", ROUT, core, by)
            if p.end:
                self._entry(
                    child, p.end, "Child protection plan", "Child protection plan ended", SIG, cp, by, suffix=":end"
                )
        for c in plan.cin_plans:
            by = keeper[0]
            cin = rows.add(
                ChildInNeedPlan(
                    public_id=g.uuid(),
                    episode=episode,
                    start_date=c.start,
                    end_date=c.end,
                    outcomes=f"{name} goes to school every day and the home is calm in the evenings",
                    **self._recorded(c.start, by),
                )
            )
            self._entry(child, c.start, "Child in need plan", "Child in need plan agreed with the family", SIG, cin, by)
            for day in c.reviews:
                cin_review = rows.add(
                    ChildInNeedReview(
                        public_id=g.uuid(), plan=cin, held_on=day, progress="Steady progress", **self._recorded(day, by)
                    )
                )
                self._entry(child, day, "Review", "Child in need review held", ROUT, cin_review, by)
            if c.end:
                self._entry(
                    child, c.end, "Child in need plan", "Child in need plan ended", ROUT, cin, by, suffix=":end"
                )
        self._visits_and_voice(child, plan, author)
        self._partner_events(child, plan, partners, extra_events)
        if plan.early_help is not None:
            self._early_help(child, plan, episode)
        if plan.closure is not None:
            reason = episode.get_closure_reason_display()
            self._entry(
                child,
                plan.closure,
                "Case closed",
                f"Case closed: {reason}",
                SIG,
                episode,
                author(plan.closure) if not plan.nfa else manager,
                suffix=":closed",
            )
        g.counts["episodes"] += 1

    def _front_door(self, child: Person, plan: EpisodePlan, episode: Episode, source: str) -> None:
        """The contact that became this referral (and perhaps an earlier one that went no further)."""
        g, rng = self.g, self.g.rng
        stepped = self.stepping_up.pop(id(child), None)
        if stepped is not None:
            stepped.stepped_up_to = episode
        if self.contact_model is None or not g.staff.mash:
            return
        manager = g.area.managers[g.area.teams["mash"].pk]
        contacts = [
            (
                plan.referral,
                "STRATEGY" if plan.strategies and plan.strategies[0].strategy_on == plan.referral else "REFERRAL",
            )
        ]
        if plan.earlier_contact is not None:
            contacts.insert(0, plan.earlier_contact)
        for day, decision in contacts:
            received = _at(day, 8 + rng.randint(0, 8), rng.randint(0, 59))
            screened = min(g.now, received + dt.timedelta(hours=rng.randint(1, 5)))
            decided = min(g.now, screened + dt.timedelta(hours=rng.randint(0, 4), minutes=rng.randint(5, 59)))
            screener = rng.choice(g.staff.mash)
            police = plan.source == "6"
            contact = self.rows.add(
                self.contact_model(
                    public_id=g.uuid(),
                    person=child,
                    local_authority=g.area.la,
                    received_at=received,
                    recorded_at=received,
                    recorded_by=screener,
                    referrer_name=rng.choice(("Sam Patel", "Jo Williams", "Chris Evans", "Alex Morgan", "Pat Hughes")),
                    referrer_role="Designated safeguarding lead" if plan.source == "2A" else "",
                    referrer_agency=source.removeprefix("the ").capitalize(),
                    worries=rng.choice(_WORRIES).format(name=child.given_name),
                    consent="NOT_SOUGHT" if police else "GIVEN",
                    consent_not_sought_reason="Seeking consent could place the child at risk" if police else "",
                    urgency="SAME_DAY" if decision != "REFERRAL" or police else "ROUTINE",
                    rag="RED" if decision == "STRATEGY" else ("AMBER" if decision == "REFERRAL" else "GREEN"),
                    rag_reason="Screened against the threshold guidance",
                    screened_at=screened,
                    screened_by=screener,
                    decision_due_on=self.planner.cal.add(day, 1),
                    decision=decision,
                    decision_rationale=_DECISIONS[decision],
                    decided_at=decided,
                    decided_by=manager,
                    episode=episode if decision in ("REFERRAL", "STRATEGY") else None,
                    feedback="Thank you: we have decided as above and will be in touch if we need more.",
                    feedback_method="EMAIL",
                    feedback_sent_at=decided,
                    feedback_sent_by=screener,
                )
            )
            self._entry(
                child, day, "Contact", f"Contact from {source}: {_DECISIONS[decision].lower()}", SIG, contact, screener
            )

    def _early_help(self, child: Person, plan: EpisodePlan, episode: Episode) -> None:
        """Stepped down after an RC9 closure: offered, consented, assessed, planned; closed or stepped up."""
        g, eh = self.g, plan.early_help
        if self.eh_models is None or eh is None or not g.staff.early_help:
            return
        model, consent_model, assessment_model, plan_model = self.eh_models
        worker, team = g.rng.choice(g.staff.early_help)
        as_of = g.as_of
        closed = eh.closure <= as_of
        status = (
            ("STEPPED_UP" if eh.outcome == "STEPPED_UP" else "CLOSED")
            if closed
            else ("PLAN" if eh.plan_from <= as_of else "ASSESSMENT" if eh.consent <= as_of else "OFFERED")
        )
        episode_row = self.rows.add(
            model(
                public_id=g.uuid(),
                person=child,
                local_authority=g.area.la,
                status=status,
                offered_on=eh.offered,
                reason="Stepped down from social care after assessment: support with routines and school",
                team=team,
                stepped_down_from=episode,
                closure_date=eh.closure if closed else None,
                closure_outcome=eh.outcome if closed else "",
                **self._recorded(eh.offered, worker),
            )
        )
        self._entry(
            child,
            eh.offered,
            "Early help",
            "Early help offered after the social care assessment",
            ROUT,
            episode_row,
            worker,
        )
        if status == "STEPPED_UP":
            self.stepping_up[id(child)] = episode_row
        if eh.consent <= as_of:
            self.rows.add(
                consent_model(
                    public_id=g.uuid(),
                    episode=episode_row,
                    decision="GIVEN",
                    by_whom="Parent",
                    decided_on=eh.consent,
                    **self._recorded(eh.consent, worker),
                )
            )
            done = eh.assessed_to if eh.assessed_to <= as_of else None
            self.rows.add(
                assessment_model(
                    public_id=g.uuid(),
                    episode=episode_row,
                    started_on=eh.assessed_from,
                    completed_on=done,
                    **self._recorded(eh.assessed_from, worker),
                )
            )
        if eh.plan_from <= as_of:
            self.rows.add(
                plan_model(
                    public_id=g.uuid(),
                    episode=episode_row,
                    started_on=eh.plan_from,
                    first_review_on=eh.plan_from + dt.timedelta(days=42),
                    **self._recorded(eh.plan_from, worker),
                )
            )
        end = eh.closure if closed else None
        la_id = g.area.la.pk
        manager = g.area.managers.get(team.pk) or worker
        g.pending.involvements.append(
            (
                child,
                InvolvementKind.KEY_PROFESSIONAL,
                worker.pk,
                None,
                la_id,
                "Early help lead professional",
                eh.offered,
                end,
                manager.pk,
            )
        )
        g.pending.involvements.append(
            (child, InvolvementKind.TEAM, None, team.pk, la_id, team.name, eh.offered, end, manager.pk)
        )
        if closed:
            self._entry(
                child,
                eh.closure,
                "Early help",
                f"Early help closed: {eh.outcome.replace('_', ' ').lower()}",
                ROUT,
                episode_row,
                worker,
                suffix=":closed",
            )

    def _census_identity(self, child: Person) -> None:
        """What the census needs of a child in need: a disability answer and, at school age, a UPN."""
        g = self.g
        if id(child) not in g.pending.disabled:
            g.pending.disabilities.append((child, "NONE"))
            g.pending.disabled.add(id(child))
        dob = child.date_of_birth
        if dob is not None and not child.upn and (g.as_of - dob).days >= 5 * 365:
            child.upn = g._upn(dob, (g.as_of - dob).days // 365)

    def _visits_and_voice(self, child: Person, plan: EpisodePlan, author: Any) -> None:
        g = self.g
        age = lambda day: (day - child.date_of_birth).days // 365 if child.date_of_birth else 0  # noqa: E731
        for n, (day, seen, alone) in enumerate(plan.visits):
            by = author(day)
            if self.visit_model is not None:
                visit = self.rows.add(
                    self.visit_model(
                        public_id=g.uuid(),
                        person=child,
                        visited_on=day,
                        place="HOME" if n % 4 else "SCHOOL",
                        is_seen=seen,
                        is_seen_alone=alone and age(day) >= 3,
                        not_seen_reason="" if seen else "No answer at the door; card left",
                        note="",
                        recorded_at=self._when(day),
                        recorded_by=by,
                        agency=g.area.la,
                    )
                )
            else:
                visit = None
            text = (
                f"Visit: {child.given_name} seen alone"
                if alone and age(day) >= 3
                else ("Visit: child seen with family" if seen else "Visit: child not seen; card left")
            )
            self._entry(child, day, "Visit", text, ROUT, visit, by)
            if self.voice_model is not None and seen and n % 3 == 0:
                worry, good, wish = _VOICE[(n // 3) % len(_VOICE)]
                small = age(day) < 4
                voice = self.rows.add(
                    self.voice_model(
                        public_id=g.uuid(),
                        person=child,
                        recorded_on=day,
                        gathered="OBSERVED" if small else "OWN_WORDS",
                        worries="" if small else worry,
                        good_things="" if small else good,
                        wishes="" if small else wish,
                        words="Settled and smiling with mum; reached for her when the visitor arrived" if small else "",
                        recorded_at=self._when(day),
                        recorded_by=by,
                        agency=g.area.la,
                    )
                )
                self._entry(child, day, "Child's voice", "The child's views recorded", ROUT, voice, by)

    def _partner_events(self, child: Person, plan: EpisodePlan, partners: list[tuple[User, str]], extra: int) -> None:
        """Events partners report during the episode (school, health, police), about one a month."""
        g, rng = self.g, self.g.rng
        end = plan.closure or g.as_of
        months = max(0, (end - plan.referral).days // 30)
        count = rng.randint(0, months) + extra * 6 if not plan.nfa else 0
        authors = [u for u, _d in partners] or g.staff.mash[:1]
        for _ in range(count):
            day = g.day_between(plan.referral, end)
            category, summary, significance = rng.choice(_PARTNER_EVENTS)
            by = rng.choice(authors)
            self.chronology.append(
                ChronologyEntry(
                    person=child,
                    occurred_on=day,
                    recorded_at=self._when(day),
                    recorded_by=by,
                    agency_id=g.staff.org_of.get(by.pk),
                    category=category,
                    summary=summary.format(name=child.given_name, percent=rng.randint(61, 97)),
                    significance=significance,
                    source_type=REPORTED,
                    source_id=str(g.uuid()),
                )
            )

    # --- helpers ------------------------------------------------------------------------------

    def _when(self, day: dt.date) -> dt.datetime:
        rng = self.g.rng
        delay = rng.choices((0, 1, 2, 6), (70, 20, 7, 3))[0]
        return min(self.g.now, _at(day + dt.timedelta(days=delay), 9 + rng.randint(0, 8), rng.randint(0, 59)))

    def _recorded(self, day: dt.date, by: User) -> dict[str, Any]:
        when = self._when(day)
        late = is_backdated(day, recorded_on=when.date())
        return {
            "recorded_at": when,
            "recorded_by": by,
            "backdated_reason": "Typed up from notes after the meeting" if late else "",
        }

    def _entry(
        self,
        child: Person,
        day: dt.date,
        category: str,
        summary: str,
        significance: str,
        source: Model | None,
        by: User,
        suffix: str = "",
    ) -> None:
        g = self.g
        if source is not None:
            source_type, source_id = source._meta.label_lower, f"{source.public_id}{suffix}"  # type: ignore[attr-defined]
        else:
            source_type, source_id = REPORTED, str(g.uuid())
        when = source.recorded_at if source is not None and not suffix else self._when(day)  # type: ignore[attr-defined]
        self.chronology.append(
            ChronologyEntry(
                person=child,
                occurred_on=day,
                recorded_at=when,
                recorded_by=by,
                agency=g.area.la,
                category=category,
                summary=summary,
                significance=significance,
                is_backdated=is_backdated(day, recorded_on=when.date()),
                backdated_reason="Typed up from notes after the meeting"
                if is_backdated(day, recorded_on=when.date())
                else "",
                source_type=source_type,
                source_id=source_id,
            )
        )

    def flush(self) -> None:
        """Write the queued rows (after the generator has written the people they belong to)."""
        batch = 5_000
        for model in self.ORDER:
            model._default_manager.bulk_create(self.rows.by_model.pop(model, []), batch_size=batch)
        extra = [self.contact_model, *(self.eh_models or ()), self.visit_model, self.voice_model]
        for model in extra:
            if model is not None:
                made = self.rows.by_model.pop(model, [])
                model._default_manager.bulk_create(made, batch_size=batch)
                self.g.counts[str(model._meta.verbose_name_plural)] += len(made)
        ChronologyEntry.objects.bulk_create(self.chronology, batch_size=batch)
        self.g.counts["chronology entries"] += len(self.chronology)
        self.rows = _Rows()
        self.chronology = []


_WORRIES = (
    "{name} said there is often no food at home and came to school hungry",
    "Police attended a domestic incident; {name} was in the house",
    "{name} has bruising to the arm; the explanation given does not fit",
    "Mother says she cannot cope and {name} is staying out late",
    "{name} has missed a lot of school and appointments this term",
)
_DECISIONS = {
    "NFA": "No further action: no role for children's services",
    "ADVICE": "Advice and information given to the referrer and family",
    "REFERRAL": "Referral to children's social care for an assessment",
    "STRATEGY": "Strategy discussion the same day: the child may be at risk of significant harm",
}
_TIMESCALE_REASONS = {
    10: "Clear, single concern; the family engaged from the first visit",
    20: "Two agencies to hear from; family available",
    25: "Several agencies to hear from",
    35: "Complex family history; the father lives in another area",
    45: "Full assessment: several concerns, several agencies, an interpreter needed",
}


def _at(day: dt.date, hour: int = 12, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=dt.UTC)
