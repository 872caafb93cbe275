"""The rollups behind the dashboard: VisitDay, VisitDayChain, PipelineDelta, PipelineMonth, VisitDayLeader,
ProjectFundsMonth, ProjectContactDay, VisitProject.visit_date and the columns links and funds records keep of
their project's other rows (``PREVIOUS_ROWS``).

``EXPECTED`` is the one definition of what each rollup holds, computed from the source rows:
migration 0006 fills the rollups with it (``write_rollups``), ``rebuild_rollups`` rewrites them
with it, for a database restored from a dump taken without triggers or after a bulk load
(``rollups_deferred``), and ``rollup_differences`` compares the rows kept with it (the tests
compare after every kind of write). The triggers that keep the rollups between rebuilds are
declared in ``projects.triggers``; this module holds no trigger.
"""

import datetime
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext

from django.db import connection, transaction

ROLLUP_TABLES = [
    "projects_visitday",
    "projects_visitdaychain",
    "projects_pipelinedelta",
    "projects_pipelinemonth",
    "projects_visitdayleader",
    "projects_projectfundsmonth",
    "projects_projectcontactday",
]
# ProjectFundsMonth's key for "no earlier month with money in" (projects.models.rollups.NO_FUNDED_MONTH).
NO_FUNDED_MONTH = "'0001-01-01'"
MONEY_IN = "(domestic_funds > 0 OR actual_foreign_investment > 0)"
# The first day of the month of a ``date`` column, per database (EXPECTED's ``{month_of_date}``; see ``expected``).
MONTH_OF_DATE = {"postgresql": "CAST(date_trunc('month', date) AS date)", "sqlite": "date(date, 'start of month')"}

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
    # The daily rows summed per month: a month row for every month, chain and stage with a daily row (zero sums
    # included, as the triggers keep them). Read from the daily rows kept, written just before in this order
    # (33,000 rows rather than the stage history again); compared with them, as they are with the stage history.
    "projects_pipelinemonth": """
        SELECT {month_of_date} AS month, chain_id, stage, SUM(projects) AS projects, SUM(investment) AS investment
        FROM projects_pipelinedelta GROUP BY 1, 2, 3""",
    "projects_visitdayleader": """
        SELECT v.date, l.leader_id, COUNT(*) AS visit_count
        FROM projects_visitleader l JOIN projects_investmentvisit v ON v.id = l.visit_id
        GROUP BY v.date, l.leader_id""",
    # From the records' copies of their project's chain and town and their previous month with money in
    # (PREVIOUS_ROWS below, written first): a record counts once its chain is copied.
    "projects_projectfundsmonth": f"""
        SELECT month, project_chain_id, project_town,
               COALESCE(previous_funded_month, {NO_FUNDED_MONTH}) AS previous_funded_month,
               SUM(domestic_funds) AS domestic_funds, SUM(actual_foreign_investment) AS actual_foreign_investment,
               COUNT(*) AS records, SUM(CASE WHEN {MONEY_IN} THEN 1 ELSE 0 END) AS funded_records
        FROM projects_projectfunds WHERE project_chain_id IS NOT NULL GROUP BY 1, 2, 3, 4""",
    # A project without a first contact date is in no period's conversion.
    "projects_projectcontactday": """
        SELECT first_contact_date AS date, chain_id, COUNT(*) AS contacted_projects,
               SUM(CASE WHEN signed_date IS NOT NULL THEN 1 ELSE 0 END) AS converted_projects
        FROM projects_project WHERE first_contact_date IS NOT NULL GROUP BY first_contact_date, chain_id""",
}
COLUMNS = {
    "projects_visitday": "date, visit_count, leader_count",
    "projects_visitdaychain": "date, chain_id, visit_count, leader_count",
    "projects_pipelinedelta": "date, chain_id, stage, projects, investment",
    "projects_pipelinemonth": "month, chain_id, stage, projects, investment",
    "projects_visitdayleader": "date, leader_id, visit_count",
    "projects_projectfundsmonth": "month, project_chain_id, project_town, previous_funded_month, domestic_funds, "
    "actual_foreign_investment, records, funded_records",
    "projects_projectcontactday": "date, chain_id, contacted_projects, converted_projects",
}
# Rows that sum to zero change no total: the comparison leaves them out on both sides.
NONZERO = {
    "projects_visitday": "visit_count <> 0 OR leader_count <> 0",
    "projects_visitdaychain": "visit_count <> 0 OR leader_count <> 0",
    "projects_pipelinedelta": "projects <> 0 OR ROUND(investment, 2) <> 0",
    "projects_pipelinemonth": "projects <> 0 OR ROUND(investment, 2) <> 0",
    "projects_visitdayleader": "visit_count <> 0",
    "projects_projectfundsmonth": "records <> 0 OR funded_records <> 0 OR ROUND(domestic_funds, 2) <> 0 "
    "OR ROUND(actual_foreign_investment, 2) <> 0",
    "projects_projectcontactday": "contacted_projects <> 0 OR converted_projects <> 0",
}
VISIT_DATES = """UPDATE projects_visitproject
    SET visit_date = (SELECT date FROM projects_investmentvisit v WHERE v.id = projects_visitproject.visit_id)
    WHERE visit_date IS NULL
       OR visit_date <> (SELECT date FROM projects_investmentvisit v WHERE v.id = projects_visitproject.visit_id)"""
