"""Install the shared default grading scales and the default multi-agency audit tool (catalogue.py)."""

from django.db import migrations


def install(apps, schema_editor):
    from safeguarding.caseaudits import catalogue

    catalogue.install(apps)


class Migration(migrations.Migration):
    dependencies = [("caseaudits", "0001_initial")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
