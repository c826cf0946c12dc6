"""Reads for early help pages, each with a fixed number of queries.

`episode_for` and `episode_page` read one child's early help: call them only after
access.queries.open_person has allowed (and audited) opening that child's record.
The list page (`early_help_lists`) shows only children the principal may open, plus the work waiting
to be picked up by an early help team, which it shows with minimal details (name, date of birth) to the
same people who could find those children in search; it is audited with every row shown, like a search.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import OuterRef, Prefetch, Q, Subquery

from safeguarding.access.policy import accessible_people, managed_team_ids, visible_in_search
from safeguarding.access.queries import Refused
from safeguarding.accounts.principal import Principal
from safeguarding.accounts.roles import Capability
from safeguarding.audit import services as audit
from safeguarding.casework.codes import ClosureReason
from safeguarding.casework.models import Episode
from safeguarding.chronology.models import ChronologyEntry
from safeguarding.organisations.models import OrganisationType
from safeguarding.people.models import Person

from .codes import ConsentDecision, Status
from .models import (
    EarlyHelpConsent,
    EarlyHelpEpisode,
    EarlyHelpReview,
    LeadProfessional,
    OutcomeProgress,
    PlanOutcome,
    TeamAroundFamilyMember,
)
from .services import next_review_due

REVIEW_SOON_DAYS = 14


class NotFound(Exception):
    """No such early help episode for this child."""


def parse_id(raw: object) -> Any:
    import uuid

    try:
        return raw if isinstance(raw, uuid.UUID) else uuid.UUID(str(raw))
    except ValueError:
        return None


def episode_for(person: Person, public_id: object) -> EarlyHelpEpisode:
    """One of this (already opened) child's early help episodes, with its plan and assessment (one query)."""
    pid = parse_id(public_id)
    episode = (
        EarlyHelpEpisode.objects.select_related("person", "team", "plan", "assessment", "stepped_down_from")
        .filter(person=person, public_id=pid)
        .first()
        if pid
        else None
    )
    if episode is None:
        raise NotFound
    return episode


@dataclass(frozen=True)
class EpisodePage:
    episode: EarlyHelpEpisode
    consents: list[EarlyHelpConsent]
    leads: list[LeadProfessional]
    members: list[TeamAroundFamilyMember]
    outcomes: list[PlanOutcome]
    reviews: list[EarlyHelpReview]
    stepped_down_from: Episode | None
    stepped_up_to: Episode | None
    chronology: list[ChronologyEntry]
    next_review_on: dt.date | None

    @property
    def consent(self) -> EarlyHelpConsent | None:
        return self.consents[0] if self.consents else None

    @property
    def has_consent(self) -> bool:
        return self.consent is not None and self.consent.decision == ConsentDecision.GIVEN

    @property
    def lead(self) -> LeadProfessional | None:
        return next((lead for lead in self.leads if lead.ended_on is None), None)

    @property
    def current_members(self) -> list[TeamAroundFamilyMember]:
        return [m for m in self.members if m.left_on is None]

    @property
    def former_members(self) -> list[TeamAroundFamilyMember]:
        return [m for m in self.members if m.left_on is not None]