# Columns a row keeps of its project's other rows and of its project (projects.triggers.previous_rows),
# per table, each as computed from the rows themselves (`r`, the table's rows; `where` keeps some):
# - a visit's project link: the date of the same project's link before it in the order (visit date,
#   id); on a Saturday visit's link, that of the project's Saturday link before it; the project's chain;
# - a funds record with money in: the month of the project's record with money in before it; the
#   project's chain and town.
# Shared by the triggers (for the projects a write touched), write_rollups and rollup_differences.
PREVIOUS_ROWS = {
    "projects_visitproject": """SELECT r.id,
        LAG(r.visit_date) OVER (PARTITION BY r.project_id ORDER BY r.visit_date, r.id) AS previous_date,
        CASE WHEN v.is_saturday THEN
            LAG(r.visit_date) OVER (PARTITION BY r.project_id, v.is_saturday ORDER BY r.visit_date, r.id)
        END AS previous_saturday_date,
        p.chain_id AS project_chain_id
    FROM projects_visitproject r JOIN projects_investmentvisit v ON v.id = r.visit_id
    JOIN projects_project p ON p.id = r.project_id WHERE {where}""",
    "projects_projectfunds": """SELECT r.id,
        CASE WHEN r.domestic_funds > 0 OR r.actual_foreign_investment > 0 THEN
            LAG(r.month) OVER (PARTITION BY r.project_id, r.domestic_funds > 0 OR r.actual_foreign_investment > 0
                               ORDER BY r.month, r.id)
        END AS previous_funded_month,
        p.chain_id AS project_chain_id, p.town AS project_town
    FROM projects_projectfunds r JOIN projects_project p ON p.id = r.project_id WHERE {where}""",
}
PREVIOUS_COLUMNS = {
    "projects_visitproject": ["previous_date", "previous_saturday_date", "project_chain_id"],
    "projects_projectfunds": ["previous_funded_month", "project_chain_id", "project_town"],
}


def _previous_differ(table: str) -> str:
    return " OR ".join(f"{table}.{column} IS DISTINCT FROM w.{column}" for column in PREVIOUS_COLUMNS[table])


def previous_rows_update(table: str, where: str) -> str:
    """The UPDATE that sets ``table``'s kept columns on the rows ``where`` keeps (of ``r``), where they differ."""
    assignments = ", ".join(f"{column} = w.{column}" for column in PREVIOUS_COLUMNS[table])
    return f"""UPDATE {table} SET {assignments} FROM ({PREVIOUS_ROWS[table].format(where=where)}) w
        WHERE {table}.id = w.id AND ({_previous_differ(table)})"""


def _stale_previous_rows(table: str) -> str:
    return f"""SELECT COUNT(*) FROM {table} JOIN ({PREVIOUS_ROWS[table].format(where="1 = 1")}) w
        ON w.id = {table}.id WHERE {_previous_differ(table)}"""


# The history's deltas summed over all days give each chain's projects per current stage.
CURRENT_STAGES = "SELECT chain_id, stage, COUNT(*) FROM projects_project GROUP BY chain_id, stage"
HISTORY_STAGES = """SELECT chain_id, stage, SUM(projects) FROM projects_pipelinedelta
    GROUP BY chain_id, stage HAVING SUM(projects) <> 0"""
STALE_VISIT_DATES = """SELECT COUNT(*) FROM projects_visitproject vp
    JOIN projects_investmentvisit v ON v.id = vp.visit_id WHERE vp.visit_date IS NULL OR vp.visit_date <> v.date"""


