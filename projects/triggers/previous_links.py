"""The triggers that keep each project link's previous dates and its project's chain (migration 0026).

``VisitProject.previous_date`` is the date of the same project's link before this one, in the order
(visit date, id); ``previous_saturday_date`` is, on a Saturday visit's link, the date of the same
project's Saturday link before it. A project's links in a period then hold exactly one whose
previous date is before the period (or none): the first. So the projects engaged in a period
(``projects.stats_saturday.engaged_figures``) are a count of the period's links whose previous date
is missing or earlier than the period's start, read from one covering index, instead of a DISTINCT
over all the period's links. ``project_chain`` is the project's chain, for the same count per chain.

What the columns hold, recomputed from scratch, is ``projects.rollups.PREVIOUS_LINKS``; the triggers
recompute the links of each project a write touched (a project has a handful of links):

- ``projects_visitproject``: a link inserted, deleted or changed (a visit moved to another date
  updates its links' visit_date, see ``rollups_postgresql``, which lands here) recomputes its
  project's links, their chain included.
- ``projects_project``: a new chain is written to the project's links (which then lands above).

On PostgreSQL the link trigger is statement-level and honours ``pinghu.defer_rollups`` (a bulk load
rebuilds the columns before it commits, ``projects.rollups.rollups_deferred``); the recomputation
updates the same table, so it sets ``pinghu.previous_links_busy`` while it runs and the nested
firing does nothing. SQLite's row-level triggers do not fire themselves again.
"""

from pinghu.triggers import Function, Trigger, TriggerSet

from ..rollups import PREVIOUS_LINKS_UPDATE

# The links of each project a statement touched, recomputed (the columns' one definition is
# projects.rollups.PREVIOUS_LINKS, which also carries each link's chain).
REFRESH = PREVIOUS_LINKS_UPDATE.replace("{where}", "l.project_id = {project}")

PROJECTS_OF = {
    "INSERT": "SELECT project_id FROM new_rows",
    "DELETE": "SELECT project_id FROM old_rows",
    "UPDATE": "SELECT project_id FROM old_rows UNION SELECT project_id FROM new_rows",
}


def _postgresql_branch(operation: str) -> str:
    return f"""IF TG_OP = '{operation}' THEN
            SELECT array_agg(DISTINCT project_id) INTO touched FROM ({PROJECTS_OF[operation]}) t;
        END IF;"""


POSTGRESQL = [
    Function(
        "projects_previous_links",
        arguments="",
        returns="trigger",
        language="plpgsql",
        body=f"""
    DECLARE
        touched bigint[];
    BEGIN
        IF current_setting('pinghu.defer_rollups', true) = 'on'
           OR current_setting('pinghu.previous_links_busy', true) = 'on' THEN
            RETURN NULL;
        END IF;
        {" ".join(_postgresql_branch(operation) for operation in PROJECTS_OF)}
        IF touched IS NULL THEN
            RETURN NULL;
        END IF;
        PERFORM set_config('pinghu.previous_links_busy', 'on', true);
        {REFRESH.format(project="ANY(touched)")};
        PERFORM set_config('pinghu.previous_links_busy', 'off', true);
        RETURN NULL;
    END;
    """,
    ),
    *[
        Trigger(
            f"projects_previous_links_{operation.lower()}",
            f"AFTER {operation}",
            "projects_visitproject",
            f"{transition} FOR EACH STATEMENT EXECUTE FUNCTION projects_previous_links()",
        )
        for operation, transition in [
            ("INSERT", "REFERENCING NEW TABLE AS new_rows"),
            ("UPDATE", "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows"),
            ("DELETE", "REFERENCING OLD TABLE AS old_rows"),
        ]
    ],
    Function(
        "projects_project_link_chain",
        arguments="",
        returns="trigger",
        language="plpgsql",
        body="""
    BEGIN
        UPDATE projects_visitproject SET project_chain_id = NEW.chain_id WHERE project_id = NEW.id;
        RETURN NULL;
    END;
    """,
    ),
    Trigger(
        "projects_project_link_chain",
        "AFTER UPDATE OF chain_id",
        "projects_project",
        "FOR EACH ROW WHEN (OLD.chain_id IS DISTINCT FROM NEW.chain_id) EXECUTE FUNCTION projects_project_link_chain()",
    ),
]


def _sqlite_refresh(project: str) -> str:
    return REFRESH.format(project=project) + ";"


SQLITE = [
    Trigger(
        "projects_previous_links_insert",
        "AFTER INSERT",
        "projects_visitproject",
        f"BEGIN {_sqlite_refresh('NEW.project_id')} END",
    ),
    Trigger(
        "projects_previous_links_update",
        "AFTER UPDATE OF visit_id, project_id, visit_date, project_chain_id",
        "projects_visitproject",
        f"BEGIN {_sqlite_refresh('OLD.project_id')} {_sqlite_refresh('NEW.project_id')} END",
    ),
    Trigger(
        "projects_previous_links_delete",
        "AFTER DELETE",
        "projects_visitproject",
        f"BEGIN {_sqlite_refresh('OLD.project_id')} END",
    ),
    Trigger(
        "projects_project_link_chain",
        "AFTER UPDATE OF chain_id",
        "projects_project",
        "WHEN OLD.chain_id IS NOT NEW.chain_id BEGIN "
        "UPDATE projects_visitproject SET project_chain_id = NEW.chain_id WHERE project_id = NEW.id; END",
    ),
]

PREVIOUS_LINKS = TriggerSet(
    "previous-link triggers",
    migration=("projects", "0026_previous_links"),
    objects={"postgresql": POSTGRESQL, "sqlite": SQLITE},
)
