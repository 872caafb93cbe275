"""The triggers that keep ``ProjectContactDay``: per first contact date and chain, the projects and those signed
(migration 0029).

They follow every write to ``projects_project`` that moves a project in or out of a row: an insert, a delete,
and an update of its first contact date, its chain or whether it has a signed date (a signed date moved to
another day changes nothing here). A project without a first contact date is in no row. What the rollup
holds, recomputed from scratch, is ``projects.rollups.EXPECTED``.

On PostgreSQL: statement-level, signed changes (-1 for each old row, +1 for each new one) summed per key and
applied by updating the rows there, then inserting the others, as ``funds_months`` (an upsert of a
subtraction would trip the CHECK before finding the conflict); they honour ``pinghu.defer_rollups`` (a bulk
load rebuilds the rollups). An update that moves none of the three columns cancels out in the sums.

On SQLite: row-level, as ``rollups_sqlite``. A subtraction only updates an existing row; an update adds its
new row only where the old one was counted (or could not be, without a first contact date): a rollup emptied
before the projects (Django's test flush) is not refilled.
"""

from pinghu.triggers import Trigger, TriggerSet

from .rollups_postgresql import statement_triggers

TABLE = "projects_projectcontactday"
FUNCTION = "projects_project_contact_days"

# A statement's projects as signed rows, those without a first contact date left out (they are not counted).
ROW = (
    "SELECT first_contact_date AS day, chain_id AS chain, {sign} AS n, "
    "CASE WHEN signed_date IS NOT NULL THEN {sign} ELSE 0 END AS signed FROM {rows} "
    "WHERE first_contact_date IS NOT NULL"
)
CHANGES = {
    "INSERT": ROW.format(sign="1", rows="new_rows"),
    "DELETE": ROW.format(sign="(-1)", rows="old_rows"),
    "UPDATE": f"{ROW.format(sign='(-1)', rows='old_rows')} UNION ALL {ROW.format(sign='1', rows='new_rows')}",
}


def _apply(operation: str) -> str:
    """The statement's signed rows summed per day and chain: added to the rows there, and inserted where there is none.

    The update first: PostgreSQL checks a row proposed for insertion against the CHECK constraint before
    it finds the conflict, so an upsert of a subtraction would fail.
    """
    return f"""IF TG_OP = '{operation}' THEN
            WITH c AS (
                SELECT day, chain, SUM(n) AS contacted, SUM(signed) AS converted
                FROM ({CHANGES[operation]}) r GROUP BY day, chain HAVING SUM(n) <> 0 OR SUM(signed) <> 0
            ), updated AS (
                UPDATE {TABLE} t SET contacted_projects = t.contacted_projects + c.contacted,
                    converted_projects = t.converted_projects + c.converted
                FROM c WHERE t.date = c.day AND t.chain_id = c.chain RETURNING t.date, t.chain_id
            )
            INSERT INTO {TABLE} (date, chain_id, contacted_projects, converted_projects)
            SELECT day, chain, contacted, converted FROM c
            WHERE NOT EXISTS (SELECT 1 FROM updated u WHERE u.date = c.day AND u.chain_id = c.chain)
            ON CONFLICT (date, chain_id) DO UPDATE
            SET contacted_projects = {TABLE}.contacted_projects + EXCLUDED.contacted_projects,
                converted_projects = {TABLE}.converted_projects + EXCLUDED.converted_projects;
        END IF;"""


POSTGRESQL = statement_triggers("projects_project", FUNCTION, _apply, list(CHANGES))


def _signed(row: str) -> str:
    return f"CASE WHEN {row}.signed_date IS NOT NULL THEN 1 ELSE 0 END"


def _add(row: str, condition: str = "") -> str:
    return f"""INSERT INTO {TABLE} (date, chain_id, contacted_projects, converted_projects)
    SELECT {row}.first_contact_date, {row}.chain_id, 1, {_signed(row)}
    WHERE {row}.first_contact_date IS NOT NULL {condition}
    ON CONFLICT (date, chain_id) DO UPDATE SET contacted_projects = contacted_projects + 1,
        converted_projects = converted_projects + excluded.converted_projects;"""


SUBTRACT = f"""UPDATE {TABLE} SET contacted_projects = contacted_projects - 1,
        converted_projects = converted_projects - {_signed("OLD")}
    WHERE date = OLD.first_contact_date AND chain_id = OLD.chain_id;"""
# The old row was counted (its rollup row is there), or could not be (no first contact date).
COUNTED = (
    f"AND (OLD.first_contact_date IS NULL OR EXISTS "
    f"(SELECT 1 FROM {TABLE} WHERE date = OLD.first_contact_date AND chain_id = OLD.chain_id))"
)
MOVED = (
    "OLD.first_contact_date IS NOT NEW.first_contact_date OR OLD.chain_id IS NOT NEW.chain_id "
    "OR (OLD.signed_date IS NULL) <> (NEW.signed_date IS NULL)"
)

SQLITE = [
    Trigger(f"{FUNCTION}_insert", "AFTER INSERT", "projects_project", f"BEGIN {_add('NEW')} END"),
    Trigger(
        f"{FUNCTION}_update",
        "AFTER UPDATE OF first_contact_date, signed_date, chain_id",
        "projects_project",
        # The addition first: it asks whether the old row was counted, which the subtraction leaves true.
        f"WHEN {MOVED} BEGIN {_add('NEW', COUNTED)} {SUBTRACT} END",
    ),
    Trigger(f"{FUNCTION}_delete", "AFTER DELETE", "projects_project", f"BEGIN {SUBTRACT} END"),
]

CONTACT_DAYS = TriggerSet(
    "contact-day triggers",
    migration=("projects", "0029_projectcontactday"),
    objects={"postgresql": POSTGRESQL, "sqlite": SQLITE},
)
