"""CIN census code sets for people (statutory.md §1.4). Records keep native codes."""

from __future__ import annotations

from django.db import models


class Sex(models.TextChoices):
    MALE = "M", "Male"
    FEMALE = "F", "Female"
    UNKNOWN = "U", "Unknown"


class Ethnicity(models.TextChoices):
    WBRI = "WBRI", "White British"
    WIRI = "WIRI", "White Irish"
    WIRT = "WIRT", "Traveller of Irish heritage"
    WOTH = "WOTH", "Any other White background"
    WROM = "WROM", "Gypsy/Roma"
    MWBC = "MWBC", "White and Black Caribbean"
    MWBA = "MWBA", "White and Black African"
    MWAS = "MWAS", "White and Asian"
    MOTH = "MOTH", "Any other mixed background"
    AIND = "AIND", "Indian"
    APKN = "APKN", "Pakistani"
    ABAN = "ABAN", "Bangladeshi"
    AOTH = "AOTH", "Any other Asian background"
    BCRB = "BCRB", "Caribbean"
    BAFR = "BAFR", "African"
    BOTH = "BOTH", "Any other Black background"
    CHNE = "CHNE", "Chinese"
    OOTH = "OOTH", "Any other ethnic group"
    REFU = "REFU", "Refused"
    NOBT = "NOBT", "Information not yet obtained"


class Disability(models.TextChoices):
    NONE = "NONE", "No disability"
    MOB = "MOB", "Mobility"
    HAND = "HAND", "Hand function"
    PC = "PC", "Personal care"
    INC = "INC", "Incontinence"
    COMM = "COMM", "Communication"
    LD = "LD", "Learning"
    HEAR = "HEAR", "Hearing"
    VIS = "VIS", "Vision"
    BEH = "BEH", "Behaviour"
    CON = "CON", "Consciousness"
    AUT = "AUT", "Autism"
    DDA = "DDA", "Other (DDA-defined)"


class PersonKind(models.TextChoices):
    CHILD = "CHILD", "Child"
    UNBORN = "UNBORN", "Unborn child"
    ADULT = "ADULT", "Adult"


class NameKind(models.TextChoices):
    PREVIOUS = "PREVIOUS", "Previous name"
    ALIAS = "ALIAS", "Also known as"
    PREFERRED = "PREFERRED", "Preferred name"


class RelationshipType(models.TextChoices):
    """Read as: `from_person` is the <type> of `to_person`."""

    PARENT = "PARENT", "Parent"
    STEP_PARENT = "STEP_PARENT", "Step-parent"
    SIBLING = "SIBLING", "Sibling"
    HALF_SIBLING = "HALF_SIBLING", "Half-sibling"
    GRANDPARENT = "GRANDPARENT", "Grandparent"
    CARER = "CARER", "Carer"
    PARTNER_OF_PARENT = "PARTNER_OF_PARENT", "Partner of a parent"
    PARTNER = "PARTNER", "Partner"
    OTHER = "OTHER", "Other"


SYMMETRIC_RELATIONSHIPS = frozenset({RelationshipType.SIBLING, RelationshipType.HALF_SIBLING, RelationshipType.PARTNER})

INVERSE_LABELS = {
    RelationshipType.PARENT: "Child",
    RelationshipType.STEP_PARENT: "Step-child",
    RelationshipType.SIBLING: "Sibling",
    RelationshipType.HALF_SIBLING: "Half-sibling",
    RelationshipType.GRANDPARENT: "Grandchild",
    RelationshipType.CARER: "Cared for",
    RelationshipType.PARTNER_OF_PARENT: "Child of partner",
    RelationshipType.PARTNER: "Partner",
    RelationshipType.OTHER: "Other",
}
