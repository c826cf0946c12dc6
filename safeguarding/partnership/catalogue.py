"""The default catalogue of accountable roles and training requirements (plain data; ADR 0020).

Sources: Children Act 2004 (s11 duty on bodies, s13 partnership arrangements as amended by the
Children and Social Work Act 2017 s16E-16F, s18 Director of Children's Services, s19 Lead Member);
Working Together to Safeguard Children 2023; the NHS Safeguarding Accountability and Assurance
Framework (SAAF) 2024; the Intercollegiate Document (RCPCH edition) for health staff's levels; the Munro
review (2011) recommendation 15 for the Principal Child and Family Social Worker. See domain.md §3-4.
`install` is used by the data migration (with historical models) and by load_partnership_defaults.
"""

from __future__ import annotations

from typing import Any

_LA = ["LOCAL_AUTHORITY"]
# Commissioners of health care for the area, across the reorganisations of 2013 and 2022.
_COMMISSIONERS = ["INTEGRATED_CARE_BOARD", "CLINICAL_COMMISSIONING_GROUP", "PRIMARY_CARE_TRUST"]
_PROVIDERS = ["NHS_TRUST"]

ROLES: list[dict[str, Any]] = [
    {
        "code": "director-childrens-services",
        "name": "Director of Children's Services",
        "responsibilities": "Professionally accountable for the local authority's education and children's social care "
        "functions, and for the authority's part in the safeguarding partnership.",
        "statutory_source": "Children Act 2004 s18; Working Together 2023 ch. 2",
        "scope": "AREA",
        "held_by_types": _LA,
    },
    {
        "code": "lead-member",
        "name": "Lead Member for Children's Services",
        "responsibilities": "The elected member politically accountable for children's services, "
        "including safeguarding.",
        "statutory_source": "Children Act 2004 s19",
        "scope": "AREA",
        "held_by_types": _LA,
    },
    {
        "code": "independent-scrutineer",
        "name": "Partnership chair or independent scrutineer",
        "responsibilities": "Independent scrutiny of how well the safeguarding partners work together, challenge to "
        "the lead safeguarding partners, and assurance in the yearly report.",
        "statutory_source": "Children Act 2004 s16E-16F (inserted by the Children and Social Work Act 2017); "
        "Working Together 2023 ch. 2",
        "scope": "AREA",
        "held_by_types": [],
    },
    {
        "code": "designated-doctor",
        "name": "Designated doctor for safeguarding children",
        "responsibilities": "Clinical expert and strategic leader across the area's health economy: supports named "
        "professionals, leads the health part of practice reviews and quality-assures health reports.",
        "statutory_source": "Children Act 2004 s11; NHS SAAF 2024; Intercollegiate Document level 5",
        "scope": "AREA",
        "held_by_types": _COMMISSIONERS,
    },
    {
        "code": "designated-nurse",
        "name": "Designated nurse for safeguarding children",
        "responsibilities": "Strategic nursing lead for safeguarding across the area's health economy, employed by the "
        "commissioner; advises the partnership and supports named nurses and midwives.",
        "statutory_source": "Children Act 2004 s11; NHS SAAF 2024; Intercollegiate Document level 5",
        "scope": "AREA",
        "held_by_types": _COMMISSIONERS,
    },
    {
        "code": "named-gp",
        "name": "Named GP for safeguarding children",
        "responsibilities": "Employed by the commissioner to support GP practices and their safeguarding leads.",
        "statutory_source": "Children Act 2004 s11; NHS SAAF 2024; Intercollegiate Document level 4",
        "scope": "AREA",
        "held_by_types": _COMMISSIONERS,
    },
    {
        "code": "named-doctor",
        "name": "Named doctor for safeguarding children",
        "responsibilities": "Leads safeguarding practice, advice and supervision for doctors in one provider. "
        "Must not also hold a designated role.",
        "statutory_source": "Children Act 2004 s11; NHS SAAF 2024; Intercollegiate Document level 4",
        "scope": "ORGANISATION",
        "held_by_types": _PROVIDERS,
    },
    {
        "code": "named-nurse",
        "name": "Named nurse for safeguarding children",
        "responsibilities": "Leads safeguarding practice, advice and supervision for nurses in one provider.",
        "statutory_source": "Children Act 2004 s11; NHS SAAF 2024; Intercollegiate Document level 4",
        "scope": "ORGANISATION",
        "held_by_types": _PROVIDERS,
    },
    {
        "code": "named-midwife",
        "name": "Named midwife for safeguarding children",
        "responsibilities": "Leads safeguarding practice for midwives in a provider of maternity services.",
        "statutory_source": "Children Act 2004 s11; NHS SAAF 2024; Intercollegiate Document level 4",
        "scope": "ORGANISATION",
        "held_by_types": _PROVIDERS,
    },
    {
        "code": "safeguarding-lead",
        "name": "Safeguarding lead",
        "responsibilities": "The senior lead for safeguarding in a body bound by section 11 (a board-level executive "
        "lead in an NHS body, the designated safeguarding lead in a school), with a clear line of accountability.",
        "statutory_source": "Children Act 2004 s11; Working Together 2023 ch. 2; Keeping Children Safe in Education",
        "scope": "ORGANISATION",
        "held_by_types": ["NHS_TRUST", "POLICE_FORCE", "SCHOOL", "GP_PRACTICE"],
    },
    {
        "code": "principal-social-worker",
        "name": "Principal Child and Family Social Worker",
        "responsibilities": "A senior social worker who keeps practice quality and the voice of the front line in view "
        "of the authority's leaders.",
        "statutory_source": "Munro review 2011, recommendation 15; Working Together 2023",
        "scope": "AREA",
        "held_by_types": _LA,
    },
    {
        "code": "lado",
        "name": "Local Authority Designated Officer (LADO)",
        "responsibilities": "Manages and oversees allegations against people who work with children.",
        "statutory_source": "Working Together 2023 ch. 2 (allegations against people who work with children)",
        "scope": "AREA",
        "held_by_types": _LA,
    },
]

