"""Load the default catalogue of accountable roles and training requirements (ADR 0020).

The catalogue is plain data in safeguarding/partnership/catalogue.py; `load_partnership_defaults`
applies later changes to it. Reversing leaves the rows (holdings may refer to them).
"""

from django.db import migrations

from safeguarding.partnership import catalogue


def load(apps, schema_editor):
    catalogue.install(apps.get_model("partnership", "AccountableRole"), apps.get_model("partnership", "TrainingRequirement"))


class Migration(migrations.Migration):
    dependencies = [("partnership", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
