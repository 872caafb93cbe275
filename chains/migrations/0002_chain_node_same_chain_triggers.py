# Hand-written: installs the "same chain" triggers (a node's parent, and an enterprise role's
# node, belong to the same chain). They are declared once, in chains/triggers.py, and installed
# again after every migrate; this migration calls the same declaration (installing is idempotent)
# so that a database migrated from scratch has them from here on, as it always had.
#
# It imports today's declaration: should the triggers ever name a table or column that comes
# after this migration, copy today's SQL back in here (or install the older form) rather than
# let this migration create triggers its schema cannot hold.
from django.db import migrations

from chains.triggers import SAME_CHAIN


def forwards(apps, schema_editor) -> None:
    SAME_CHAIN.install(schema_editor.connection)


def backwards(apps, schema_editor) -> None:
    SAME_CHAIN.drop(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("chains", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
