"""Roles and what each may do. The one table that maps a role to capabilities.

Access to a child's record is not a capability: it needs a legitimate relationship
(see safeguarding.access.policy). Capabilities say what kind of work a role does.
"""

from __future__ import annotations

import enum

from django.db import models


class Role(models.TextChoices):
    SOCIAL_WORKER = "SOCIAL_WORKER", "Social worker"
    TEAM_MANAGER = "TEAM_MANAGER", "Team manager"
    MASH_OFFICER = "MASH_OFFICER", "MASH officer"
    EARLY_HELP = "EARLY_HELP", "Early help practitioner"
    HEALTH_UNSCHEDULED = "HEALTH_UNSCHEDULED", "Health professional (unscheduled care)"
    HEALTH_SCHEDULED = "HEALTH_SCHEDULED", "Health professional (scheduled care)"
    DESIGNATED_PROFESSIONAL = "DESIGNATED_PROFESSIONAL", "Designated professional"
    NAMED_PROFESSIONAL = "NAMED_PROFESSIONAL", "Named professional"
    PARTNER_PROFESSIONAL = "PARTNER_PROFESSIONAL", "Partner agency safeguarding lead (school, police, GP practice)"
    PARTNERSHIP_MANAGER = "PARTNERSHIP_MANAGER", "Partnership manager"
    PARTNERSHIP_MEMBER = "PARTNERSHIP_MEMBER", "Partnership member (reads the partnership's work)"
    ANALYST = "ANALYST", "Analyst"
    AUDITOR = "AUDITOR", "Auditor"
    SYSTEM_ADMIN = "SYSTEM_ADMIN", "System administrator"


class Capability(enum.Enum):
    SEARCH_PEOPLE = "search people"
    CREATE_PERSON = "create and edit people"
    MERGE_PEOPLE = "merge duplicate records"
    MANAGE_RECORD_ACCESS = "restrict records and grant named access"
    BREAK_GLASS = "use break-glass access"
    MANAGE_LINE = "see the records of the teams they manage"
    VIEW_AUDIT = "search the audit log"
    MANAGE_ORGANISATIONS = "manage organisations, teams and users"
    RECORD_INVOLVEMENT = "record involvement with a child"
    RECORD_CONTACT = "record a contact (a concern about a child)"
    SCREEN_CONTACTS = "screen contacts at the front door (MASH)"
    DECIDE_CONTACTS = "decide what happens to a contact"
    RECORD_CASEWORK = "record social care casework (referral to closure)"
    AUTHORISE_CASEWORK = "authorise assessments, allocate and transfer work, record management decisions"
    RECORD_EARLY_HELP = "record early help work"
    RECORD_VOICE = "record the child's voice and visits"
    VIEW_RETURNS = "see statutory returns and their validation"
    QUERY_CP_FLAGS = "look up child protection flags by NHS number"
    MANAGE_PARTNERSHIP = "run the partnership's accountability, section 11, training and learning work"
    COMPLETE_SECTION11 = "complete their organisation's section 11 self-assessment"
    SUBMIT_REFERRAL = "submit a contact to the front door and follow its feedback"
    VIEW_PARTNERSHIP = "read the partnership's register, audits, training, reviews and actions"
    CONDUCT_CASE_AUDIT = "grade practice in a multi-agency case audit"


_PRACTICE = {
    Capability.SEARCH_PEOPLE,
    Capability.CREATE_PERSON,
    Capability.BREAK_GLASS,
    Capability.RECORD_INVOLVEMENT,
    Capability.RECORD_CONTACT,
    Capability.RECORD_VOICE,
}
_SOCIAL_CARE = {Capability.RECORD_CASEWORK, Capability.RECORD_EARLY_HELP}
_HEALTH = {
    Capability.SEARCH_PEOPLE,
    Capability.BREAK_GLASS,
    Capability.RECORD_INVOLVEMENT,
    Capability.RECORD_CONTACT,
    Capability.QUERY_CP_FLAGS,
    Capability.SUBMIT_REFERRAL,  # a concern about a child they are not involved with goes to the front door
}

_HEALTH_LEADS = {
    Capability.MANAGE_LINE,
    Capability.COMPLETE_SECTION11,
    Capability.VIEW_PARTNERSHIP,
    Capability.CONDUCT_CASE_AUDIT,
}

CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.SOCIAL_WORKER: frozenset(_PRACTICE | _SOCIAL_CARE),
    Role.TEAM_MANAGER: frozenset(
        _PRACTICE
        | _SOCIAL_CARE
        | {
            Capability.MERGE_PEOPLE,
            Capability.MANAGE_LINE,
            Capability.MANAGE_RECORD_ACCESS,
            Capability.SCREEN_CONTACTS,
            Capability.DECIDE_CONTACTS,
            Capability.AUTHORISE_CASEWORK,
            Capability.VIEW_RETURNS,
            Capability.COMPLETE_SECTION11,
            Capability.CONDUCT_CASE_AUDIT,
        }
    ),
    Role.MASH_OFFICER: frozenset(_PRACTICE | {Capability.SCREEN_CONTACTS}),
    Role.EARLY_HELP: frozenset(_PRACTICE | {Capability.RECORD_EARLY_HELP}),
    Role.HEALTH_UNSCHEDULED: frozenset(_HEALTH),
    Role.HEALTH_SCHEDULED: frozenset(_HEALTH),
    Role.DESIGNATED_PROFESSIONAL: frozenset(_HEALTH | _HEALTH_LEADS),
    Role.NAMED_PROFESSIONAL: frozenset(_HEALTH | _HEALTH_LEADS),
    Role.PARTNER_PROFESSIONAL: frozenset({Capability.SUBMIT_REFERRAL, Capability.CONDUCT_CASE_AUDIT}),
    Role.PARTNERSHIP_MANAGER: frozenset(
        {Capability.MANAGE_PARTNERSHIP, Capability.VIEW_PARTNERSHIP, Capability.CONDUCT_CASE_AUDIT}
    ),
    Role.PARTNERSHIP_MEMBER: frozenset({Capability.VIEW_PARTNERSHIP}),
    Role.ANALYST: frozenset({Capability.VIEW_RETURNS}),
    Role.AUDITOR: frozenset({Capability.VIEW_AUDIT}),
    Role.SYSTEM_ADMIN: frozenset({Capability.MANAGE_ORGANISATIONS}),
}


def role_can(role: str, capability: Capability) -> bool:
    return capability in CAPABILITIES.get(role, frozenset())
