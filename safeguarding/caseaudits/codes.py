"""Code sets for multi-agency case audits (ADR 0026)."""

from __future__ import annotations

from django.db import models


class Cohort(models.TextChoices):
    CP_PLAN = "CP_PLAN", "Children on a child protection plan"
    CIN_PLAN = "CIN_PLAN", "Children on a child in need plan"
    OPEN_EPISODE = "OPEN_EPISODE", "Children with an open social care episode"


class AuditStatus(models.TextChoices):
    PLANNED = "PLANNED", "Planned"
    IN_PROGRESS = "IN_PROGRESS", "In progress"
    CLOSED = "CLOSED", "Closed"


class FindingKind(models.TextChoices):
    STRENGTH = "STRENGTH", "Strength"
    IMPROVE = "IMPROVE", "Area for improvement"


class ActionStatus(models.TextChoices):
    OPEN = "OPEN", "Open"
    DONE = "DONE", "Done"
