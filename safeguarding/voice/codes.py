"""Code sets for the child's voice and visits."""

from __future__ import annotations

from django.db import models


class Gathered(models.TextChoices):
    """How the child's views came to be on the record (so a reader can weigh them)."""

    OWN_WORDS = "OWN_WORDS", "The child's own words"
    SAID_TO_PROFESSIONAL = "SAID_TO_PROFESSIONAL", "Said by the child to a professional"
    DRAWN_OR_WRITTEN = "DRAWN_OR_WRITTEN", "Drawn or written by the child"
    OBSERVED = "OBSERVED", "Observed (a baby or a child who does not use words)"
    ADVOCATE = "ADVOCATE", "Through an advocate or interpreter"


class Place(models.TextChoices):
    HOME = "HOME", "At home"
    SCHOOL = "SCHOOL", "At school or nursery"
    OFFICE = "OFFICE", "At an office or family centre"
    OTHER = "OTHER", "Somewhere else"


# The Three Houses (Weld and Greening), in the order a child usually meets them on the page, and what
# each answers in Signs of Safety terms (domain.md 7.4, 7.5). Field name, heading, the question it answers.
HOUSES = (
    ("worries", "House of worries", "What are we worried about?"),
    ("good_things", "House of good things", "What is working well?"),
    ("wishes", "House of dreams", "What needs to happen?"),
)
