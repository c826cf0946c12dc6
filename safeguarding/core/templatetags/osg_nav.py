"""Navigation helpers: show a menu item only to roles whose capability lets them use it."""

from __future__ import annotations

from django import template

from safeguarding.accounts.principal import Principal
from safeguarding.accounts.roles import Capability

register = template.Library()


@register.filter
def can(principal: Principal | None, capability: str) -> bool:
    """`{% if principal|can:"VIEW_AUDIT" %}`: an unknown capability name is an error, not a silent False."""
    return principal is not None and principal.can(Capability[capability])
