"""The triggers that keep ``PipelineMonth``, the pipeline's daily deltas summed per month, chain and stage (0030).

They sit on ``projects_pipelinedelta`` itself, which only the rollup triggers (``rollups_postgresql``,
``rollups_sqlite``) and the rebuilds write: each change of a daily row is added to its month's row, so
the month rows follow every write the daily rows follow, whatever path it took. The daily rows are
written with upserts: PostgreSQL fires both the INSERT and the UPDATE statement triggers for an
``INSERT … ON CONFLICT DO UPDATE`` (each with the rows it inserted or updated), SQLite the INSERT or the
UPDATE row trigger for each row (the tests check both). What the rollup holds, recomputed from
scratch, is ``projects.rollups.EXPECTED``.

A month row exists for every month, chain and stage that has a daily row, zero sums included (the
readers' stages found then match those found in the daily rows).

On PostgreSQL: statement-level, signed changes (-1 × each old row, +1 × each new one) summed per key
and applied with one upsert (the table has no CHECK a subtraction could break on the way, unlike the
funds months); they honour ``pinghu.defer_rollups`` (a bulk load and ``rebuild_rollups`` rewrite the
month rows after the daily ones).

On SQLite: row-level, as ``rollups_sqlite``. A subtraction only updates an existing row; an update adds
its new row only where the old one was counted: a month table emptied before its daily rows (Django's
test flush) is not refilled.
"""

from pinghu.triggers import Trigger, TriggerSet

from .rollups_postgresql import statement_triggers

TABLE = "projects_pipelinemonth"
SOURCE = "projects_pipelinedelta"
KEY = "month, chain_id, stage"
FUNCTION = "projects_pipeline_months"

ROW = (
    "SELECT CAST(date_trunc('month', date) AS date) AS month, chain_id, stage, {sign} * projects AS n, "
    "{sign} * investment AS amount FROM {rows}"
)
CHANGES = {
    "INSERT": ROW.format(sign="1", rows="new_rows"),
    "DELETE": ROW.format(sign="(-1)", rows="old_rows"),
    "UPDATE": f"{ROW.format(sign='(-1)', rows='old_rows')} UNION ALL {ROW.format(sign='1', rows='new_rows')}",
}
# The transition table whose rows each operation's change reads (an UPDATE's old and new rows are as many).
WRITTEN = {"INSERT": "new_rows", "DELETE": "old_rows", "UPDATE": "new_rows"}


def _apply(operation: str) -> str:
    # Every key the statement touched, a zero sum included: a new daily row always has its month row. Nothing for
    # a statement that wrote no row (each stage move's project update runs one): the upsert would still fire the
    # month table's own statement triggers (the data version).
    # Nested: PL/pgSQL plans the whole condition, and only this operation's transition tables exist.
    return f"""IF TG_OP = '{operation}' THEN IF EXISTS (SELECT 1 FROM {WRITTEN[operation]}) THEN
            INSERT INTO {TABLE} ({KEY}, projects, investment)
            SELECT month, chain_id, stage, SUM(n), SUM(amount) FROM ({CHANGES[operation]}) c
            GROUP BY month, chain_id, stage
            ON CONFLICT ({KEY}) DO UPDATE
            SET projects = {TABLE}.projects + EXCLUDED.projects, investment = {TABLE}.investment + EXCLUDED.investment;
        END IF; END IF;"""


POSTGRESQL = statement_triggers(SOURCE, FUNCTION, _apply, list(CHANGES))


def _month(row: str) -> str:
    return f"date({row}.date, 'start of month')"


def _key(row: str) -> str:
    return f"month = {_month(row)} AND chain_id = {row}.chain_id AND stage = {row}.stage"


def _add(row: str, condition: str = "") -> str:
    # WHERE 1: SQLite asks for a WHERE in an upsert's SELECT (ON might otherwise read as a join's).
    return f"""INSERT INTO {TABLE} ({KEY}, projects, investment)
    SELECT {_month(row)}, {row}.chain_id, {row}.stage, {row}.projects, {row}.investment WHERE 1 {condition}
    ON CONFLICT ({KEY}) DO UPDATE SET projects = projects + excluded.projects,
        investment = investment + excluded.investment;"""


SUBTRACT = f"""UPDATE {TABLE} SET projects = projects - OLD.projects, investment = investment - OLD.investment
    WHERE {_key("OLD")};"""
# The old row was counted: its month row is there (a subtraction never removes one).
COUNTED = f"AND EXISTS (SELECT 1 FROM {TABLE} WHERE {_key('OLD')})"
WATCHED = ["date", "chain_id", "stage", "projects", "investment"]

SQLITE = [
    Trigger(f"{FUNCTION}_insert", "AFTER INSERT", SOURCE, f"BEGIN {_add('NEW')} END"),
    Trigger(
        f"{FUNCTION}_update",
        f"AFTER UPDATE OF {', '.join(WATCHED)}",
        SOURCE,
        "WHEN "
        + " OR ".join(f"OLD.{column} IS NOT NEW.{column}" for column in WATCHED)
        # The addition first: it asks whether the old row was counted, which the subtraction leaves true.
        + f" BEGIN {_add('NEW', COUNTED)} {SUBTRACT} END",
    ),
    Trigger(f"{FUNCTION}_delete", "AFTER DELETE", SOURCE, f"BEGIN {SUBTRACT} END"),
]

PIPELINE_MONTHS = TriggerSet(
    "pipeline-month triggers",
    migration=("projects", "0030_pipeline_months"),
    objects={"postgresql": POSTGRESQL, "sqlite": SQLITE},
)
