"""Code sets for information-sharing decisions, each lawful basis with its citation (domain.md §6.2).

Working Together 2023 and the Information Sharing Advice (2024): data protection law is not a barrier
to sharing to keep a child safe. The record says what was decided, on which basis, and why.
"""

from __future__ import annotations

from django.db import models


class Decision(models.TextChoices):
    SHARE = "SHARE", "Share"
    NOT_SHARE = "NOT_SHARE", "Do not share"


class LawfulBasis(models.TextChoices):
    """UK GDPR Article 6: the basis for processing any personal data."""

    PUBLIC_TASK = "PUBLIC_TASK", "Public task: UK GDPR Article 6(1)(e)"
    VITAL_INTERESTS = "VITAL_INTERESTS", "Vital interests: UK GDPR Article 6(1)(d)"


# Column headings for the counts per agency.
BASIS_SHORT = {LawfulBasis.PUBLIC_TASK: "Public task 6(1)(e)", LawfulBasis.VITAL_INTERESTS: "Vital interests 6(1)(d)"}


class SpecialCondition(models.TextChoices):
    """UK GDPR Article 9 condition for special category data (health, ethnicity, religion, sex life)."""

    SAFEGUARDING = (
        "SAFEGUARDING",
        "Substantial public interest: UK GDPR Article 9(2)(g) with Data Protection Act 2018 Schedule 1 "
        'paragraph 18, "safeguarding of children and of individuals at risk"',
    )


class Category(models.TextChoices):
    IDENTITY = "IDENTITY", "Identifying details (name, date of birth, NHS number)"
    CONTACT = "CONTACT", "Address and contact details"
    CONCERNS = "CONCERNS", "The safeguarding concerns"
    SOCIAL_CARE = "SOCIAL_CARE", "Social care involvement and plans"
    FAMILY = "FAMILY", "Family members and household"
    EDUCATION = "EDUCATION", "Education and attendance"
    HEALTH = "HEALTH", "Health, including mental health (special category)"
    ETHNICITY_RELIGION = "ETHNICITY_RELIGION", "Ethnicity or religion (special category)"
    SEXUAL = "SEXUAL", "Sex life or sexual orientation (special category)"


# UK GDPR Article 9(1): these categories need an Article 9 condition as well as an Article 6 basis.
SPECIAL_CATEGORIES = frozenset({Category.HEALTH, Category.ETHNICITY_RELIGION, Category.SEXUAL})


class Consent(models.TextChoices):
    SOUGHT = "SOUGHT", "Sought, no answer yet"
    GIVEN = "GIVEN", "Given"
    REFUSED = "REFUSED", "Refused"
    NOT_SOUGHT = "NOT_SOUGHT", "Not sought"
