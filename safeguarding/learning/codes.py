"""Choices for learning from serious incidents (domain.md §5). UPPER codes, human labels."""

from __future__ import annotations

from django.db import models


class ReviewDecision(models.TextChoices):
    LCSPR = "LCSPR", "A local child safeguarding practice review is needed"
    NO_LCSPR = "NO_LCSPR", "No local child safeguarding practice review is needed"


class Pattern(models.TextChoices):
    """SCIE Learning Together's six-part typology of underlying patterns (domain.md §5.1)."""

    HUMAN_BIASES = "HUMAN_BIASES", "Innate human biases"
    FAMILY_PROFESSIONAL = "FAMILY_PROFESSIONAL", "Family and professional interactions"
    TOOLS = "TOOLS", "Tools"
    MANAGEMENT_SYSTEMS = "MANAGEMENT_SYSTEMS", "Management systems"
    MULTI_AGENCY_CRISIS = "MULTI_AGENCY_CRISIS", "Multi-agency working in response to incidents and crises"
    MULTI_AGENCY_LONGER_TERM = "MULTI_AGENCY_LONGER_TERM", "Multi-agency working in longer-term work"


class FactorDomain(models.TextChoices):
    """NPSA Contributory Factors Classification Framework, nine domains (domain.md §5.2)."""

    PATIENT = "PATIENT", "Patient factors"
    INDIVIDUAL = "INDIVIDUAL", "Individual (staff) factors"
    TASK = "TASK", "Task factors"
    COMMUNICATION = "COMMUNICATION", "Communication factors"
    TEAM_SOCIAL = "TEAM_SOCIAL", "Team and social factors"
    EDUCATION_TRAINING = "EDUCATION_TRAINING", "Education and training factors"
    EQUIPMENT_RESOURCES = "EQUIPMENT_RESOURCES", "Equipment and resource factors"
    WORKING_CONDITIONS = "WORKING_CONDITIONS", "Working conditions and environment factors"
    ORGANISATIONAL = "ORGANISATIONAL", "Organisational and strategic factors"


class ActionStatus(models.TextChoices):
    OPEN = "OPEN", "Open"
    IN_PROGRESS = "IN_PROGRESS", "In progress"
    DONE = "DONE", "Done"