def expected(table: str, vendor: str) -> str:
    """``EXPECTED[table]`` as SQL for the database ``vendor`` (``connection.vendor``): its month truncation."""
    return EXPECTED[table].replace("{month_of_date}", MONTH_OF_DATE[vendor])


def _rows(cursor, sql: str) -> set[tuple]:
    cursor.execute(sql)
    # Amounts compared to the cent: SQLite sums decimals as floating point. Dates as text: SQLite gives a
    # date column as a date, an expression of one (a COALESCE) as its text.
    return {tuple(_comparable(value) for value in row) for row in cursor}


def _comparable(value):
    if isinstance(value, float):
        return round(value, 2)
    return value.isoformat() if isinstance(value, datetime.date) else value


def rollup_differences() -> dict[str, int]:
    """Per rollup, how many rows differ from a recomputation (0 everywhere when the triggers kept up)."""
    result = {}
    with connection.cursor() as cursor:
        for table in EXPECTED:
            kept = _rows(cursor, f"SELECT {COLUMNS[table]} FROM {table} WHERE {NONZERO[table]}")
            computed = _rows(
                cursor, f"SELECT {COLUMNS[table]} FROM ({expected(table, cursor.db.vendor)}) e WHERE {NONZERO[table]}"
            )
            result[table] = len(kept ^ computed)
        # Not a rollup of its own, but what the pipeline relies on: stage and history agree.
        result["projects_project.stage"] = len(_rows(cursor, CURRENT_STAGES) ^ _rows(cursor, HISTORY_STAGES))
        cursor.execute(STALE_VISIT_DATES)
        result["projects_visitproject.visit_date"] = cursor.fetchone()[0]
        for table, columns in PREVIOUS_COLUMNS.items():
            cursor.execute(_stale_previous_rows(table))
            result[f"{table}.{columns[0]}"] = cursor.fetchone()[0]
    return result


def write_rollups(cursor, tables: list[str] | None = None) -> None:
    """Empty every rollup (or those of ``tables``) and write it from the source tables, and set the links' visit dates.

    Takes a cursor so that a migration can fill the rollups it adds on the database it migrates
    (0006 the first three, 0019 the leader days, 0028 the funds months, 0029 the contact days, 0030 the pipeline
    months), naming the tables its schema holds.
    """
    cursor.execute(VISIT_DATES)
    # When every rollup is rewritten, the triggers of the funds months (on the records) and of the pipeline months
    # (on the daily deltas) stand aside on PostgreSQL: both are rewritten below, after what they sum.
    with _rollup_triggers_aside(cursor) if tables is None else nullcontext():
        if tables is None:  # the columns came after the migrations that name their tables (0026)
            # Before the rollups: the funds months are summed from the records' kept columns (after a bulk
            # load every record changes).
            write_previous_rows(cursor)
        for table in EXPECTED:
            if tables is not None and table not in tables:
                continue
            cursor.execute(f"DELETE FROM {table}")
            cursor.execute(f"INSERT INTO {table} ({COLUMNS[table]}) {expected(table, cursor.db.vendor)}")


@contextmanager
def _rollup_triggers_aside(cursor) -> Iterator[None]:
    """On PostgreSQL, ``pinghu.defer_rollups`` on within the block (for this transaction), then as it was."""
    if cursor.db.vendor != "postgresql":
        yield
        return
    cursor.execute("SELECT current_setting('pinghu.defer_rollups', true)")
    (before,) = cursor.fetchone()
    cursor.execute("SELECT set_config('pinghu.defer_rollups', 'on', true)")
    yield
    cursor.execute("SELECT set_config('pinghu.defer_rollups', %s, true)", [before or "off"])


def write_previous_rows(cursor) -> dict[str, int]:
    """Set every link's and funds record's kept columns (``PREVIOUS_ROWS``) from the rows themselves; returns
    how many rows of each table were updated (those whose columns differed).

    On PostgreSQL the tables' own triggers would recompute the same projects again: they stand aside
    for these statements (``projects.triggers.previous_rows``).
    """
    postgresql = cursor.db.vendor == "postgresql"
    if postgresql:
        cursor.execute("SELECT set_config('pinghu.previous_rows_busy', 'on', true)")
    updated = {}
    for table in PREVIOUS_ROWS:
        cursor.execute(previous_rows_update(table, "1 = 1"))
        updated[table] = cursor.rowcount
    if postgresql:
        cursor.execute("SELECT set_config('pinghu.previous_rows_busy', 'off', true)")
    return updated


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