def episode_page(episode: EarlyHelpEpisode, *, chronology_limit: int = 12) -> EpisodePage:
    """Everything the episode page shows (a constant number of queries, whatever the episode holds)."""
    people = ("user", "organisation")
    plan = getattr(episode, "plan", None)
    outcomes = list(PlanOutcome.objects.filter(plan=plan).order_by("due_on", "id")) if plan else []
    progress = Prefetch(
        "progress", queryset=OutcomeProgress.objects.select_related("outcome").order_by("outcome__due_on", "outcome_id")
    )
    reviews = list(episode.reviews.select_related("recorded_by").prefetch_related(progress).order_by("-held_on", "-id"))
    casework = {
        e.pk: e
        for e in Episode.objects.filter(
            pk__in=[pk for pk in (episode.stepped_down_from_id, episode.stepped_up_to_id) if pk]
        ).select_related("team", "allocated_worker")
    }
    return EpisodePage(
        episode=episode,
        consents=list(episode.consents.select_related("recorded_by").order_by("-decided_on", "-recorded_at", "-id")),
        leads=list(episode.lead_professionals.select_related(*people).order_by("-started_on", "-id")),
        members=list(episode.taf_members.select_related(*people).order_by("joined_on", "id")),
        outcomes=outcomes,
        reviews=reviews,
        stepped_down_from=casework.get(episode.stepped_down_from_id or 0),
        stepped_up_to=casework.get(episode.stepped_up_to_id or 0),
        chronology=list(
            ChronologyEntry.objects.filter(person=episode.person).select_related("agency", "recorded_by")[
                :chronology_limit
            ]
        ),
        next_review_on=next_review_due(plan, reviews[0] if reviews else None) if plan and episode.is_open else None,
    )


def latest_for_panel(person: Person) -> EarlyHelpEpisode | None:
    """The child's open early help, else the most recent (one query, for the child's page)."""
    return (
        EarlyHelpEpisode.objects.filter(person=person)
        .select_related("team", "stepped_down_from", "stepped_up_to")
        .prefetch_related(
            Prefetch(
                "lead_professionals",
                queryset=LeadProfessional.objects.filter(ended_on__isnull=True).select_related("user", "organisation"),
                to_attr="current_leads",
            )
        )
        .order_by("closure_date", "-offered_on", "-id")  # open (NULL closure) first on both databases
        .first()
    )


# The list page --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    episode: EarlyHelpEpisode
    lead: LeadProfessional | None
    next_review_on: dt.date | None
    has_consent: bool

    @property
    def person(self) -> Person:
        return self.episode.person


@dataclass
class Lists:
    mine: list[Row] = field(default_factory=list)
    team: list[Row] = field(default_factory=list)
    awaiting_consent: list[Row] = field(default_factory=list)
    reviews_due: list[Row] = field(default_factory=list)
    offers_to_pick_up: list[EarlyHelpEpisode] = field(default_factory=list)
    step_downs: list[Episode] = field(default_factory=list)
    can_pick_up: bool = False


def _may_pick_up(principal: Principal) -> bool:
    membership = principal.membership
    return bool(
        membership is not None
        and principal.can(Capability.RECORD_EARLY_HELP)
        and membership.team_id is not None
        and membership.organisation.type == OrganisationType.LOCAL_AUTHORITY
    )


def _rows(episodes: list[EarlyHelpEpisode]) -> list[Row]:
    rows = []
    for episode in episodes:
        leads = getattr(episode, "current_leads", [])
        reviews = getattr(episode, "latest_reviews", [])
        plan = getattr(episode, "plan", None) if episode.status == Status.PLAN else None
        rows.append(
            Row(
                episode=episode,
                lead=leads[0] if leads else None,
                next_review_on=next_review_due(plan, reviews[0] if reviews else None) if plan else None,
                has_consent=getattr(episode, "consent_decision", "") == ConsentDecision.GIVEN,
            )
        )
    return rows


