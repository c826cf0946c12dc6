"""Who is acting: a user through one membership, over one channel.

Every access decision and every audit row is made from a Principal, so web pages,
the API, commands and background tasks are judged and recorded the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

from .models import Membership, User
from .roles import Capability


@dataclass(frozen=True)
class Principal:
    user: User
    membership: Membership | None
    channel: str = "WEB"
    request_id: str = ""
    ip_address: str | None = None

    @property
    def role(self) -> str:
        return self.membership.role if self.membership else ""

    @property
    def organisation_id(self) -> int | None:
        return self.membership.organisation_id if self.membership else None

    @property
    def team_id(self) -> int | None:
        return self.membership.team_id if self.membership else None

    def can(self, capability: Capability) -> bool:
        return self.membership is not None and self.membership.can(capability)
