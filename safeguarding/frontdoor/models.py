"""Contacts at the front door (MASH): a concern about a child, its screening, the information asked of
partners, the manager's decision and the feedback to whoever raised it; and partner referrals, the
concerns partner agencies submit themselves, before the front door turns them into contacts (ADR 0025).

A contact is part of the child's record: it is read only after access.queries.open_person.
Writes go through frontdoor.services (audit and chronology in the same transaction).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q

from safeguarding.core.models import PublicIdModel
from safeguarding.organisations.models import Organisation

from .codes import AgencyType, Consent, Decision, FeedbackMethod, Rag, Urgency


class PartnerReferral(PublicIdModel):
    """A concern submitted by a professional of a partner agency, about a child as they know them.

    It is not part of any child's record until the front door accepts it: then it becomes a Contact
    (Contact.referral) on the child's one record. Its submitter sees its status and, once sent, the
    feedback; nothing else of the child's record (frontdoor.referrals)."""

    local_authority = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="partner_referrals")
    submitted_at = models.DateTimeField()
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    referrer_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="partner_referrals_submitted"
    )
    referrer_role = models.CharField(max_length=200, blank=True)
    referrer_contact_details = models.CharField(max_length=300, blank=True)

    # The child as the referrer knows them
    unborn = models.BooleanField(default=False)
    child_given_name = models.CharField(max_length=100, blank=True)
    child_family_name = models.CharField(max_length=100, blank=True)
    child_date_of_birth = models.DateField(null=True, blank=True)
    child_expected_due_date = models.DateField(null=True, blank=True)
    child_nhs_number = models.CharField("NHS number", max_length=10, blank=True)
    child_address = models.CharField(max_length=300, blank=True)
    child_postcode = models.CharField(max_length=8, blank=True)
    child_setting = models.CharField("School or setting", max_length=200, blank=True)

    # What they are worried about (the same as a contact)
    worries = models.TextField()
    going_well = models.TextField(blank=True)
    child_words = models.TextField(blank=True)
    consent = models.CharField(max_length=12, choices=Consent.choices, blank=True)
    consent_not_sought_reason = models.TextField(blank=True)
    urgency = models.CharField(max_length=12, choices=Urgency.choices, blank=True)

    # The front door accepted it as a contact (Contact.referral points back here)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # When the submitter first opened the referral with the front door's feedback on it: until then "My
    # referrals" tags it "New reply" (frontdoor.referrals.my_referral records it with its audited read).
    feedback_seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["local_authority", "accepted_at"], name="referral_la_waiting"),
            models.Index(fields=["submitted_by", "-submitted_at"], name="referral_submitter"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True, accepted_by__isnull=True)
                | Q(accepted_at__isnull=False, accepted_by__isnull=False),
                name="referral_accepted_at_and_by_together",
            ),
            models.CheckConstraint(
                condition=Q(unborn=False, child_expected_due_date__isnull=True)
                | Q(unborn=True, child_expected_due_date__isnull=False, child_date_of_birth__isnull=True),
                name="referral_unborn_has_due_date_only",
            ),
            models.CheckConstraint(
                condition=~Q(child_given_name="") | ~Q(child_family_name=""), name="referral_child_has_a_name"
            ),
        ]

    def __str__(self) -> str:
        return f"Partner referral submitted {self.submitted_at:%Y-%m-%d %H:%M}"

    @property
    def child_name(self) -> str:
        name = f"{self.child_given_name} {self.child_family_name}".strip()
        return f"Unborn baby {name}" if self.unborn and not self.child_given_name else name

    @property
    def is_accepted(self) -> bool:
        return self.accepted_at is not None


