"""The child's voice (their words, in the Three Houses) and visits (was the child seen, and seen alone).

The child's words are recorded as they said, wrote or drew them, never paraphrased (domain.md 7.5). A
VoiceEntry may be linked to the decisions, assessments and plans it informed (VoiceLink): the link
names its target by model label and public id, so any app can be a target without voice importing it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from safeguarding.core.dates import is_backdated
from safeguarding.core.models import PublicIdModel
from safeguarding.organisations.models import Organisation

from .codes import Gathered, Place

WORD_FIELDS = ("worries", "good_things", "wishes", "want_to_happen", "words")


class VoiceEntry(PublicIdModel):
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="voice_entries")
    recorded_on = models.DateField(help_text="When the child said, wrote or showed this")
    gathered = models.CharField(max_length=24, choices=Gathered.choices)
    worries = models.TextField("House of worries", blank=True)
    good_things = models.TextField("House of good things", blank=True)
    wishes = models.TextField("House of dreams", blank=True)
    want_to_happen = models.TextField("What I want to happen", blank=True)
    words = models.TextField("Other words", blank=True)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    backdated_reason = models.TextField(blank=True)

    class Meta:
        verbose_name = "child's voice entry"
        verbose_name_plural = "child's voice entries"
        ordering = ["-recorded_on", "-recorded_at", "-id"]
        indexes = [models.Index(fields=["person", "-recorded_on"], name="voice_person_date")]
        constraints = [
            models.CheckConstraint(
                condition=~(Q(worries="") & Q(good_things="") & Q(wishes="") & Q(want_to_happen="") & Q(words="")),
                name="voice_entry_has_words",
            )
        ]

    def __str__(self) -> str:
        return f"The child's voice, {self.recorded_on}"

    @property
    def is_backdated(self) -> bool:
        return is_backdated(self.recorded_on, recorded_on=self.recorded_at.date())


class VoiceLink(models.Model):
    """This entry informed that decision, assessment or plan (target: model label + public id)."""

    entry = models.ForeignKey(VoiceEntry, on_delete=models.PROTECT, related_name="links")
    target_label = models.CharField(max_length=100)  # target._meta.label_lower, e.g. "casework.conference"
    target_public_id = models.UUIDField()
    target_description = models.CharField(max_length=200, blank=True)  # str(target) when linked
    linked_at = models.DateTimeField()
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["linked_at", "id"]
        indexes = [models.Index(fields=["target_label", "target_public_id"], name="voicelink_target")]
        constraints = [
            models.UniqueConstraint(fields=["entry", "target_label", "target_public_id"], name="voicelink_unique")
        ]

    def __str__(self) -> str:
        return f"{self.entry} informed {self.target_label} {self.target_public_id}"


class Visit(PublicIdModel):
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="visits")
    visited_on = models.DateField()
    place = models.CharField(max_length=10, choices=Place.choices)
    is_seen = models.BooleanField("The child was seen")
    is_seen_alone = models.BooleanField("The child was seen alone", default=False)
    not_seen_reason = models.TextField(blank=True)
    note = models.TextField(blank=True)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    backdated_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-visited_on", "-recorded_at", "-id"]
        indexes = [models.Index(fields=["person", "-visited_on"], name="visit_person_date")]
        constraints = [
            models.CheckConstraint(condition=Q(is_seen=True) | Q(is_seen_alone=False), name="visit_alone_means_seen"),
            models.CheckConstraint(
                condition=Q(is_seen=True) | ~Q(not_seen_reason=""), name="visit_not_seen_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"Visit on {self.visited_on}"

    @property
    def is_backdated(self) -> bool:
        return is_backdated(self.visited_on, recorded_on=self.recorded_at.date())
