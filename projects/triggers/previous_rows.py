"""The triggers that keep what links and funds records hold of their project's other rows (migration 0026).

``VisitProject.previous_date`` is the date of the same project's link before this one, in the order
(visit date, id); ``previous_saturday_date`` is, on a Saturday visit's link, the date of the same
project's Saturday link before it. A project's links in a period then hold exactly one whose
previous date is before the period (or none): the first. So the projects engaged in a period
(``projects.stats_saturday.engaged_figures``) are a count of the period's links whose previous date
is missing or earlier than the period's start, read from one covering index, instead of a DISTINCT
over all the period's links. ``ProjectFunds.previous_funded_month`` does the same for the projects
with money in (``projects.funds_stats``). Both also copy their project's chain (and a funds record
its town), so the figures per chain or town need no join.

What the columns hold, recomputed from scratch, is ``projects.rollups.PREVIOUS_ROWS``; the triggers
recompute the rows of each project a write touched (a project has a handful of each):

- ``projects_visitproject``, ``projects_projectfunds``: a row inserted, deleted or changed (a visit
  moved to another date updates its links' visit_date, see ``rollups_postgresql``, which lands here)
  recomputes its project's rows.
- ``projects_project``: a new chain or town is written to the project's rows (which then lands above).

On PostgreSQL the row tables' triggers are statement-level, lock the projects they recompute until the
commit (concurrent writers of one project's rows take turns) and honour ``pinghu.defer_rollups`` (a bulk
load rebuilds the columns before it commits, ``projects.rollups.rollups_deferred``); the recomputation
updates the same table, so it sets ``pinghu.previous_rows_busy`` while it runs and the nested firing
does nothing. SQLite's row-level triggers do not fire themselves again.
"""

from pinghu.triggers import Function, Trigger, TriggerSet

from ..rollups import PREVIOUS_COLUMNS, previous_rows_update

# The columns whose change moves a row's kept columns (any, on PostgreSQL's statement triggers).
SOURCE_COLUMNS = {
    "projects_visitproject": "visit_id, project_id, visit_date",
    "projects_projectfunds": "project_id, month, domestic_funds, actual_foreign_investment",
}
PROJECTS_OF = {
    "INSERT": "SELECT project_id FROM new_rows",
    "DELETE": "SELECT project_id FROM old_rows",
    "UPDATE": "SELECT project_id FROM old_rows UNION SELECT project_id FROM new_rows",
}
TRANSITIONS = {
    "INSERT": "REFERENCING NEW TABLE AS new_rows",
    "UPDATE": "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "DELETE": "REFERENCING OLD TABLE AS old_rows",
}


def _postgresql(table: str) -> list[Function | Trigger]:
    function = f"{table}_previous_rows"
    branches = " ".join(
        f"IF TG_OP = '{operation}' THEN SELECT array_agg(DISTINCT project_id) INTO touched FROM ({rows}) t; END IF;"
        for operation, rows in PROJECTS_OF.items()
    )
    return [
        Function(
            function,
            arguments="",
            returns="trigger",
            language="plpgsql",
            body=f"""
    DECLARE
        touched bigint[];
    BEGIN
        IF current_setting('pinghu.defer_rollups', true) = 'on'
           OR current_setting('pinghu.previous_rows_busy', true) = 'on' THEN
            RETURN NULL;
        END IF;
        {branches}
        IF touched IS NULL THEN
            RETURN NULL;
        END IF;
        -- The rows of a project are recomputed from those this transaction sees: two transactions writing
        -- rows of one project would each miss the other's. The project rows are locked (in id order) until
        -- the commit, so the second waits, and its recomputation (a new statement) sees the first's rows.
        PERFORM 1 FROM projects_project WHERE id = ANY(touched) ORDER BY id FOR NO KEY UPDATE;
        PERFORM set_config('pinghu.previous_rows_busy', 'on', true);
        {previous_rows_update(table, "r.project_id = ANY(touched)")};
        PERFORM set_config('pinghu.previous_rows_busy', 'off', true);
        RETURN NULL;
    END;
    """,
        ),
        *[
            Trigger(
                f"{function}_{operation.lower()}",
                f"AFTER {operation}",
                table,
                f"{transition} FOR EACH STATEMENT EXECUTE FUNCTION {function}()",
            )
            for operation, transition in TRANSITIONS.items()
        ],
    ]


POSTGRESQL = [
    *_postgresql("projects_visitproject"),
    *_postgresql("projects_projectfunds"),
    Function(
        "projects_project_copies",
        arguments="",
        returns="trigger",
        language="plpgsql",
        body="""
    BEGIN
        IF OLD.chain_id IS DISTINCT FROM NEW.chain_id THEN
            UPDATE projects_visitproject SET project_chain_id = NEW.chain_id WHERE project_id = NEW.id;
        END IF;
        UPDATE projects_projectfunds SET project_chain_id = NEW.chain_id, project_town = NEW.town
        WHERE project_id = NEW.id;
        RETURN NULL;
    END;
    """,
    ),
    Trigger(
        "projects_project_copies",
        "AFTER UPDATE OF chain_id, town",
        "projects_project",
        "FOR EACH ROW WHEN (OLD.chain_id IS DISTINCT FROM NEW.chain_id OR OLD.town IS DISTINCT FROM NEW.town) "
        "EXECUTE FUNCTION projects_project_copies()",
    ),
]


def _sqlite(table: str) -> list[Trigger]:
    def refresh(project: str) -> str:
        return previous_rows_update(table, f"r.project_id = {project}") + ";"

    # A row written by the ORM sets every column, kept ones included: they are recomputed after it.
    kept = ", ".join(PREVIOUS_COLUMNS[table])
    return [
        Trigger(f"{table}_previous_rows_insert", "AFTER INSERT", table, f"BEGIN {refresh('NEW.project_id')} END"),
        Trigger(
            f"{table}_previous_rows_update",
            f"AFTER UPDATE OF {SOURCE_COLUMNS[table]}, {kept}",
            table,
            f"BEGIN {refresh('OLD.project_id')} {refresh('NEW.project_id')} END",
        ),
        Trigger(f"{table}_previous_rows_delete", "AFTER DELETE", table, f"BEGIN {refresh('OLD.project_id')} END"),
    ]


SQLITE = [
    *_sqlite("projects_visitproject"),
    *_sqlite("projects_projectfunds"),
    Trigger(
        "projects_project_copies",
        "AFTER UPDATE OF chain_id, town",
        "projects_project",
        "WHEN OLD.chain_id IS NOT NEW.chain_id OR OLD.town IS NOT NEW.town BEGIN "
        "UPDATE projects_visitproject SET project_chain_id = NEW.chain_id WHERE project_id = NEW.id; "
        "UPDATE projects_projectfunds SET project_chain_id = NEW.chain_id, project_town = NEW.town "
        "WHERE project_id = NEW.id; END",
    ),
]

PREVIOUS_ROWS = TriggerSet(
    "previous-row triggers",
    migration=("projects", "0026_previous_rows"),
    objects={"postgresql": POSTGRESQL, "sqlite": SQLITE},
)
