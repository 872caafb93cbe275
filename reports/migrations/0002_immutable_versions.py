# Hand-written: installs the triggers that refuse any UPDATE or DELETE of a closed report version.
# They are declared once, in reports/triggers.py, and installed again after every migrate; this
# migration calls the same declaration (installing is idempotent).
from django.db import migrations

from reports.triggers import IMMUTABLE


def forwards(apps, schema_editor) -> None:
    IMMUTABLE.install(schema_editor.connection)


def backwards(apps, schema_editor) -> None:
    IMMUTABLE.drop(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