# Staff roles (accounts.roles.Role values) and the training each needs (Intercollegiate levels, domain.md §4).
REQUIREMENTS: list[dict[str, Any]] = [
    {"role": "HEALTH_UNSCHEDULED", "kind": "INTERCOLLEGIATE", "minimum_level": 3},
    {"role": "HEALTH_SCHEDULED", "kind": "INTERCOLLEGIATE", "minimum_level": 3},
    {"role": "NAMED_PROFESSIONAL", "kind": "INTERCOLLEGIATE", "minimum_level": 4},
    {"role": "DESIGNATED_PROFESSIONAL", "kind": "INTERCOLLEGIATE", "minimum_level": 5},
    {"role": "SOCIAL_WORKER", "kind": "MULTI_AGENCY", "minimum_level": 2},
    {"role": "TEAM_MANAGER", "kind": "MULTI_AGENCY", "minimum_level": 3},
    {"role": "MASH_OFFICER", "kind": "MULTI_AGENCY", "minimum_level": 2},
    {"role": "EARLY_HELP", "kind": "MULTI_AGENCY", "minimum_level": 2},
]
_REQUIREMENT_SOURCE = {
    "INTERCOLLEGIATE": "Intercollegiate Document (RCPCH edition); refresh every 3 years",
    "MULTI_AGENCY": "Working Together 2023 (multi-agency training set by the partnership); refresh every 3 years",
}


def install(role_model: Any, requirement_model: Any) -> int:
    """Create or update the default (partnership-less) roles and requirements. Returns the rows written."""
    written = 0
    for position, role in enumerate(ROLES, start=1):
        values = {k: v for k, v in role.items() if k != "code"}
        role_model.objects.update_or_create(
            code=role["code"], partnership=None, defaults={**values, "is_statutory": True, "position": position * 10}
        )
        written += 1
    for requirement in REQUIREMENTS:
        requirement_model.objects.update_or_create(
            role=requirement["role"],
            partnership=None,
            defaults={
                "kind": requirement["kind"],
                "minimum_level": requirement["minimum_level"],
                "refresh_months": 36,
                "source": _REQUIREMENT_SOURCE[requirement["kind"]],
            },
        )
        written += 1
    return written
