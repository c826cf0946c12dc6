"""Every data migration can be replayed after a transactional test's flush (root conftest.REFERENCE_DATA)."""

from __future__ import annotations

from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations import RunPython

from conftest import REFERENCE_DATA, SCHEMA_ONLY_MIGRATIONS


def test_every_data_migration_of_ours_is_replayed_after_a_flush():
    loader = MigrationLoader(None, ignore_no_migrations=True)  # from disk only
    ours = {
        f"{app}.{name}"
        for (app, name), migration in loader.disk_migrations.items()
        if migration.__module__.startswith("safeguarding.")
        and any(isinstance(op, RunPython) for op in migration.operations)
    }
    assert ours == set(REFERENCE_DATA) | SCHEMA_ONLY_MIGRATIONS


def test_replaying_the_reference_data_twice_changes_nothing(db):
    from safeguarding.caseaudits.models import AuditTool
    from safeguarding.partnership.models import AccountableRole

    before = (AccountableRole.objects.count(), AuditTool.objects.count())
    for install in REFERENCE_DATA.values():
        install()
    assert before[0] > 0 and before[1] > 0
    assert (AccountableRole.objects.count(), AuditTool.objects.count()) == before
