"""Reads of a child's social care episodes. Call these only after access.queries.open_person has
allowed (and audited) opening the child's record: they do not decide access. Each makes a fixed
number of queries whatever the size of the episode.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import OuterRef, Prefetch, Subquery

from .models import (
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

if TYPE_CHECKING:
    from safeguarding.people.models import Person

RE_REFERRAL_MONTHS = 12  # a re-referral: referred within 12 months of a previous referral (CIN census KPI)


def _uuid(value: Any) -> uuid.UUID | None:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        return None


def episode_for(person: Person, public_id: Any) -> Episode | None:
    """One of this person's episodes (None when the id is not one of theirs)."""
    pid = _uuid(public_id)
    if pid is None:
        return None
    return (
        Episode.objects.select_related("person", "local_authority", "team", "allocated_worker")
        .filter(person=person, public_id=pid)
        .first()
    )


def record_for(episode: Episode, model: type[Any], public_id: Any) -> Any:
    """A record of `model` on this episode (directly or through its plan), or None."""
    pid = _uuid(public_id)
    if pid is None:
        return None
    on_episode = {"plan__episode": episode} if model in (ChildInNeedReview, CoreGroupMeeting, CategoryChange) else {}
    return model.objects.filter(public_id=pid, **(on_episode or {"episode": episode})).first()


def previous_referral(episode: Episode) -> Episode | None:
    """The child's latest earlier referral, if it was within 12 months before this one (a re-referral)."""
    from safeguarding.standards.rules import add_months

    since = add_months(episode.referral_date, -RE_REFERRAL_MONTHS)
    return (
        Episode.objects.filter(
            person_id=episode.person_id, referral_date__gte=since, referral_date__lte=episode.referral_date
        )
        .exclude(pk=episode.pk)
        .order_by("-referral_date", "-id")
        .first()
    )


@dataclass(frozen=True)
class Event:
    """One record on the episode page, in date order."""

    on: dt.date
    kind: str
    title: str
    record: Any
    backdated_reason: str = ""
    recorded_at: dt.datetime | None = None
    detail_url: str = ""


@dataclass
class EpisodeRecords:
    episode: Episode
    assessments: list[Assessment] = field(default_factory=list)
    cin_plans: list[ChildInNeedPlan] = field(default_factory=list)
    strategy_discussions: list[StrategyDiscussion] = field(default_factory=list)
    section47s: list[Section47Enquiry] = field(default_factory=list)
    conferences: list[Conference] = field(default_factory=list)
    cp_plans: list[ChildProtectionPlan] = field(default_factory=list)
    allocations: list[Allocation] = field(default_factory=list)

    def events(self) -> list[Event]:
        """Every record of the episode, oldest first (the story in order)."""
        ep = self.episode
        rows = [Event(ep.referral_date, "referral", "Referral received", ep, ep.backdated_reason, ep.recorded_at)]
        for a in self.assessments:
            rows.append(Event(a.start_date, "assessment", "Assessment started", a, a.backdated_reason, a.recorded_at))
            if a.completed_on:
                rows.append(Event(a.completed_on, "assessment-completed", "Assessment completed", a))
            if a.authorised_on:
                rows.append(Event(a.authorised_on, "assessment-authorised", "Assessment authorised", a))
        for p in self.cin_plans:
            rows.append(Event(p.start_date, "cin-plan", "Child in need plan started", p, p.backdated_reason))
            rows += [
                Event(r.held_on, "cin-review", "Child in need review", r, r.backdated_reason, r.recorded_at)
                for r in p.reviews.all()
            ]
            if p.end_date:
                rows.append(Event(p.end_date, "cin-plan-ended", "Child in need plan ended", p))
        for s in self.strategy_discussions:
            rows.append(Event(s.held_on, "strategy", "Strategy discussion", s, s.backdated_reason, s.recorded_at))
        for e in self.section47s:
            rows.append(Event(e.start_date, "s47", "Section 47 enquiry started", e, e.backdated_reason, e.recorded_at))
            if e.completed_on:
                rows.append(Event(e.completed_on, "s47-completed", "Section 47 enquiry completed", e))
        for c in self.conferences:
            rows.append(Event(c.held_on, "conference", c.get_kind_display(), c, c.backdated_reason, c.recorded_at))
        for cp in self.cp_plans:
            rows += [
                Event(g.held_on, "core-group", "Core group meeting", g, g.backdated_reason, g.recorded_at)
                for g in cp.core_groups.all()
            ]
            rows += [
                Event(ch.changed_on, "category", "Category changed", ch, ch.backdated_reason, ch.recorded_at)
                for ch in cp.category_changes.all()
            ]
            if cp.end_date:
                rows.append(Event(cp.end_date, "cp-plan-ended", "Child protection plan ended", cp))
        if ep.closure_date:
            rows.append(Event(ep.closure_date, "closure", "Episode closed", ep))
        order = {"referral": 0, "closure": 9}
        return sorted(rows, key=lambda r: (r.on, order.get(r.kind, 5)))

    @property
    def open_cp_plan(self) -> ChildProtectionPlan | None:
        return next((p for p in self.cp_plans if p.end_date is None), None)

    @property
    def open_cin_plan(self) -> ChildInNeedPlan | None:
        return next((p for p in self.cin_plans if p.end_date is None), None)


def episode_records(episode: Episode) -> EpisodeRecords:
    """Everything recorded on the episode (ten queries, whatever its size)."""
    return EpisodeRecords(
        episode=episode,
        assessments=list(episode.assessments.select_related("authorised_by").order_by("start_date", "id")),
        cin_plans=list(
            episode.cin_plans.prefetch_related(
                Prefetch("reviews", queryset=ChildInNeedReview.objects.order_by("held_on", "id"))
            ).order_by("start_date", "id")
        ),
        strategy_discussions=list(episode.strategy_discussions.order_by("held_on", "id")),
        section47s=list(episode.section47s.select_related("strategy_discussion__episode").order_by("start_date", "id")),
        conferences=list(episode.conferences.order_by("held_on", "id")),
        cp_plans=list(
            episode.cp_plans.prefetch_related(
                Prefetch("core_groups", queryset=CoreGroupMeeting.objects.order_by("held_on", "id")),
                Prefetch("category_changes", queryset=CategoryChange.objects.order_by("changed_on", "id")),
                Prefetch("conferences", queryset=Conference.objects.order_by("held_on", "id")),
            ).order_by("start_date", "id")
        ),
        allocations=list(episode.allocations.select_related("worker", "team").order_by("start_date", "id")),
    )


def episodes_for_panel(person: Person) -> list[Episode]:
    """The child's two latest episodes, for the child's page (one query), each annotated with its running
    child protection plan's start and category (`open_plan_start`, `open_plan_category`; None if none)."""
    running = ChildProtectionPlan.objects.filter(episode=OuterRef("pk"), end_date__isnull=True)
    return list(
        Episode.objects.filter(person=person)
        .select_related("team", "allocated_worker")
        .annotate(
            open_plan_start=Subquery(running.values("start_date")[:1]),
            open_plan_category=Subquery(running.values("latest_category")[:1]),
        )
        .order_by("-referral_date", "-id")[:2]
    )
