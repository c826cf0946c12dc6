from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q

from safeguarding.core.models import PublicIdModel
from safeguarding.organisations.models import Organisation, Team

from .roles import Capability, Role, role_can


class User(PublicIdModel, AbstractUser):
    job_title = models.CharField(max_length=200, blank=True)
    phone = models.CharField(max_length=30, blank=True)

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Membership(PublicIdModel):
    """A user's place in an organisation (and usually a team), with one role.

    A user may hold several memberships; they act through one at a time, chosen at
    sign-in, as NHS smartcard users select a role.
    """

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="memberships")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, null=True, blank=True, related_name="memberships")
    role = models.CharField(max_length=40, choices=Role.choices)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["organisation__name", "team__name", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "team", "role"], name="membership_unique"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(starts_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="membership_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        place = self.team.name if self.team_id and self.team else self.organisation.name
        return f"{self.get_role_display()}, {place}"

    def is_current(self, today: dt.date) -> bool:
        return (
            self.is_active
            and (self.starts_on is None or self.starts_on <= today)
            and (self.ends_on is None or today <= self.ends_on)
        )

    def can(self, capability: Capability) -> bool:
        return role_can(self.role, capability)


class ApiToken(models.Model):
    """A bearer token tied to one membership. Only a SHA-256 of the secret is stored."""

    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="api_tokens")
    name = models.CharField(max_length=100, blank=True)
    prefix = models.CharField(max_length=12, db_index=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.membership.user})"
