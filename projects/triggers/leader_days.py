"""The triggers that keep ``VisitDayLeader``: per day and leader, the visits that leader took part in.

The top-official person-times (``projects.stats_saturday``) sum this rollup over the leaders
flagged as top officials, instead of joining every leader row of the period's visits to its visit.
The flag is read when the figure is asked for, so the triggers never read the leader table: on
SQLite a trigger that names ``chains_leader`` would stop the chains app's migrations from copying
that table.

What moves the rollup:

- ``projects_visitleader``: a leader row adds one visit to (its visit's date, its leader), and
  removes it when deleted; an update does both.
- ``projects_investmentvisit``: a visit whose date changes moves its leader rows to the new date.
  (A visit is deleted after its leader rows, which remove themselves first.)

First installed by migration 0019, which fills the rollup from the rows already there; like the
other rollups, PostgreSQL's triggers stand aside under ``pinghu.defer_rollups`` (a bulk load
rebuilds them once), and what the rollup holds, recomputed, is ``projects.rollups.EXPECTED``.
"""

from pinghu.triggers import Function, Trigger, TriggerSet

from .rollups_postgresql import ALL, branch, statement_triggers

# PostgreSQL: sums the signed changes per (day, leader) and applies them. Negative sums only ever
# update a row that is there (a row is never inserted below zero: the column is unsigned).
HELPER = Function(
    "projects_rollup_visit_day_leader",
    arguments="days date[], leaders bigint[], counts bigint[]",
    returns="void",
    language="sql",
    body="""
        WITH c AS (
            SELECT day, leader, SUM(n)::integer AS visit_count
            FROM unnest(days, leaders, counts) AS u(day, leader, n) GROUP BY day, leader HAVING SUM(n) <> 0
        ), updated AS (
            UPDATE projects_visitdayleader t SET visit_count = t.visit_count + c.visit_count
            FROM c WHERE t.date = c.day AND t.leader_id = c.leader RETURNING t.date, t.leader_id
        )
        INSERT INTO projects_visitdayleader (date, leader_id, visit_count)
        SELECT day, leader, visit_count FROM c
        WHERE visit_count > 0
          AND NOT EXISTS (SELECT 1 FROM updated u WHERE u.date = c.day AND u.leader_id = c.leader)
        ON CONFLICT (date, leader_id) DO UPDATE
        SET visit_count = projects_visitdayleader.visit_count + EXCLUDED.visit_count
    """,
)
LEADER_ROW_CHANGES = {
    "INSERT": "SELECT visit_id, leader_id, 1 AS n FROM new_rows",
    "DELETE": "SELECT visit_id, leader_id, -1 AS n FROM old_rows",
    "UPDATE": "SELECT visit_id, leader_id, -1 AS n FROM old_rows UNION ALL SELECT visit_id, leader_id, 1 FROM new_rows",
}
# A visit's rows before (-1) and after (+1) an update: with the date unchanged they cancel out.
VISIT_DATE_CHANGES = "SELECT id, date, -1 AS n FROM old_rows UNION ALL SELECT id, date, 1 FROM new_rows"


def _leader_row_body(operation: str) -> str:
    return branch(
        operation,
        f"""
        PERFORM projects_rollup_visit_day_leader(array_agg(v.date), array_agg(c.leader_id::bigint),
                                                 array_agg(c.n::bigint))
        FROM ({LEADER_ROW_CHANGES[operation]}) c JOIN projects_investmentvisit v ON v.id = c.visit_id;
        """,
    )


def _visit_body(operation: str) -> str:
    return branch(
        operation,
        f"""
        PERFORM projects_rollup_visit_day_leader(array_agg(c.date), array_agg(l.leader_id::bigint),
                                                 array_agg(c.n::bigint))
        FROM ({VISIT_DATE_CHANGES}) c JOIN projects_visitleader l ON l.visit_id = c.id;
        """,
    )


POSTGRESQL = [
    HELPER,
    *statement_triggers("projects_visitleader", "projects_visitleader_days", _leader_row_body, ALL),
    *statement_triggers("projects_investmentvisit", "projects_visit_leader_days", _visit_body, ["UPDATE"]),
]

# SQLite: row level, one leader row (or one visit) per run.
ADD = """INSERT INTO projects_visitdayleader (date, leader_id, visit_count)
    SELECT v.date, {row}.leader_id, 1 FROM projects_investmentvisit v WHERE v.id = {row}.visit_id
    ON CONFLICT (date, leader_id) DO UPDATE SET visit_count = visit_count + 1;"""
SUBTRACT = """UPDATE projects_visitdayleader SET visit_count = visit_count - 1
    WHERE leader_id = {row}.leader_id
      AND date = (SELECT date FROM projects_investmentvisit WHERE id = {row}.visit_id);"""
# A visit's leaders leave the old date and join the new one, if the rollup counted them: the guard
# keeps a rollup emptied before its source rows (Django's test flush) from being refilled partially.
MOVE_VISIT = """UPDATE projects_visitdayleader SET visit_count = visit_count - 1
    WHERE date = OLD.date AND leader_id IN (SELECT leader_id FROM projects_visitleader WHERE visit_id = NEW.id);
    INSERT INTO projects_visitdayleader (date, leader_id, visit_count)
    SELECT NEW.date, l.leader_id, 1 FROM projects_visitleader l
    WHERE l.visit_id = NEW.id
      AND EXISTS (SELECT 1 FROM projects_visitdayleader d WHERE d.date = OLD.date AND d.leader_id = l.leader_id)
    ON CONFLICT (date, leader_id) DO UPDATE SET visit_count = visit_count + 1;"""
SQLITE = [
    Trigger(
        "projects_visitleader_days_insert", "AFTER INSERT", "projects_visitleader", f"BEGIN {ADD.format(row='NEW')} END"
    ),
    Trigger(
        "projects_visitleader_days_delete",
        "AFTER DELETE",
        "projects_visitleader",
        f"BEGIN {SUBTRACT.format(row='OLD')} END",
    ),
    Trigger(
        "projects_visitleader_days_update",
        "AFTER UPDATE OF visit_id, leader_id",
        "projects_visitleader",
        f"BEGIN {SUBTRACT.format(row='OLD')} {ADD.format(row='NEW')} END",
    ),
    Trigger(
        "projects_visit_leader_days_update",
        "AFTER UPDATE OF date",
        "projects_investmentvisit",
        f"WHEN OLD.date IS NOT NEW.date BEGIN {MOVE_VISIT} END",
    ),
]

LEADER_DAYS = TriggerSet(
    "leader-day rollup triggers",
    migration=("projects", "0019_visit_day_leader"),
    objects={"postgresql": POSTGRESQL, "sqlite": SQLITE},
)
