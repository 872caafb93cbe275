"""The triggers that keep ``ProjectFundsMonth``: the funds records' sums and counts per month, chain, town and
previous month with money in (migration 0028).

They follow every write to ``projects_projectfunds``, those of other triggers included: the records'
copies of their project's chain and town and their previous month with money in, which the rollup is
keyed on, are written by ``previous_rows`` after each statement (and after a project's new chain or
town), by an update of the records that lands here like any other. A record counts from the moment its
chain is copied: a record inserted without it (as the ORM inserts one) counts when the copy is written.
What the rollup holds, recomputed from scratch, is ``projects.rollups.EXPECTED``.

On PostgreSQL: statement-level, signed changes (-1 for each old row, +1 for each new one) summed per
key and applied with one upsert, as ``rollups_postgresql``; they honour ``pinghu.defer_rollups`` (a bulk
load rebuilds the rollups) but not ``pinghu.previous_rows_busy`` (the kept columns' recomputation must be
followed). Their names sort before ``previous_rows``'s, so that on a statement they run first (PostgreSQL
fires a table's triggers of one event in name order): every row leaves the key it was counted under.

On SQLite: row-level, as ``rollups_sqlite``. A subtraction only updates an existing row; an update adds its
new row only where the old one was counted (or not yet, without a chain): a rollup emptied before its
records (Django's test flush) is not refilled. Installed after ``previous_rows``'s, they fire before them
on a row (SQLite fires a table's triggers newest first).
"""

from pinghu.triggers import Trigger, TriggerSet

from ..rollups import MONEY_IN, NO_FUNDED_MONTH
from .rollups_postgresql import statement_triggers

TABLE = "projects_projectfundsmonth"
KEY = "month, project_chain_id, project_town, previous_funded_month"

# A statement's records as signed rows, those without a chain copy left out (they are not counted).
ROW = (
    "SELECT month, project_chain_id, project_town, COALESCE(previous_funded_month, {none}) AS previous_month, "
    "{sign} * domestic_funds AS domestic, {sign} * actual_foreign_investment AS foreign_paid, {sign} AS n, "
    "CASE WHEN {money} THEN {sign} ELSE 0 END AS funded FROM {rows} WHERE project_chain_id IS NOT NULL"
)


def _rows(rows: str, sign: str) -> str:
    return ROW.format(none=NO_FUNDED_MONTH, sign=sign, money=MONEY_IN, rows=rows)


CHANGES = {
    "INSERT": _rows("new_rows", "1"),
    "DELETE": _rows("old_rows", "(-1)"),
    "UPDATE": f"{_rows('old_rows', '(-1)')} UNION ALL {_rows('new_rows', '1')}",
}
FUNCTION = "projects_projectfunds_months"


def _apply(operation: str) -> str:
    """The statement's signed rows summed per key: added to the rows there, and inserted where there is none.

    An update first, as ``projects_rollup_visit_day`` does: PostgreSQL checks a row proposed for insertion
    against the CHECK constraints before it finds the conflict, so an upsert of a subtraction would fail.
    """
    same = (
        "t.month = c.month AND t.project_chain_id = c.project_chain_id AND t.project_town = c.project_town "
        "AND t.previous_funded_month = c.previous_month"
    )
    return f"""IF TG_OP = '{operation}' THEN
            WITH c AS (
                SELECT month, project_chain_id, project_town, previous_month, SUM(domestic) AS domestic,
                       SUM(foreign_paid) AS foreign_paid, SUM(n) AS n, SUM(funded) AS funded
                FROM ({CHANGES[operation]}) r GROUP BY month, project_chain_id, project_town, previous_month
                HAVING SUM(n) <> 0 OR SUM(funded) <> 0 OR SUM(domestic) <> 0 OR SUM(foreign_paid) <> 0
            ), updated AS (
                UPDATE {TABLE} t SET domestic_funds = t.domestic_funds + c.domestic,
                    actual_foreign_investment = t.actual_foreign_investment + c.foreign_paid,
                    records = t.records + c.n, funded_records = t.funded_records + c.funded
                FROM c WHERE {same} RETURNING c.month, c.project_chain_id, c.project_town, c.previous_month
            )
            INSERT INTO {TABLE} ({KEY}, domestic_funds, actual_foreign_investment, records, funded_records)
            SELECT month, project_chain_id, project_town, previous_month, domestic, foreign_paid, n, funded FROM c
            WHERE NOT EXISTS (
                SELECT 1 FROM updated u WHERE u.month = c.month AND u.project_chain_id = c.project_chain_id
                    AND u.project_town = c.project_town AND u.previous_month = c.previous_month
            )
            ON CONFLICT ({KEY}) DO UPDATE
            SET domestic_funds = {TABLE}.domestic_funds + EXCLUDED.domestic_funds,
                actual_foreign_investment = {TABLE}.actual_foreign_investment + EXCLUDED.actual_foreign_investment,
                records = {TABLE}.records + EXCLUDED.records,
                funded_records = {TABLE}.funded_records + EXCLUDED.funded_records;
        END IF;"""


