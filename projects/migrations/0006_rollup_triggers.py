# Hand-written. Triggers that keep the rollups of migration 0005 (VisitDay, VisitDayChain,
# PipelineDelta) and VisitProject.visit_date in step with the rows they are computed from, in the
# same transaction, on every write path: services, admin, bulk inserts and raw SQL.
#
# The triggers are declared once, in projects/triggers/ (what they keep and why is written there),
# and installed again after every migrate (on SQLite, a migration that alters a table copies it
# without its triggers). This migration fills the rollups from the rows already there and installs
# the triggers through the same declaration (installing is idempotent), so a database migrated from
# scratch has them from here on, as it always had. It imports today's declaration: should the
# triggers ever name a table or column that comes after this migration, copy today's SQL back in
# here rather than create triggers this schema cannot hold.

from django.db import migrations

from projects.triggers import ROLLUPS

# The rollups of the rows already there (the same statements as projects.rollups.REBUILD, frozen
# here as they were when this migration was written).
BACKFILL = [
    """INSERT INTO projects_visitday (date, visit_count, leader_count)
       SELECT date, COUNT(*), COALESCE(SUM(leader_count), 0) FROM projects_investmentvisit GROUP BY date""",
    """INSERT INTO projects_visitdaychain (date, chain_id, visit_count, leader_count)
       SELECT v.date, l.chain_id, COUNT(*), COALESCE(SUM(v.leader_count), 0)
       FROM projects_investmentvisit v JOIN projects_investmentvisit_chains l ON l.investmentvisit_id = v.id
       GROUP BY v.date, l.chain_id""",
    """UPDATE projects_visitproject
       SET visit_date = (SELECT date FROM projects_investmentvisit v WHERE v.id = projects_visitproject.visit_id)""",
    """INSERT INTO projects_pipelinedelta (date, chain_id, stage, projects, investment)
       SELECT at, chain_id, stage, SUM(n), SUM(amount) FROM (
           SELECT c.at, p.chain_id, c.to_stage AS stage, 1 AS n, COALESCE(p.total_investment, 0) AS amount
           FROM projects_projectstagechange c JOIN projects_project p ON p.id = c.project_id
           UNION ALL
           SELECT c.at, p.chain_id, c.from_stage, -1, -COALESCE(p.total_investment, 0)
           FROM projects_projectstagechange c JOIN projects_project p ON p.id = c.project_id WHERE c.from_stage <> ''
       ) d GROUP BY at, chain_id, stage""",
]


def forwards(apps, schema_editor) -> None:
    for statement in BACKFILL:
        schema_editor.execute(statement)
    ROLLUPS.install(schema_editor.connection)


def backwards(apps, schema_editor) -> None:
    ROLLUPS.drop(schema_editor.connection)
    for table in ["projects_visitday", "projects_visitdaychain", "projects_pipelinedelta"]:
        schema_editor.execute(f"DELETE FROM {table}")


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0005_rollups"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