def early_help_lists(principal: Principal, *, now: dt.datetime) -> Lists:
    """My and my team's open early help, offers awaiting consent, reviews due and work awaiting pick-up.

    Audited with every child shown (one row). A fixed number of queries however long the lists."""
    membership = principal.membership
    lists = Lists()
    if membership is None:
        return lists
    today = now.date()
    openable = Person.objects.filter(accessible_people(principal, now=now)).values("id")
    latest_consent = EarlyHelpConsent.objects.filter(episode=OuterRef("pk")).order_by(
        "-decided_on", "-recorded_at", "-id"
    )
    base = (
        EarlyHelpEpisode.objects.filter(closure_date__isnull=True, person_id__in=openable)
        .select_related("person", "team", "plan")
        .annotate(consent_decision=Subquery(latest_consent.values("decision")[:1]))
        .prefetch_related(
            Prefetch(
                "lead_professionals",
                queryset=LeadProfessional.objects.filter(ended_on__isnull=True).select_related("user", "organisation"),
                to_attr="current_leads",
            ),
            Prefetch("reviews", queryset=EarlyHelpReview.objects.order_by("-held_on", "-id"), to_attr="latest_reviews"),
        )
        .order_by("offered_on", "id")
    )
    mine_q = Q(lead_professionals__user=principal.user, lead_professionals__ended_on__isnull=True) | Q(
        taf_members__user=principal.user, taf_members__left_on__isnull=True
    )
    mine = _rows(list(base.filter(mine_q).distinct()))
    mine_ids = {r.episode.pk for r in mine}
    team: list[Row] = []
    if membership.team_id is not None:
        teams = managed_team_ids(membership)
        team = [r for r in _rows(list(base.filter(team_id__in=teams))) if r.episode.pk not in mine_ids]
    lists.mine, lists.team = mine, team
    both = mine + team
    lists.awaiting_consent = [r for r in both if r.episode.status == Status.OFFERED and not r.has_consent]
    soon = today + dt.timedelta(days=REVIEW_SOON_DAYS)
    lists.reviews_due = sorted(
        (r for r in both if r.next_review_on is not None and r.next_review_on <= soon),
        key=lambda r: r.next_review_on,  # type: ignore[arg-type,return-value]
    )
    if _may_pick_up(principal):
        lists.can_pick_up = True
        findable = Person.objects.filter(visible_in_search(principal), local_authority_id=membership.organisation_id)
        lists.offers_to_pick_up = list(
            EarlyHelpEpisode.objects.filter(
                closure_date__isnull=True, team__isnull=True, person_id__in=findable.values("id")
            )
            .select_related("person")
            .order_by("offered_on", "id")
        )
        lists.step_downs = list(
            Episode.objects.filter(
                closure_reason=ClosureReason.RC9,
                early_help_after__isnull=True,
                person_id__in=findable.values("id"),
            )
            .exclude(  # already in early help
                person_id__in=EarlyHelpEpisode.objects.filter(closure_date__isnull=True).values("person_id")
            )
            .select_related("person")
            .order_by("closure_date", "id")
        )
    shown = {str(r.person.public_id) for r in both}
    shown |= {str(e.person.public_id) for e in lists.offers_to_pick_up}
    shown |= {str(e.person.public_id) for e in lists.step_downs}
    audit.record(
        principal=principal, action="earlyhelp.list", at=now, object_type="list", details={"shown": sorted(shown)}
    )
    return lists


def open_for_pick_up(principal: Principal, *, kind: str, public_id: object, now: dt.datetime) -> Any:
    """An offer or a step-down waiting for an early help team, opened by an early help practitioner of the
    child's local authority (who may not open the child's record yet). Audited; otherwise Refused."""
    action = f"earlyhelp.{kind}"
    pid = parse_id(public_id)
    membership = principal.membership
    found: Any = None
    if pid and membership is not None and _may_pick_up(principal):
        findable = Person.objects.filter(visible_in_search(principal), local_authority_id=membership.organisation_id)
        if kind == "pick-up":
            found = (
                EarlyHelpEpisode.objects.filter(public_id=pid, team__isnull=True, person_id__in=findable.values("id"))
                .select_related("person")
                .first()
            )
        else:
            found = (
                Episode.objects.filter(
                    public_id=pid, closure_reason=ClosureReason.RC9, person_id__in=findable.values("id")
                )
                .select_related("person")
                .first()
            )
    if found is None:
        raise Refused(principal=principal, action=action, public_id=str(public_id)[:80])
    audit.record(principal=principal, action=action, at=now, person=found.person, basis="early-help-pick-up")
    return found
