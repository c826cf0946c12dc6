"""Access events the national flag service reports name no local user, and an organisation only when this
system holds it (ADR 0024, amendment): `user` and `organisation` become optional for them, `source` says
where each event came from and `ods_code` keeps the reporting organisation's code.

Events recorded before this against the connector's inactive service account (and, for an ODS code this
system did not hold, against one placeholder organisation) become what they were: national, with no user
and no invented organisation. Their texts are left as they were recorded and shown."""

import re

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

SERVICE_USERNAME = "national-flag-service"  # the account national.services used to record these against
PLACEHOLDER_ORGANISATION = "Health service reported by the national flag service"
CODE_IN_NAME = re.compile(r"\(([A-Z0-9]{3,10})\)$")  # "Elsewhere General Hospital (RXX01)", as it was recorded


def convert(apps) -> int:
    """Make the service account's access events national; how many it changed. Running it again changes
    nothing (conftest.REFERENCE_DATA replays it after a flush)."""
    User = apps.get_model(settings.AUTH_USER_MODEL)
    AccessEvent = apps.get_model("flags", "AccessEvent")
    Organisation = apps.get_model("organisations", "Organisation")
    service = User.objects.filter(username=SERVICE_USERNAME).first()
    if service is None:
        return 0
    placeholders = set(
        Organisation.objects.filter(name=PLACEHOLDER_ORGANISATION, ods_code="").values_list("pk", flat=True)
    )
    changed = 0
    for event in AccessEvent.objects.filter(user_id=service.pk).iterator():  # few rows: one per national access
        found = CODE_IN_NAME.search(event.organisation_name)
        event.user = None
        event.source = "national"
        event.ods_code = found.group(1) if found else event.ods_code
        if event.organisation_id in placeholders:
            event.organisation = None
        event.save(update_fields=["user", "source", "ods_code", "organisation"])
        changed += 1
    return changed


def forwards(apps, schema_editor):
    convert(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("flags", "0001_initial"),
        ("organisations", "0001_initial"),
        ("people", "0002_index_expected_due_date"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="accessevent",
            name="ods_code",
            field=models.CharField(blank=True, max_length=12, verbose_name="ODS code of the reporting organisation"),
        ),
        migrations.AddField(
            model_name="accessevent",
            name="source",
            field=models.CharField(
                choices=[("local", "Looked up in this system"), ("national", "Reported by the national flag service")],
                default="local",
                max_length=8,
            ),
        ),
        migrations.AlterField(
            model_name="accessevent",
            name="organisation",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="organisations.organisation",
            ),
        ),
        migrations.AlterField(
            model_name="accessevent",
            name="user",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL
            ),
        ),
        migrations.AddConstraint(
            model_name="accessevent",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("source", "national"),
                    models.Q(("organisation__isnull", False), ("user__isnull", False)),
                    _connector="OR",
                ),
                name="access_event_local_has_user_and_organisation",
            ),
        ),
        # Last, after every schema change: on PostgreSQL no ALTER TABLE follows these updates.
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
