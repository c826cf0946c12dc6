"""Early help code sets (../shared/reference/domain.md §7.2 and §7.3)."""

from __future__ import annotations

from django.db import models


class Status(models.TextChoices):
    """Where an early help episode is. earlyhelp.workflow holds the table of allowed steps."""

    OFFERED = "OFFERED", "Offered: awaiting the family's consent"
    ASSESSMENT = "ASSESSMENT", "Early help assessment"
    PLAN = "PLAN", "Early help plan"
    CLOSED = "CLOSED", "Closed"
    DECLINED = "DECLINED", "Declined by the family"
    STEPPED_UP = "STEPPED_UP", "Stepped up to children's social care"


OPEN_STATUSES = (Status.OFFERED, Status.ASSESSMENT, Status.PLAN)
CLOSED_STATUSES = (Status.CLOSED, Status.DECLINED, Status.STEPPED_UP)


class ClosureOutcome(models.TextChoices):
    NEEDS_MET = "NEEDS_MET", "Needs met"
    STEPPED_UP = "STEPPED_UP", "Stepped up to children's social care"
    DECLINED = "DECLINED", "The family declined or withdrew consent"
    MOVED_AWAY = "MOVED_AWAY", "The family moved away"
    OTHER = "OTHER", "Other"


# Outcomes a practitioner chooses when closing; the other two are the result of their own steps.
CHOSEN_CLOSURE_OUTCOMES = (ClosureOutcome.NEEDS_MET, ClosureOutcome.MOVED_AWAY, ClosureOutcome.OTHER)


class ConsentDecision(models.TextChoices):
    GIVEN = "GIVEN", "Consent given"
    REFUSED = "REFUSED", "Consent refused or withdrawn"


class ConsentBy(models.TextChoices):
    PARENT = "PARENT", "Parent or carer"
    YOUNG_PERSON = "YOUNG_PERSON", "The young person"
    OTHER = "OTHER", "Someone else with parental responsibility"


class Rag(models.TextChoices):
    RED = "RED", "Red: not on track"
    AMBER = "AMBER", "Amber: some progress"
    GREEN = "GREEN", "Green: on track or achieved"


class FamilyOutcome(models.TextChoices):
    """The ten headline outcomes of the Supporting Families outcome framework, 2022 to 2025."""

    EDUCATION = "EDUCATION", "Getting a good education"
    EARLY_YEARS = "EARLY_YEARS", "Good early years development"
    HEALTH = "HEALTH", "Improved mental and physical health"
    SUBSTANCE_USE = "SUBSTANCE_USE", "Better managed substance use"
    RELATIONSHIPS = "RELATIONSHIPS", "Improved family relationships"
    SAFE_FROM_ABUSE = "SAFE_FROM_ABUSE", "Children safe from abuse and exploitation"
    CRIME = "CRIME", "Families diverted from crime"
    DOMESTIC_ABUSE = "DOMESTIC_ABUSE", "Safe from domestic abuse"
    HOUSING = "HOUSING", "Secure housing"
    FINANCES = "FINANCES", "Financial stability"
