"""The triggers that keep ``InvestmentVisit.leader_count``: the number of leader rows of a visit (its person-times).

Statistics sum this one column instead of joining and de-duplicating the link table
``projects_visitleader``; every write path (services, admin, the demo generator's bulk inserts,
raw SQL) goes through the triggers. The column comes from migration 0004, which backfills it and
first installs these. Not here: the rollups built on top of the count (``rollups_*``).
"""

from pinghu.triggers import Function, Trigger, TriggerSet

# PostgreSQL: statement-level triggers with transition tables, one set-based update per statement.
POSTGRESQL = [
    Function(
        "projects_visitleader_count",
        arguments="",
        returns="trigger",
        language="plpgsql",
        body="""
    BEGIN
        IF TG_OP IN ('DELETE', 'UPDATE') THEN
            UPDATE projects_investmentvisit v SET leader_count = v.leader_count - o.n
            FROM (SELECT visit_id, COUNT(*) AS n FROM old_rows GROUP BY visit_id) o WHERE v.id = o.visit_id;
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            UPDATE projects_investmentvisit v SET leader_count = v.leader_count + i.n
            FROM (SELECT visit_id, COUNT(*) AS n FROM new_rows GROUP BY visit_id) i WHERE v.id = i.visit_id;
        END IF;
        RETURN NULL;
    END;
    """,
    ),
    Trigger(
        "projects_visitleader_count_insert",
        "AFTER INSERT",
        "projects_visitleader",
        "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION projects_visitleader_count()",
    ),
    Trigger(
        "projects_visitleader_count_delete",
        "AFTER DELETE",
        "projects_visitleader",
        "REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION projects_visitleader_count()",
    ),
    Trigger(
        "projects_visitleader_count_update",
        "AFTER UPDATE",
        "projects_visitleader",
        "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
        "FOR EACH STATEMENT EXECUTE FUNCTION projects_visitleader_count()",
    ),
]

# SQLite has only row-level triggers: one leader row, one step.
SQLITE = [
    Trigger(
        "projects_visitleader_count_insert",
        "AFTER INSERT",
        "projects_visitleader",
        "BEGIN UPDATE projects_investmentvisit SET leader_count = leader_count + 1 WHERE id = NEW.visit_id; END",
    ),
    Trigger(
        "projects_visitleader_count_delete",
        "AFTER DELETE",
        "projects_visitleader",
        "BEGIN UPDATE projects_investmentvisit SET leader_count = leader_count - 1 WHERE id = OLD.visit_id; END",
    ),
    Trigger(
        "projects_visitleader_count_update",
        "AFTER UPDATE OF visit_id",
        "projects_visitleader",
        """BEGIN
       UPDATE projects_investmentvisit SET leader_count = leader_count - 1 WHERE id = OLD.visit_id;
       UPDATE projects_investmentvisit SET leader_count = leader_count + 1 WHERE id = NEW.visit_id; END""",
    ),
]

LEADER_COUNT = TriggerSet(
    "leader-count triggers",
    migration=("projects", "0004_visit_leader_count"),
    objects={"postgresql": POSTGRESQL, "sqlite": SQLITE},
)
