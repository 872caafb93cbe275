"""The rollups behind the dashboard: VisitDay, VisitDayChain, PipelineDelta, VisitDayLeader, VisitProject.visit_date
and the links' previous dates and chain.

``EXPECTED`` is the one definition of what each rollup holds, computed from the source rows:
migration 0006 fills the rollups with it (``write_rollups``), ``rebuild_rollups`` rewrites them
with it, for a database restored from a dump taken without triggers or after a bulk load
(``rollups_deferred``), and ``rollup_differences`` compares the rows kept with it (the tests
compare after every kind of write). The triggers that keep the rollups between rebuilds are
declared in ``projects.triggers``; this module holds no trigger.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction

ROLLUP_TABLES = ["projects_visitday", "projects_visitdaychain", "projects_pipelinedelta", "projects_visitdayleader"]

# What each rollup holds, computed from the source tables, with the rollup's own column names.
# Rows that sum to zero are kept, as the triggers keep them: SQLite's triggers subtract only from
# a row that is there, so a day's zero row left out would lose a later subtraction from that day.
EXPECTED = {
    "projects_visitday": """
        SELECT date, COUNT(*) AS visit_count, COALESCE(SUM(leader_count), 0) AS leader_count
        FROM projects_investmentvisit GROUP BY date""",
    "projects_visitdaychain": """
        SELECT v.date, l.chain_id, COUNT(*) AS visit_count, COALESCE(SUM(v.leader_count), 0) AS leader_count
        FROM projects_investmentvisit v JOIN projects_investmentvisit_chains l ON l.investmentvisit_id = v.id
        GROUP BY v.date, l.chain_id""",
    "projects_pipelinedelta": """
        SELECT at AS date, chain_id, stage, SUM(n) AS projects, SUM(amount) AS investment FROM (
            SELECT c.at, p.chain_id, c.to_stage AS stage, 1 AS n, COALESCE(p.total_investment, 0) AS amount
            FROM projects_projectstagechange c JOIN projects_project p ON p.id = c.project_id
            UNION ALL
            SELECT c.at, p.chain_id, c.from_stage, -1, -COALESCE(p.total_investment, 0)
            FROM projects_projectstagechange c JOIN projects_project p ON p.id = c.project_id WHERE c.from_stage <> ''
        ) d GROUP BY at, chain_id, stage""",
    "projects_visitdayleader": """
        SELECT v.date, l.leader_id, COUNT(*) AS visit_count
        FROM projects_visitleader l JOIN projects_investmentvisit v ON v.id = l.visit_id
        GROUP BY v.date, l.leader_id""",
}
COLUMNS = {
    "projects_visitday": "date, visit_count, leader_count",
    "projects_visitdaychain": "date, chain_id, visit_count, leader_count",
    "projects_pipelinedelta": "date, chain_id, stage, projects, investment",
    "projects_visitdayleader": "date, leader_id, visit_count",
}
# Rows that sum to zero change no total: the comparison leaves them out on both sides.
NONZERO = {
    "projects_visitday": "visit_count <> 0 OR leader_count <> 0",
    "projects_visitdaychain": "visit_count <> 0 OR leader_count <> 0",
    "projects_pipelinedelta": "projects <> 0 OR ROUND(investment, 2) <> 0",
    "projects_visitdayleader": "visit_count <> 0",
}
VISIT_DATES = """UPDATE projects_visitproject
    SET visit_date = (SELECT date FROM projects_investmentvisit v WHERE v.id = projects_visitproject.visit_id)
    WHERE visit_date IS NULL
       OR visit_date <> (SELECT date FROM projects_investmentvisit v WHERE v.id = projects_visitproject.visit_id)"""
# Each link's previous dates and its project's chain (projects.triggers.previous_links): the link of
# the same project before it in the order (visit date, id), and on a Saturday visit's link the
# project's Saturday link before it. Shared by the triggers (for the projects a write touched),
# write_rollups (every project) and rollup_differences.
PREVIOUS_LINKS = """SELECT l.id,
        LAG(l.visit_date) OVER (PARTITION BY l.project_id ORDER BY l.visit_date, l.id) AS prev,
        CASE WHEN v.is_saturday THEN
            LAG(l.visit_date) OVER (PARTITION BY l.project_id, v.is_saturday ORDER BY l.visit_date, l.id)
        END AS prev_saturday,
        p.chain_id AS chain
    FROM projects_visitproject l JOIN projects_investmentvisit v ON v.id = l.visit_id
    JOIN projects_project p ON p.id = l.project_id WHERE {where}"""
PREVIOUS_LINKS_DIFFER = """(projects_visitproject.previous_date IS DISTINCT FROM w.prev
    OR projects_visitproject.previous_saturday_date IS DISTINCT FROM w.prev_saturday
    OR projects_visitproject.project_chain_id IS DISTINCT FROM w.chain)"""
PREVIOUS_LINKS_UPDATE = f"""UPDATE projects_visitproject
    SET previous_date = w.prev, previous_saturday_date = w.prev_saturday, project_chain_id = w.chain
    FROM ({PREVIOUS_LINKS}) w WHERE projects_visitproject.id = w.id AND {PREVIOUS_LINKS_DIFFER}"""
STALE_PREVIOUS_LINKS = f"""SELECT COUNT(*) FROM projects_visitproject
    JOIN ({PREVIOUS_LINKS.format(where="1 = 1")}) w ON w.id = projects_visitproject.id WHERE {PREVIOUS_LINKS_DIFFER}"""
# The history's deltas summed over all days give each chain's projects per current stage.
CURRENT_STAGES = "SELECT chain_id, stage, COUNT(*) FROM projects_project GROUP BY chain_id, stage"
HISTORY_STAGES = """SELECT chain_id, stage, SUM(projects) FROM projects_pipelinedelta
    GROUP BY chain_id, stage HAVING SUM(projects) <> 0"""
STALE_VISIT_DATES = """SELECT COUNT(*) FROM projects_visitproject vp
    JOIN projects_investmentvisit v ON v.id = vp.visit_id WHERE vp.visit_date IS NULL OR vp.visit_date <> v.date"""


def _rows(cursor, sql: str) -> set[tuple]:
    cursor.execute(sql)
    # Amounts compared to the cent: SQLite sums decimals as floating point.
    return {tuple(round(float(value), 2) if isinstance(value, float) else value for value in row) for row in cursor}


def rollup_differences() -> dict[str, int]:
    """Per rollup, how many rows differ from a recomputation (0 everywhere when the triggers kept up)."""
    result = {}
    with connection.cursor() as cursor:
        for table, expected in EXPECTED.items():
            kept = _rows(cursor, f"SELECT {COLUMNS[table]} FROM {table} WHERE {NONZERO[table]}")
            computed = _rows(cursor, f"SELECT {COLUMNS[table]} FROM ({expected}) e WHERE {NONZERO[table]}")
            result[table] = len(kept ^ computed)
        # Not a rollup of its own, but what the pipeline relies on: stage and history agree.
        result["projects_project.stage"] = len(_rows(cursor, CURRENT_STAGES) ^ _rows(cursor, HISTORY_STAGES))
        cursor.execute(STALE_VISIT_DATES)
        result["projects_visitproject.visit_date"] = cursor.fetchone()[0]
        cursor.execute(STALE_PREVIOUS_LINKS)
        result["projects_visitproject.previous_date"] = cursor.fetchone()[0]
    return result


def write_rollups(cursor, tables: list[str] | None = None) -> None:
    """Empty every rollup (or those of ``tables``) and write it from the source tables, and set the links' visit dates.

    Takes a cursor so that a migration can fill the rollups it adds on the database it migrates
    (0006 the first three, 0019 the leader days), naming the tables its schema holds.
    """
    for table, expected in EXPECTED.items():
        if tables is not None and table not in tables:
            continue
        cursor.execute(f"DELETE FROM {table}")
        cursor.execute(f"INSERT INTO {table} ({COLUMNS[table]}) {expected}")
    cursor.execute(VISIT_DATES)
    if tables is None:  # the columns came after the migrations that name their tables (0026)
        write_previous_links(cursor)


def write_previous_links(cursor) -> None:
    """Set every link's previous dates and chain from the links themselves (after their visit dates).

    On PostgreSQL the links' own trigger would recompute the same projects again: it stands aside
    for this transaction's statement (``projects.triggers.previous_links``).
    """
    postgresql = cursor.db.vendor == "postgresql"
    if postgresql:
        cursor.execute("SELECT set_config('pinghu.previous_links_busy', 'on', true)")
    cursor.execute(PREVIOUS_LINKS_UPDATE.format(where="1 = 1"))
    if postgresql:
        cursor.execute("SELECT set_config('pinghu.previous_links_busy', 'off', true)")


@transaction.atomic
def rebuild_rollups() -> None:
    """Recompute every rollup from the source tables, in one transaction."""
    with connection.cursor() as cursor:
        write_rollups(cursor)


@contextmanager
def rollups_deferred() -> Iterator[None]:
    """A transaction for a bulk load: the rollup triggers stand aside and the rollups are rebuilt once at the end.

    On PostgreSQL every insert statement would otherwise rewrite the same daily rows, whose old
    versions pile up until the transaction ends. The setting is local to the transaction, so
    nothing outside it is affected, and the rebuild runs before the commit: the rollups are
    right whenever anyone can see the new rows. SQLite's row-level triggers are cheap and stay on.
    """
    with transaction.atomic():
        if connection.vendor != "postgresql":
            yield
            return
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL pinghu.defer_rollups = 'on'")
        yield
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL pinghu.defer_rollups = 'off'")
        rebuild_rollups()
