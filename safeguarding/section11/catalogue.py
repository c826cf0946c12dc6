"""The default section 11 standards: the eight key features of the 2007 statutory guidance (domain.md §3.3).

A partnership starts from these and edits its own copy (ADR 0023); changing this list never changes a
partnership's standards already installed.
"""

from __future__ import annotations

SOURCE = (
    "Statutory guidance on making arrangements to safeguard and promote the welfare of children under "
    "section 11 of the Children Act 2004 (DfES-0036-2007), key features"
)

DEFAULT_STANDARDS: tuple[tuple[str, str], ...] = (
    (
        "Senior management commitment",
        "Senior management commitment to the importance of safeguarding and promoting children's welfare, "
        "with a senior board-level lead who takes leadership responsibility for safeguarding arrangements.",
    ),
    (
        "Statement of responsibilities",
        "A clear statement of the agency's responsibilities towards children, available to all staff.",
    ),
    (
        "Line of accountability",
        "A clear line of accountability within the organisation for work on safeguarding and promoting the "
        "welfare of children, including a designated practitioner or lead (designated and named professionals "
        "in health).",
    ),
    (
        "Service development and the views of children",
        "Service development that takes account of the need to safeguard and promote welfare, and is informed, "
        "where appropriate, by the views of children and families.",
    ),
    (
        "Safeguarding training",
        "Training on safeguarding and promoting the welfare of children for all staff working with, or in "
        "contact with, children and families, with supervision and support.",
    ),
    (
        "Safer recruitment",
        "Safer recruitment procedures, including vetting (criminal record checks), and clear procedures for "
        "allegations against people who work with children.",
    ),
    (
        "Inter-agency working",
        "Effective inter-agency working to safeguard and promote the welfare of children.",
    ),
    (
        "Information sharing",
        "Effective information sharing with other practitioners and with the safeguarding partners.",
    ),
)
