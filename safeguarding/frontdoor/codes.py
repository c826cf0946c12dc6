"""Code sets for contacts and MASH screening (../shared/reference/domain.md §7)."""

from __future__ import annotations

from django.db import models


class Consent(models.TextChoices):
    GIVEN = "GIVEN", "Given"
    REFUSED = "REFUSED", "Refused"
    NOT_SOUGHT = "NOT_SOUGHT", "Not sought"


class Urgency(models.TextChoices):
    IMMEDIATE = "IMMEDIATE", "Immediate: the child may be at risk of significant harm now"
    SAME_DAY = "SAME_DAY", "Same day"
    ROUTINE = "ROUTINE", "Routine"


class Rag(models.TextChoices):
    RED = "RED", "Red"
    AMBER = "AMBER", "Amber"
    GREEN = "GREEN", "Green"


class AgencyType(models.TextChoices):
    HEALTH = "HEALTH", "Health"
    POLICE = "POLICE", "Police"
    EDUCATION = "EDUCATION", "Education"
    OTHER = "OTHER", "Other"


class Decision(models.TextChoices):
    NO_FURTHER_ACTION = "NFA", "No further action"
    ADVICE = "ADVICE", "Advice and information"
    EARLY_HELP = "EARLY_HELP", "Early help"
    REFERRAL = "REFERRAL", "Referral to children's social care"
    STRATEGY = "STRATEGY", "Strategy discussion"


class FeedbackMethod(models.TextChoices):
    PHONE = "PHONE", "Phone"
    EMAIL = "EMAIL", "Secure email"
    LETTER = "LETTER", "Letter"
    IN_PERSON = "IN_PERSON", "In person"


class ReferralStatus(models.TextChoices):
    """A partner referral's progress in its referrer's words (never the front door's RAG or decision)."""

    RECEIVED = "RECEIVED", "Received"
    BEING_LOOKED_AT = "BEING_LOOKED_AT", "Being looked at"
    DECISION_MADE = "DECISION_MADE", "Decision made"
    FEEDBACK_SENT = "FEEDBACK_SENT", "Feedback sent"
