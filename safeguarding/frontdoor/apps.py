from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.apps import AppConfig

if TYPE_CHECKING:
    from safeguarding.accounts.principal import Principal
    from safeguarding.people.models import Person


def _load_contacts(principal: Principal, person: Person, now: dt.datetime) -> dict[str, Any] | None:
    """The child's contacts (two queries), and a link to record one for roles that may."""
    from safeguarding.accounts.roles import Capability
    from safeguarding.people.codes import PersonKind

    from .queries import contacts_for_person

    if person.kind == PersonKind.ADULT:
        return None
    contacts, count = contacts_for_person(person)
    can_record = principal.can(Capability.RECORD_CONTACT)
    if not contacts and not can_record:
        return None
    return {"contacts": contacts, "count": count, "person": person, "can_record": can_record}


class FrontdoorConfig(AppConfig):
    name = "safeguarding.frontdoor"
    verbose_name = "Front door: contacts and MASH"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from safeguarding.people import panels

        panels.register(
            panels.Panel(
                key="contacts",
                title="Contacts to the front door",
                template="frontdoor/_panel.html",
                load=_load_contacts,
                order=20,
            )
        )
