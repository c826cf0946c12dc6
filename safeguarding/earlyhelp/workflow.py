"""The allowed steps of an early help episode: the one table, and the message when a step is refused.

Early help is voluntary, so the assessment cannot start without the family's recorded consent, and
the plan builds on a completed assessment (those two rules are checked in services, with their own
messages). Everything else depends only on where the episode is.
"""

from __future__ import annotations

from .codes import Status

OPEN = frozenset({Status.OFFERED, Status.ASSESSMENT, Status.PLAN})

# step -> (what the user was trying to do, statuses it is allowed from)
STEPS: dict[str, tuple[str, frozenset[str]]] = {
    "pick_up": ("take on this early help", OPEN),
    "record_consent": ("record the family's consent", OPEN),
    "start_assessment": ("start the early help assessment", frozenset({Status.OFFERED})),
    "complete_assessment": ("complete the early help assessment", frozenset({Status.ASSESSMENT})),
    "appoint_lead": ("appoint a lead professional", OPEN),
    "add_member": ("add someone to the team around the family", OPEN),
    "member_left": ("record that someone left the team around the family", OPEN),
    "start_plan": ("start the early help plan", frozenset({Status.ASSESSMENT})),
    "add_outcome": ("add an outcome to the plan", frozenset({Status.PLAN})),
    "review": ("record a review", frozenset({Status.PLAN})),
    "step_up": ("step up to children's social care", OPEN),
    "close": ("close the early help", OPEN),
}


def allowed_steps(status: str) -> list[str]:
    return [step for step, (_label, allowed) in STEPS.items() if status in allowed]


def refusal(status: str, step: str) -> str | None:
    """Why `step` is not allowed from `status` and what is, or None when it is allowed."""
    label, allowed = STEPS[step]
    if status in allowed:
        return None
    now = Status(status).label.lower()
    if status not in OPEN:
        return f"You cannot {label}: this early help has ended ({now}). Offer early help again if the family needs it."
    options = "; ".join(STEPS[s][0] for s in allowed_steps(status) if s != "pick_up")
    return f"You cannot {label} while the early help is at '{now}'. You can: {options}."