POSTGRESQL = statement_triggers("projects_projectfunds", FUNCTION, _apply, list(CHANGES))


def _key(row: str) -> str:
    return (
        f"month = {row}.month AND project_chain_id = {row}.project_chain_id AND project_town = {row}.project_town "
        f"AND previous_funded_month = COALESCE({row}.previous_funded_month, {NO_FUNDED_MONTH})"
    )


def _money_in(row: str) -> str:
    return f"({row}.domestic_funds > 0 OR {row}.actual_foreign_investment > 0)"


def _add(row: str, condition: str = "") -> str:
    return f"""INSERT INTO {TABLE} ({KEY}, domestic_funds, actual_foreign_investment, records, funded_records)
    SELECT {row}.month, {row}.project_chain_id, {row}.project_town,
           COALESCE({row}.previous_funded_month, {NO_FUNDED_MONTH}), {row}.domestic_funds,
           {row}.actual_foreign_investment, 1, CASE WHEN {_money_in(row)} THEN 1 ELSE 0 END
    WHERE {row}.project_chain_id IS NOT NULL {condition}
    ON CONFLICT ({KEY}) DO UPDATE SET domestic_funds = domestic_funds + excluded.domestic_funds,
        actual_foreign_investment = actual_foreign_investment + excluded.actual_foreign_investment,
        records = records + 1, funded_records = funded_records + excluded.funded_records;"""


SUBTRACT = f"""UPDATE {TABLE} SET domestic_funds = domestic_funds - OLD.domestic_funds,
        actual_foreign_investment = actual_foreign_investment - OLD.actual_foreign_investment,
        records = records - 1, funded_records = funded_records - CASE WHEN {_money_in("OLD")} THEN 1 ELSE 0 END
    WHERE {_key("OLD")};"""
# The old row was counted (its rollup row is there), or could not be yet (no chain copied).
COUNTED = f"AND (OLD.project_chain_id IS NULL OR EXISTS (SELECT 1 FROM {TABLE} WHERE {_key('OLD')}))"
WATCHED = ["month", "domestic_funds", "actual_foreign_investment", "previous_funded_month"]
WATCHED += ["project_chain_id", "project_town"]

SQLITE = [
    Trigger(f"{FUNCTION}_insert", "AFTER INSERT", "projects_projectfunds", f"BEGIN {_add('NEW')} END"),
    Trigger(
        f"{FUNCTION}_update",
        f"AFTER UPDATE OF {', '.join(WATCHED)}",
        "projects_projectfunds",
        "WHEN "
        + " OR ".join(f"OLD.{column} IS NOT NEW.{column}" for column in WATCHED)
        # The addition first: it asks whether the old row was counted, which the subtraction leaves true.
        + f" BEGIN {_add('NEW', COUNTED)} {SUBTRACT} END",
    ),
    Trigger(f"{FUNCTION}_delete", "AFTER DELETE", "projects_projectfunds", f"BEGIN {SUBTRACT} END"),
]

FUNDS_MONTHS = TriggerSet(
    "funds-month triggers",
    migration=("projects", "0028_funds_months"),
    objects={"postgresql": POSTGRESQL, "sqlite": SQLITE},
)
