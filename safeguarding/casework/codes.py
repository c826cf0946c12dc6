"""CIN census code sets for the social care journey (../shared/reference/statutory.md §1.4).

Records keep these codes as they are; the census exporter maps them to a collection year's
form (e.g. pre-2020 factor codes) at export, never in the record.
"""

from __future__ import annotations

from django.db import models


class ReferralSource(models.TextChoices):
    S1A = "1A", "Individual: family member, relative or carer"
    S1B = "1B", "Individual: acquaintance (including neighbours and childminders)"
    S1C = "1C", "Individual: self"
    S1D = "1D", "Individual: other"
    S2A = "2A", "Schools"
    S2B = "2B", "Education services"
    S3A = "3A", "Health: GP"
    S3B = "3B", "Health: health visitor"
    S3C = "3C", "Health: school nurse"
    S3D = "3D", "Health: other primary health services"
    S3E = "3E", "Health: A&E"
    S3F = "3F", "Health: other (for example a hospice)"
    S4 = "4", "Housing"
    S5A = "5A", "Local authority: social care (for example adult social care)"
    S5B = "5B", "Local authority: other internal service"
    S5C = "5C", "Local authority: external (for example another authority's adult social care)"
    S5D = "5D", "Local authority: early help"
    S6 = "6", "Police"
    S7 = "7", "Other legal agency (courts, probation, immigration, Cafcass, prison)"
    S8 = "8", "Other (children's centres, independent providers, voluntary organisations)"
    S9 = "9", "Anonymous"
    S10 = "10", "Unknown"


class PrimaryNeed(models.TextChoices):
    N1 = "N1", "Abuse, neglect and exploitation"
    N2 = "N2", "Child's disability"
    N3 = "N3", "Parental disability or illness"
    N4 = "N4", "Family in acute stress"
    N5 = "N5", "Family dysfunction"
    N6 = "N6", "Socially unacceptable behaviour"
    N7 = "N7", "Low income"
    N8 = "N8", "Absent parenting"
    N9 = "N9", "Cases other than children in need"
    N0 = "N0", "Not stated"


class ClosureReason(models.TextChoices):
    RC1 = "RC1", "Adopted"
    RC2 = "RC2", "Died"
    RC3 = "RC3", "Child arrangements order"
    RC4 = "RC4", "Special guardianship order"
    RC5 = "RC5", "Transferred to services of another local authority"
    RC6 = "RC6", "Transferred to adult social care"
    RC7 = "RC7", "Services ceased for any other reason, including child no longer in need"
    RC8 = "RC8", "Case closed after assessment, no further action"
    RC9 = "RC9", "Case closed after assessment, referred to early help"


class AbuseCategory(models.TextChoices):
    NEG = "NEG", "Neglect"
    PHY = "PHY", "Physical abuse"
    EMO = "EMO", "Emotional abuse"
    SAB = "SAB", "Sexual abuse"
    MUL = "MUL", "Multiple"


class AssessmentFactor(models.TextChoices):
    F1A = "1A", "Alcohol misuse: the child"
    F1B = "1B", "Alcohol misuse: parent or carer"
    F1C = "1C", "Alcohol misuse: another person in the household"
    F2A = "2A", "Drug misuse: the child"
    F2B = "2B", "Drug misuse: parent or carer"
    F2C = "2C", "Drug misuse: another person in the household"
    F3A = "3A", "Domestic abuse: the child is the subject"
    F3B = "3B", "Domestic abuse: parent or carer is the subject"
    F3C = "3C", "Domestic abuse: another person in the household is the subject"
    F4A = "4A", "Mental health: the child"
    F4B = "4B", "Mental health: parent or carer"
    F4C = "4C", "Mental health: another person in the family or household"
    F5A = "5A", "Learning disability: the child"
    F5B = "5B", "Learning disability: parent or carer"
    F5C = "5C", "Learning disability: another person in the family or household"
    F6A = "6A", "Physical disability or illness: the child"
    F6B = "6B", "Physical disability or illness: parent or carer"
    F6C = "6C", "Physical disability or illness: another person in the family or household"
    F7A = "7A", "Young carer"
    F8B = "8B", "Privately fostered: overseas child who intends to return"
    F8C = "8C", "Privately fostered: overseas child who intends to stay"
    F8D = "8D", "Privately fostered: UK child in an educational placement"
    F8E = "8E", "Privately fostered: UK child in an alternative family arrangement"
    F8F = "8F", "Privately fostered: other"
    F9A = "9A", "Unaccompanied asylum-seeking child"
    F10A = "10A", "Going or being missing"
    F11A = "11A", "Child sexual exploitation"
    F12A = "12A", "Trafficking"
    F13A = "13A", "Gangs"
    F14A = "14A", "Socially unacceptable behaviour"
    F15A = "15A", "Self-harm"
    F16A = "16A", "Neglect"
    F17A = "17A", "Emotional abuse"
    F18B = "18B", "Physical abuse: child on child"
    F18C = "18C", "Physical abuse: adult on child"
    F19B = "19B", "Sexual abuse: child on child"
    F19C = "19C", "Sexual abuse: adult on child"
    F20 = "20", "Other"
    F21 = "21", "No factors identified"
    F22A = "22A", "Female genital mutilation"
    F23A = "23A", "Abuse linked to faith or belief"
    F24A = "24A", "Child criminal exploitation"


class Stage(models.TextChoices):
    """Where an episode is. casework.workflow holds the table of allowed steps between them."""

    REFERRAL = "REFERRAL", "Referral received"
    ASSESSMENT = "ASSESSMENT", "Single assessment"
    CHILD_IN_NEED = "CHILD_IN_NEED", "Child in need plan"
    SECTION_47 = "SECTION_47", "Section 47 enquiry"
    CONFERENCE_DUE = "CONFERENCE_DUE", "Initial child protection conference due"
    CHILD_PROTECTION = "CHILD_PROTECTION", "Child protection plan"
    CLOSED = "CLOSED", "Closed"


class AssessmentOutcome(models.TextChoices):
    NO_FURTHER_ACTION = "NFA", "No further action: close"
    EARLY_HELP = "EARLY_HELP", "Step down to early help: close"
    CHILD_IN_NEED = "CIN", "Child in need plan"
    STRATEGY_DISCUSSION = "STRATEGY", "Strategy discussion"
    CONTINUE = "CONTINUE", "Continue current plan"


class StrategyOutcome(models.TextChoices):
    SECTION_47 = "S47", "Start a section 47 enquiry"
    NO_SECTION_47 = "NO_S47", "No section 47 enquiry: continue assessment or plan"


class Section47Outcome(models.TextChoices):
    CONFERENCE = "ICPC", "Concerns substantiated: initial child protection conference"
    CHILD_IN_NEED = "CIN", "Concerns substantiated, no conference: child in need plan"
    NOT_SUBSTANTIATED = "NFA", "Concerns not substantiated"


class ConferenceKind(models.TextChoices):
    INITIAL = "INITIAL", "Initial child protection conference"
    REVIEW = "REVIEW", "Review child protection conference"


class ConferenceDecision(models.TextChoices):
    PLAN = "PLAN", "Child protection plan (to start or to continue)"
    NO_PLAN = "NO_PLAN", "No child protection plan"
    END_PLAN = "END_PLAN", "End the child protection plan"
