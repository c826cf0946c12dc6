"""The last checks of each authority's CIN census return, kept so the returns page is instant.

A run exports the year's return to a temporary file, checks it against the XSD and the DfE rules,
and keeps only the results (never the XML): the issues name children by their census id and
public id, so the returns page can link to each child's page without re-reading any record.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from safeguarding.core.models import PublicIdModel
from safeguarding.organisations.models import Organisation


class RunStatus(models.TextChoices):
    QUEUED = "QUEUED", "Waiting to start"
    RUNNING = "RUNNING", "Running"
    DONE = "DONE", "Finished"
    FAILED = "FAILED", "Could not finish"


class ValidationRun(PublicIdModel):
    local_authority = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="census_runs")
    year = models.CharField("Collection year", max_length=7)  # "2025-26"
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    requested_at = models.DateTimeField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    children = models.PositiveIntegerField(default=0)
    episodes = models.PositiveIntegerField(default=0)
    xsd_error_count = models.PositiveIntegerField(default=0)
    xsd_errors = models.JSONField(default=list, blank=True)
    rule_count = models.PositiveSmallIntegerField(default=0)
    error_count = models.PositiveIntegerField("Child-level errors", default=0)
    query_count = models.PositiveIntegerField("Child-level queries", default=0)
    # [{"child_id", "person", "rule_code", "severity", "message", "fields"}], errors first.
    issues = models.JSONField(default=list, blank=True)
    la_issues = models.JSONField(default=list, blank=True)
    failure = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["local_authority", "year", "-requested_at"], name="census_run_latest")]

    def __str__(self) -> str:
        return f"CIN census {self.year} checks of {self.requested_at:%Y-%m-%d %H:%M}"

    @property
    def passed(self) -> bool:
        return self.status == RunStatus.DONE and self.xsd_error_count == 0 and self.error_count == 0

    @property
    def is_pending(self) -> bool:
        return self.status in (RunStatus.QUEUED, RunStatus.RUNNING)
