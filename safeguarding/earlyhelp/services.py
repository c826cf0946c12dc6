"""Every write about early help: keyword-only, principal and now passed in, audited in the same
transaction, with a chronology entry for the child (ARCHITECTURE.md, ADR 0013).

Callers (views, the front door) open the child's record through access.queries first; these
functions check the role's capability and the workflow (earlyhelp.workflow) and raise StepRefused
with a message that is safe to show and says what is allowed.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction

from safeguarding.access import services as access
from safeguarding.access.models import InvolvementKind
from safeguarding.accounts.roles import Capability
from safeguarding.audit import services as audit
from safeguarding.casework.codes import ClosureReason
from safeguarding.chronology import services as chronology
from safeguarding.chronology.models import Significance

from . import workflow
from .models import EarlyHelpEpisode

if TYPE_CHECKING:
    from safeguarding.accounts.principal import Principal
    from safeguarding.casework.models import Episode
    from safeguarding.organisations.models import Team
    from safeguarding.people.models import Person

CATEGORY = "Early help"
NO_CAPABILITY = "Your role cannot record early help. Ask an early help practitioner or a team manager."


class StepRefused(Exception):
    """An early help step was refused; the message is safe to show and says why and what is allowed."""


def check_date(day: dt.date, *, now: dt.datetime, backdated_reason: str, label: str) -> None:
    """Things that happened cannot be in the future; more than a day ago needs a reason (and is shown)."""
    today = now.date()
    if day > today:
        raise StepRefused(f"{label} cannot be in the future")
    if day < today - dt.timedelta(days=1) and not backdated_reason.strip():
        raise StepRefused(f"{label} is more than a day ago: say why it is being recorded now")


def _require(principal: Principal, *capabilities: Capability) -> None:
    if not any(principal.can(c) for c in capabilities):
        raise StepRefused(NO_CAPABILITY)


def _step(episode: EarlyHelpEpisode, step: str) -> None:
    message = workflow.refusal(episode.status, step)
    if message:
        raise StepRefused(message)


def _audit(principal: Principal, action: str, episode: EarlyHelpEpisode, now: dt.datetime, **details: object) -> None:
    audit.record(
        principal=principal,
        action=action,
        at=now,
        person=episode.person,
        details={"early_help": str(episode.public_id), **{k: str(v) for k, v in details.items()}},
    )


def _chronicle(
    principal: Principal,
    episode: EarlyHelpEpisode,
    now: dt.datetime,
    *,
    on: dt.date,
    summary: str,
    source: object,
    backdated_reason: str = "",
    significance: str = Significance.ROUTINE,
) -> None:
    chronology.add_entry(
        person=episode.person,
        principal=principal,
        occurred_on=on,
        category=CATEGORY,
        summary=summary,
        source_type=type(source)._meta.label_lower,  # type: ignore[attr-defined]
        source_id=str(source.public_id),  # type: ignore[attr-defined]
        now=now,
        significance=significance,
        backdated_reason=backdated_reason,
    )


def _team_involvement(principal: Principal, episode: EarlyHelpEpisode, team: Team, now: dt.datetime) -> None:
    access.record_involvement(
        person=episode.person,
        principal=principal,
        kind=InvolvementKind.TEAM,
        now=now,
        team=team,
        description="Early help",
    )


@transaction.atomic
def offer_early_help(
    *,
    person: Person,
    principal: Principal,
    now: dt.datetime,
    offered_on: dt.date,
    reason: str,
    stepped_down_from: Episode | None = None,
    team: Team | None = None,
    backdated_reason: str = "",
) -> EarlyHelpEpisode:
    """Offer early help to the child's family (status OFFERED, awaiting their consent).

    Called by the front door when a contact is decided as early help (no team: the offer waits for an
    early help team to pick it up), and by early help practitioners (their team holds it at once), also
    when taking on a child stepped down from social care (`stepped_down_from`, closed with RC9)."""
    _require(principal, Capability.RECORD_EARLY_HELP, Capability.DECIDE_CONTACTS)
    if not reason.strip():
        raise StepRefused("Say why early help is offered")
    check_date(offered_on, now=now, backdated_reason=backdated_reason, label="The date early help was offered")
    current = EarlyHelpEpisode.objects.filter(person=person, closure_date__isnull=True).first()
    if current is not None:
        raise StepRefused(
            f"{person.display_name} already has early help offered on {current.offered_on:%-d %B %Y}. "
            "Add to that early help instead."
        )
    if stepped_down_from is not None:
        _check_step_down(stepped_down_from, person)
        if offered_on < stepped_down_from.closure_date:  # type: ignore[operator]
            raise StepRefused("Early help after a step-down cannot be offered before social care closed")
    episode = EarlyHelpEpisode(
        person=person,
        local_authority=person.local_authority,
        offered_on=offered_on,
        reason=reason.strip(),
        team=team,
        stepped_down_from=stepped_down_from,
        recorded_at=now,
        recorded_by=principal.user,
        backdated_reason=backdated_reason.strip(),
    )
    episode.full_clean()
    episode.save()
    _audit(
        principal,
        "earlyhelp.offered",
        episode,
        now,
        stepped_down_from=stepped_down_from.public_id if stepped_down_from else "",
    )
    summary = "Early help offered"
    if stepped_down_from is not None:
        summary += (
            f", stepped down from children's social care (referral of {stepped_down_from.referral_date:%-d %B %Y})"
        )
    _chronicle(
        principal,
        episode,
        now,
        on=offered_on,
        summary=f"{summary}: {episode.reason}",
        source=episode,
        backdated_reason=episode.backdated_reason,
        significance=Significance.SIGNIFICANT,
    )
    if team is not None:
        _team_involvement(principal, episode, team, now)
    return episode


def _check_step_down(casework_episode: Episode, person: Person) -> None:
    if casework_episode.person_id != person.pk:
        raise StepRefused("That social care episode is about another child")
    if casework_episode.closure_reason != ClosureReason.RC9:
        raise StepRefused("Only a social care episode closed with a referral to early help (RC9) can be stepped down")
    if EarlyHelpEpisode.objects.filter(stepped_down_from=casework_episode).exists():
        raise StepRefused("Early help has already been started for this step-down")


@transaction.atomic
def pick_up(*, episode: EarlyHelpEpisode, principal: Principal, now: dt.datetime) -> EarlyHelpEpisode:
    """An early help team takes on an offer that came from the front door (no team yet)."""
    _require(principal, Capability.RECORD_EARLY_HELP)
    _step(episode, "pick_up")
    membership = principal.membership
    if membership is None or membership.team is None:
        raise StepRefused("You need to act as a member of an early help team to take this on")
    if episode.team_id is not None:
        raise StepRefused(f"{episode.team} has already taken this on")
    episode.team = membership.team
    episode.save(update_fields=["team"])
    _audit(principal, "earlyhelp.picked-up", episode, now, team=membership.team.name)
    _team_involvement(principal, episode, membership.team, now)
    return episode
