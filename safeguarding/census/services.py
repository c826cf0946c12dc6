"""Writes of the census app: request a check of a return, and run it (in a background task).

A check reads every child in the return, so it is audited as one read of the authority's census
data (`census.validation.run`) naming the year and how many children it held; the returns page
that shows its results audits the rows it shows (census.queries).
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from django.db import transaction

from safeguarding.accounts.principal import Principal
from safeguarding.accounts.roles import Capability
from safeguarding.audit import services as audit
from safeguarding.organisations.models import Organisation

from . import export, validation
from .models import RunStatus, ValidationRun
from .years import CollectionYear


class CheckRefused(Exception):
    """Its message is safe to show and says why."""


@transaction.atomic
def request_validation(*, principal: Principal, now: dt.datetime, year: CollectionYear) -> ValidationRun:
    """Queue a check of `year`'s return for the principal's authority (one at a time)."""
    if not principal.can(Capability.VIEW_RETURNS) or principal.membership is None:
        raise CheckRefused("Your role cannot run the statutory returns checks")
    la = principal.membership.organisation
    pending = ValidationRun.objects.select_for_update().filter(
        local_authority=la, year=year.label, status__in=[RunStatus.QUEUED, RunStatus.RUNNING]
    )
    if pending.exists():
        raise CheckRefused(f"The {year.label} checks are already running: refresh the page to see when they finish")
    run = ValidationRun.objects.create(
        local_authority=la, year=year.label, requested_at=now, requested_by=principal.user
    )
    audit.record(
        principal=principal,
        action="census.validation.requested",
        at=now,
        object_type="census.validationrun",
        object_id=str(run.public_id),
        details={"year": year.label},
    )
    from .tasks import run_validation_task  # the task module imports this one

    # Enqueued in this transaction (ADR 0009): the task exists if and only if the request commits.
    run_validation_task.enqueue(run.pk)
    return run


def run_validation(*, run: ValidationRun, now: dt.datetime, workdir: Path | None = None) -> ValidationRun:
    """Export the run's return to a temporary file, check it, keep the results. Never raises for
    a bad return: a failure to finish is kept on the run for the page to show."""
    year = _year(run)
    _mark_running(run, now)
    try:
        with tempfile.TemporaryDirectory(dir=workdir) as tmp:
            path = Path(tmp) / f"cin-{run.local_authority.dfe_la_code}-{year.label}.xml"
            with transaction.atomic():
                result = export.export_to_file(path, local_authority=run.local_authority, year=year, now=now)
                audit.record(
                    principal=None,
                    action="census.validation.run",
                    at=now,
                    object_type="census.validationrun",
                    object_id=str(run.public_id),
                    actor_name="CIN census checks",
                    details={"year": year.label, "children": result.children, "requested_by": run.requested_by_id},
                )
            report = validation.validate(path, year)
    except (validation.ValidatorUnavailable, OSError) as failure:
        return _finish(run, now, failure=str(failure))
    return _finish(run, now, result=result, report=report)


def _year(run: ValidationRun) -> CollectionYear:
    from .years import year_for

    return year_for(run.year)


@transaction.atomic
def _mark_running(run: ValidationRun, now: dt.datetime) -> None:
    run.status = RunStatus.RUNNING
    run.started_at = now
    run.save(update_fields=["status", "started_at"])


@transaction.atomic
def _finish(
    run: ValidationRun,
    now: dt.datetime,
    *,
    result: export.ExportResult | None = None,
    report: validation.Report | None = None,
    failure: str = "",
) -> ValidationRun:
    from django.utils import timezone

    run.finished_at = max(now, timezone.now())  # measured: a check takes a while after `now`
    if failure or result is None or report is None:
        run.status = RunStatus.FAILED
        run.failure = failure[:2000]
        run.save(update_fields=["status", "finished_at", "failure"])
        return run
    run.status = RunStatus.DONE
    run.children = result.children
    run.episodes = result.episodes
    run.xsd_error_count = report.xsd_error_count
    run.xsd_errors = report.xsd_errors
    run.rule_count = report.rule_count
    run.error_count = len(report.child_errors)
    run.query_count = len(report.child_queries)
    ordered = sorted(report.child_issues, key=lambda i: (not i.is_error, i.child_id, i.rule_code))
    run.issues = [
        {
            "child_id": i.child_id,
            "person": result.child_ids.get(i.child_id, ""),
            "rule_code": i.rule_code,
            "severity": i.severity,
            "message": i.message,
            "fields": list(i.fields),
        }
        for i in ordered
    ]
    run.la_issues = [{"rule_code": i.rule_code, "severity": i.severity, "message": i.message} for i in report.la_issues]
    run.save()
    return run


def authority_of(principal: Principal) -> Organisation | None:
    return principal.membership.organisation if principal.membership else None