class Contact(PublicIdModel):
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="contacts")
    local_authority = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="contacts")
    received_at = models.DateTimeField()
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    backdated_reason = models.TextField(blank=True)

    # Who raised it
    referrer_name = models.CharField(max_length=200)
    referrer_role = models.CharField(max_length=200, blank=True)
    referrer_agency = models.CharField(max_length=200, blank=True)
    referrer_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="contacts_raised"
    )
    referrer_contact_details = models.CharField(max_length=300, blank=True)
    referral = models.OneToOneField(
        PartnerReferral, on_delete=models.PROTECT, null=True, blank=True, related_name="contact"
    )

    # What they told us
    worries = models.TextField()
    going_well = models.TextField(blank=True)
    child_words = models.TextField(blank=True)
    consent = models.CharField(max_length=12, choices=Consent.choices, blank=True)
    consent_not_sought_reason = models.TextField(blank=True)
    urgency = models.CharField(max_length=12, choices=Urgency.choices, blank=True)

    # MASH screening
    rag = models.CharField("RAG rating", max_length=5, choices=Rag.choices, blank=True)
    rag_reason = models.TextField(blank=True)
    screened_at = models.DateTimeField(null=True, blank=True)
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    # The manager's decision, due by the standard CONTACT_DECISION as it stood on receipt
    decision_due_on = models.DateField()
    decision = models.CharField(max_length=12, choices=Decision.choices, blank=True)
    decision_rationale = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    episode = models.ForeignKey(
        "casework.Episode", on_delete=models.PROTECT, null=True, blank=True, related_name="contacts"
    )

    # Feedback to the referrer
    feedback = models.TextField(blank=True)
    feedback_method = models.CharField(max_length=12, choices=FeedbackMethod.choices, blank=True)
    feedback_sent_at = models.DateTimeField(null=True, blank=True)
    feedback_sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["local_authority", "decided_at"], name="contact_la_undecided"),
            models.Index(fields=["person", "-received_at"], name="contact_person_received"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(rag="") & Q(screened_at__isnull=True)) | (~Q(rag="") & Q(screened_at__isnull=False)),
                name="contact_rag_and_screened_at_together",
            ),
            models.CheckConstraint(
                condition=(Q(decision="") & Q(decided_at__isnull=True))
                | (~Q(decision="") & Q(decided_at__isnull=False)),
                name="contact_decision_and_decided_at_together",
            ),
            models.CheckConstraint(
                condition=Q(feedback_sent_at__isnull=True) | ~Q(feedback=""), name="contact_feedback_has_text"
            ),
        ]

    def __str__(self) -> str:
        return f"Contact received {self.received_at:%Y-%m-%d %H:%M}"

    @property
    def is_decided(self) -> bool:
        return self.decided_at is not None

    @property
    def is_screened(self) -> bool:
        return self.screened_at is not None

    def is_decision_overdue(self, today: dt.date) -> bool:
        """Not decided and past the day it was due (shown and measured, never enforced)."""
        return self.decided_at is None and today > self.decision_due_on

    def was_decided_late(self) -> bool:
        return self.decided_at is not None and self.decided_at.date() > self.decision_due_on

    @property
    def status(self) -> str:
        if self.decided_at:
            return "Feedback to send" if self.feedback_sent_at is None else "Decided"
        return "Awaiting decision" if self.screened_at else "Awaiting screening"


class InformationRequest(PublicIdModel):
    """A MASH request to a partner agency for what it knows, due by the standard MASH_INFORMATION_REQUEST."""

    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="information_requests")
    agency_type = models.CharField(max_length=10, choices=AgencyType.choices)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="information_requests"
    )
    question = models.TextField()
    requested_at = models.DateTimeField()
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due_at = models.DateTimeField()
    answer = models.TextField(blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["requested_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(answer="") & Q(answered_at__isnull=True)) | (~Q(answer="") & Q(answered_at__isnull=False)),
                name="information_answer_and_answered_at_together",
            ),
            models.CheckConstraint(condition=Q(due_at__gte=models.F("requested_at")), name="information_due_after"),
        ]

    def __str__(self) -> str:
        return f"Information request to {self.get_agency_type_display()}"

    def is_overdue(self, now: dt.datetime) -> bool:
        return self.answered_at is None and now > self.due_at

    @property
    def agency_label(self) -> str:
        return self.organisation.name if self.organisation_id and self.organisation else self.get_agency_type_display()
