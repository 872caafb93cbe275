# Hand-written. Triggers that keep the rollups of migration 0005 (VisitDay, VisitDayChain,
# PipelineDelta) and VisitProject.visit_date in step with the rows they are computed from, in the
# same transaction, on every write path: services, admin, bulk inserts and raw SQL.
#
# The triggers are declared once, in projects/triggers/ (what they keep and why is written there),
# and installed again after every migrate (on SQLite, a migration that alters a table copies it
# without its triggers). This migration fills the rollups from the rows already there and installs
# the triggers through the same declaration (installing is idempotent), so a database migrated from
# scratch has them from here on, as it always had. It imports today's declarations (the triggers,
# and projects.rollups.EXPECTED for the fill): should either ever name a table or column that comes
# after this migration, copy today's SQL back in here rather than let this migration use SQL its
# schema cannot hold.

from django.db import migrations

from projects.rollups import write_rollups
from projects.triggers import ROLLUPS

# The rollups of migration 0005; later ones are filled by the migrations that add them.
ROLLUP_TABLES = ["projects_visitday", "projects_visitdaychain", "projects_pipelinedelta"]


def forwards(apps, schema_editor) -> None:
    # The rollups of the rows already there, by the one definition rebuild_rollups also uses.
    with schema_editor.connection.cursor() as cursor:
        write_rollups(cursor, ROLLUP_TABLES)
    ROLLUPS.install(schema_editor.connection)


def backwards(apps, schema_editor) -> None:
    ROLLUPS.drop(schema_editor.connection)
    for table in ROLLUP_TABLES:
        schema_editor.execute(f"DELETE FROM {table}")


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0005_rollups"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
