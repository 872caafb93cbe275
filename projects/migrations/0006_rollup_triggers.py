# Hand-written. Triggers that keep the rollups of migration 0005 (VisitDay, VisitDayChain,
# PipelineDelta) and VisitProject.visit_date in step with the rows they are computed from, in the
# same transaction, on every write path: services, admin, bulk inserts and raw SQL.
#
# - projects_investmentvisit: its date and leader_count feed the day rows and, through its chain
#   links, the day-and-chain rows; its date is copied to its project links.
# - projects_investmentvisit_chains: a link adds the visit to that chain's day row.
# - projects_visitproject: visit_date is set from the visit on every insert and update.
# - projects_projectstagechange: a change adds the project (and its investment) to the new stage
#   and removes it from the old one, on its date, in its project's chain.
# - projects_project: a new chain or total investment moves the project's deltas along.
#
# A subtraction only ever updates an existing row (a row deleted with its chain stays deleted);
# an addition inserts the row when it is missing. PostgreSQL uses statement-level triggers with
# transition tables (one set-based statement per bulk insert); SQLite has only row-level triggers.
#
# PostgreSQL's functions do nothing while the transaction-local setting pinghu.defer_rollups is
# 'on': a bulk load (projects.rollups.rollups_deferred) rebuilds the rollups once before it commits.
#
# On SQLite a table rebuild drops that table's triggers: a later migration that alters one of the
# tables above must create its triggers again (the rollup tests fail if they go missing).

from django.db import migrations

# Each helper takes parallel arrays of changes, sums them per key and applies the sums.
POSTGRESQL_HELPERS = [
    """
    CREATE FUNCTION projects_rollup_visit_day(days date[], counts bigint[], persons bigint[]) RETURNS void AS $$
        WITH c AS (
            SELECT day, SUM(n)::integer AS visit_count, SUM(p)::integer AS leader_count
            FROM unnest(days, counts, persons) AS u(day, n, p) GROUP BY day HAVING SUM(n) <> 0 OR SUM(p) <> 0
        ), updated AS (
            UPDATE projects_visitday t SET visit_count = t.visit_count + c.visit_count, leader_count = t.leader_count + c.leader_count
            FROM c WHERE t.date = c.day RETURNING t.date
        )
        INSERT INTO projects_visitday (date, visit_count, leader_count)
        SELECT day, visit_count, leader_count FROM c WHERE visit_count > 0 AND day NOT IN (SELECT date FROM updated)
        ON CONFLICT (date) DO UPDATE SET visit_count = projects_visitday.visit_count + EXCLUDED.visit_count,
                                         leader_count = projects_visitday.leader_count + EXCLUDED.leader_count
    $$ LANGUAGE sql
    """,
    """
    CREATE FUNCTION projects_rollup_visit_day_chain(days date[], chains bigint[], counts bigint[], persons bigint[])
    RETURNS void AS $$
        WITH c AS (
            SELECT day, chain, SUM(n)::integer AS visit_count, SUM(p)::integer AS leader_count
            FROM unnest(days, chains, counts, persons) AS u(day, chain, n, p)
            GROUP BY day, chain HAVING SUM(n) <> 0 OR SUM(p) <> 0
        ), updated AS (
            UPDATE projects_visitdaychain t SET visit_count = t.visit_count + c.visit_count, leader_count = t.leader_count + c.leader_count
            FROM c WHERE t.date = c.day AND t.chain_id = c.chain RETURNING t.date, t.chain_id
        )
        INSERT INTO projects_visitdaychain (date, chain_id, visit_count, leader_count)
        SELECT day, chain, visit_count, leader_count FROM c
        WHERE visit_count > 0 AND NOT EXISTS (SELECT 1 FROM updated u WHERE u.date = c.day AND u.chain_id = c.chain)
        ON CONFLICT (date, chain_id) DO UPDATE SET visit_count = projects_visitdaychain.visit_count + EXCLUDED.visit_count,
                                                   leader_count = projects_visitdaychain.leader_count + EXCLUDED.leader_count
    $$ LANGUAGE sql
    """,
    """
    CREATE FUNCTION projects_rollup_pipeline(days date[], chains bigint[], stages text[], counts bigint[], amounts numeric[])
    RETURNS void AS $$
        INSERT INTO projects_pipelinedelta (date, chain_id, stage, projects, investment)
        SELECT day, chain, stage, SUM(n), SUM(amount)
        FROM unnest(days, chains, stages, counts, amounts) AS u(day, chain, stage, n, amount)
        GROUP BY day, chain, stage HAVING SUM(n) <> 0 OR SUM(amount) <> 0
        ON CONFLICT (date, chain_id, stage) DO UPDATE
        SET projects = projects_pipelinedelta.projects + EXCLUDED.projects,
            investment = projects_pipelinedelta.investment + EXCLUDED.investment
    $$ LANGUAGE sql
    """,
]

# The visits a statement changed, as signed rows: -1 for each old row, +1 for each new one. An
# update that changes neither date nor leader count cancels out in the helpers' sums (joining the
# old and new transition tables instead would cost a nested loop: they carry no index).
VISIT_CHANGES = {
    "INSERT": "SELECT id, date, 1 AS n, leader_count AS p FROM new_rows",
    "DELETE": "SELECT id, date, -1 AS n, -leader_count AS p FROM old_rows",
    "UPDATE": "SELECT id, date, -1 AS n, -leader_count AS p FROM old_rows "
    "UNION ALL SELECT id, date, 1, leader_count FROM new_rows",
}
LINK_CHANGES = {
    "INSERT": "SELECT investmentvisit_id, chain_id, 1 AS n FROM new_rows",
    "DELETE": "SELECT investmentvisit_id, chain_id, -1 AS n FROM old_rows",
    "UPDATE": "SELECT investmentvisit_id, chain_id, -1 AS n FROM old_rows "
    "UNION ALL SELECT investmentvisit_id, chain_id, 1 FROM new_rows",
}
# Stage changes as signed (date, project, stage) rows: +1 into to_stage, -1 out of from_stage.
STAGE_CHANGES = {
    "INSERT": """SELECT at, project_id, to_stage AS stage, 1 AS n FROM new_rows
                 UNION ALL SELECT at, project_id, from_stage, -1 FROM new_rows WHERE from_stage <> ''""",
    "DELETE": """SELECT at, project_id, to_stage AS stage, -1 AS n FROM old_rows
                 UNION ALL SELECT at, project_id, from_stage, 1 FROM old_rows WHERE from_stage <> ''""",
}
STAGE_CHANGES["UPDATE"] = f"{STAGE_CHANGES['DELETE']} UNION ALL {STAGE_CHANGES['INSERT']}"
# A project's stage history valued with its chain and investment, signed by `sign` (old rows out,
# new rows in); used when a project is updated (an update that changes neither chain nor
# investment cancels out in the helper's sums) or deleted.
PROJECT_HISTORY = """
    SELECT c.at, r.chain_id, c.to_stage AS stage, {sign} AS n, {sign} * COALESCE(r.total_investment, 0) AS amount
    FROM {rows} r JOIN projects_projectstagechange c ON c.project_id = r.id
    UNION ALL
    SELECT c.at, r.chain_id, c.from_stage, -{sign}, -{sign} * COALESCE(r.total_investment, 0)
    FROM {rows} r JOIN projects_projectstagechange c ON c.project_id = r.id WHERE c.from_stage <> ''
"""
PROJECT_CHANGES = {
    "DELETE": PROJECT_HISTORY.format(rows="old_rows", sign="(-1)"),
    "UPDATE": PROJECT_HISTORY.format(rows="old_rows", sign="(-1)")
    + " UNION ALL "
    + PROJECT_HISTORY.format(rows="new_rows", sign="1"),
}


def _branch(operation: str, body: str) -> str:
    return f"IF TG_OP = '{operation}' THEN {body} END IF;"


def _visit_body(operation: str) -> str:
    changes = VISIT_CHANGES[operation]
    body = f"""
        PERFORM projects_rollup_visit_day(array_agg(date), array_agg(n::bigint), array_agg(p::bigint)) FROM ({changes}) c;
        PERFORM projects_rollup_visit_day_chain(array_agg(c.date), array_agg(l.chain_id::bigint), array_agg(c.n::bigint),
                                                array_agg(c.p::bigint))
        FROM ({changes}) c JOIN projects_investmentvisit_chains l ON l.investmentvisit_id = c.id;
    """
    if operation == "UPDATE":
        body += """
        UPDATE projects_visitproject vp SET visit_date = w.date
        FROM new_rows w WHERE vp.visit_id = w.id AND vp.visit_date IS DISTINCT FROM w.date;
        """
    return _branch(operation, body)


def _link_body(operation: str) -> str:
    return _branch(
        operation,
        f"""
        PERFORM projects_rollup_visit_day_chain(array_agg(v.date), array_agg(c.chain_id::bigint), array_agg(c.n::bigint),
                                                array_agg((c.n * v.leader_count)::bigint))
        FROM ({LINK_CHANGES[operation]}) c JOIN projects_investmentvisit v ON v.id = c.investmentvisit_id;
        """,
    )


def _stage_body(operation: str) -> str:
    return _branch(
        operation,
        f"""
        PERFORM projects_rollup_pipeline(array_agg(c.at), array_agg(p.chain_id::bigint), array_agg(c.stage::text),
                                         array_agg(c.n::bigint), array_agg(c.n * COALESCE(p.total_investment, 0)))
        FROM ({STAGE_CHANGES[operation]}) c JOIN projects_project p ON p.id = c.project_id;
        """,
    )


def _project_body(operation: str) -> str:
    return _branch(
        operation,
        f"""
        PERFORM projects_rollup_pipeline(array_agg(h.at), array_agg(h.chain_id::bigint), array_agg(h.stage::text),
                                         array_agg(h.n::bigint), array_agg(h.amount::numeric))
        FROM ({PROJECT_CHANGES[operation]}) h;
        """,
    )


def _function(name: str, branches: list[str]) -> str:
    # A bulk load may set pinghu.defer_rollups for its transaction and rebuild the rollups before
    # it commits (projects.rollups.rollups_deferred): each statement would otherwise rewrite the
    # same daily rows again and again.
    return f"""
    CREATE FUNCTION {name}() RETURNS trigger AS $$
    BEGIN
        IF current_setting('pinghu.defer_rollups', true) = 'on' THEN
            RETURN NULL;
        END IF;
        {" ".join(branches)}
        RETURN NULL;
    END;
    $$ LANGUAGE plpgsql
    """


def _statement_triggers(table: str, function: str, operations: list[str]) -> list[str]:
    transition = {
        "INSERT": "REFERENCING NEW TABLE AS new_rows",
        "DELETE": "REFERENCING OLD TABLE AS old_rows",
        "UPDATE": "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
    }
    return [
        f"CREATE TRIGGER {function}_{operation.lower()} AFTER {operation} ON {table} "
        f"{transition[operation]} FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
        for operation in operations
    ]


ALL = ["INSERT", "UPDATE", "DELETE"]
POSTGRESQL_FORWARD = [
    *POSTGRESQL_HELPERS,
    _function("projects_visit_rollups", [_visit_body(op) for op in ALL]),
    *_statement_triggers("projects_investmentvisit", "projects_visit_rollups", ALL),
    _function("projects_visitchain_rollups", [_link_body(op) for op in ALL]),
    *_statement_triggers("projects_investmentvisit_chains", "projects_visitchain_rollups", ALL),
    _function("projects_stagechange_rollups", [_stage_body(op) for op in ALL]),
    *_statement_triggers("projects_projectstagechange", "projects_stagechange_rollups", ALL),
    _function("projects_project_rollups", [_project_body(op) for op in ["UPDATE", "DELETE"]]),
    *_statement_triggers("projects_project", "projects_project_rollups", ["UPDATE", "DELETE"]),
    # Row level and BEFORE: the link is written with its visit's date, whatever the writer sent.
    """
    CREATE FUNCTION projects_visitproject_date() RETURNS trigger AS $$
    BEGIN
        NEW.visit_date := (SELECT date FROM projects_investmentvisit WHERE id = NEW.visit_id);
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql
    """,
    """CREATE TRIGGER projects_visitproject_date BEFORE INSERT OR UPDATE ON projects_visitproject
       FOR EACH ROW EXECUTE FUNCTION projects_visitproject_date()""",
]
POSTGRESQL_BACKWARD = [
    "DROP TRIGGER IF EXISTS projects_visitproject_date ON projects_visitproject",
    "DROP FUNCTION IF EXISTS projects_visitproject_date()",
    *[
        f"DROP TRIGGER IF EXISTS {function}_{op.lower()} ON {table}"
        for table, function in [
            ("projects_investmentvisit", "projects_visit_rollups"),
            ("projects_investmentvisit_chains", "projects_visitchain_rollups"),
            ("projects_projectstagechange", "projects_stagechange_rollups"),
            ("projects_project", "projects_project_rollups"),
        ]
        for op in ALL
    ],
    "DROP FUNCTION IF EXISTS projects_visit_rollups()",
    "DROP FUNCTION IF EXISTS projects_visitchain_rollups()",
    "DROP FUNCTION IF EXISTS projects_stagechange_rollups()",
    "DROP FUNCTION IF EXISTS projects_project_rollups()",
    "DROP FUNCTION IF EXISTS projects_rollup_visit_day(date[], bigint[], bigint[])",
    "DROP FUNCTION IF EXISTS projects_rollup_visit_day_chain(date[], bigint[], bigint[], bigint[])",
    "DROP FUNCTION IF EXISTS projects_rollup_pipeline(date[], bigint[], text[], bigint[], numeric[])",
]

# SQLite: one visit, link or stage change per trigger run.
ADD_DAY = """INSERT INTO projects_visitday (date, visit_count, leader_count) VALUES ({date}, 1, {persons})
    ON CONFLICT (date) DO UPDATE SET visit_count = visit_count + 1, leader_count = leader_count + excluded.leader_count;"""
SUBTRACT_DAY = """UPDATE projects_visitday SET visit_count = visit_count - 1, leader_count = leader_count - {persons}
    WHERE date = {date};"""
ADD_DAY_CHAINS = """INSERT INTO projects_visitdaychain (date, chain_id, visit_count, leader_count)
    SELECT {date}, chain_id, 1, {persons} FROM projects_investmentvisit_chains WHERE investmentvisit_id = {visit}
    ON CONFLICT (date, chain_id) DO UPDATE SET visit_count = visit_count + 1, leader_count = leader_count + excluded.leader_count;"""
SUBTRACT_DAY_CHAINS = """UPDATE projects_visitdaychain SET visit_count = visit_count - 1, leader_count = leader_count - {persons}
    WHERE date = {date} AND chain_id IN
        (SELECT chain_id FROM projects_investmentvisit_chains WHERE investmentvisit_id = {visit});"""
ADD_LINK = """INSERT INTO projects_visitdaychain (date, chain_id, visit_count, leader_count)
    SELECT v.date, {row}.chain_id, 1, v.leader_count FROM projects_investmentvisit v WHERE v.id = {row}.investmentvisit_id
    ON CONFLICT (date, chain_id) DO UPDATE SET visit_count = visit_count + 1, leader_count = leader_count + excluded.leader_count;"""
SUBTRACT_LINK = """UPDATE projects_visitdaychain SET visit_count = visit_count - 1,
        leader_count = leader_count - (SELECT leader_count FROM projects_investmentvisit WHERE id = {row}.investmentvisit_id)
    WHERE chain_id = {row}.chain_id
      AND date = (SELECT date FROM projects_investmentvisit WHERE id = {row}.investmentvisit_id);"""
# A visit that changes date or leader count moves only if the rollup counted it: the guards keep
# a rollup emptied before its source rows (as Django's test flush does, in any table order) from
# being refilled with partial sums.
ADD_DAY_IF_COUNTED = """INSERT INTO projects_visitday (date, visit_count, leader_count)
    SELECT NEW.date, 1, NEW.leader_count WHERE EXISTS (SELECT 1 FROM projects_visitday WHERE date = OLD.date)
    ON CONFLICT (date) DO UPDATE SET visit_count = visit_count + 1, leader_count = leader_count + excluded.leader_count;"""
ADD_DAY_CHAINS_IF_COUNTED = """INSERT INTO projects_visitdaychain (date, chain_id, visit_count, leader_count)
    SELECT NEW.date, l.chain_id, 1, NEW.leader_count FROM projects_investmentvisit_chains l
    WHERE l.investmentvisit_id = NEW.id
      AND EXISTS (SELECT 1 FROM projects_visitdaychain d WHERE d.date = OLD.date AND d.chain_id = l.chain_id)
    ON CONFLICT (date, chain_id) DO UPDATE SET visit_count = visit_count + 1, leader_count = leader_count + excluded.leader_count;"""
# Removing a stage change (or a project's whole history) only updates the delta rows its insertion
# created; it never inserts one.
STAGE_SUBTRACT = """UPDATE projects_pipelinedelta
    SET projects = projects - d.n, investment = investment - d.n * d.amount
    FROM (SELECT OLD.at AS at, p.chain_id AS chain_id, OLD.to_stage AS stage, 1 AS n,
                 COALESCE(p.total_investment, 0) AS amount
          FROM projects_project p WHERE p.id = OLD.project_id
          UNION ALL
          SELECT OLD.at, p.chain_id, OLD.from_stage, -1, COALESCE(p.total_investment, 0)
          FROM projects_project p WHERE p.id = OLD.project_id AND OLD.from_stage <> '') d
    WHERE projects_pipelinedelta.date = d.at AND projects_pipelinedelta.chain_id = d.chain_id
      AND projects_pipelinedelta.stage = d.stage;"""
HISTORY_SUBTRACT = """UPDATE projects_pipelinedelta
    SET projects = projects - d.n, investment = investment - d.n * COALESCE(OLD.total_investment, 0)
    FROM (SELECT at, stage, SUM(n) AS n FROM (
              SELECT c.at, c.to_stage AS stage, 1 AS n FROM projects_projectstagechange c WHERE c.project_id = OLD.id
              UNION ALL
              SELECT c.at, c.from_stage, -1 FROM projects_projectstagechange c
              WHERE c.project_id = OLD.id AND c.from_stage <> '') GROUP BY at, stage) d
    WHERE projects_pipelinedelta.date = d.at AND projects_pipelinedelta.chain_id = OLD.chain_id
      AND projects_pipelinedelta.stage = d.stage;"""
PIPELINE_UPSERT = """ON CONFLICT (date, chain_id, stage) DO UPDATE
    SET projects = projects + excluded.projects, investment = investment + excluded.investment;"""
STAGE_ROWS = """INSERT INTO projects_pipelinedelta (date, chain_id, stage, projects, investment)
    SELECT {row}.at, p.chain_id, {row}.to_stage, {sign}, {sign} * COALESCE(p.total_investment, 0)
    FROM projects_project p WHERE p.id = {row}.project_id {upsert}
    INSERT INTO projects_pipelinedelta (date, chain_id, stage, projects, investment)
    SELECT {row}.at, p.chain_id, {row}.from_stage, -{sign}, -{sign} * COALESCE(p.total_investment, 0)
    FROM projects_project p WHERE p.id = {row}.project_id AND {row}.from_stage <> '' {upsert}"""
HISTORY_ROWS = """INSERT INTO projects_pipelinedelta (date, chain_id, stage, projects, investment)
    SELECT c.at, {row}.chain_id, c.to_stage, {sign}, {sign} * COALESCE({row}.total_investment, 0)
    FROM projects_projectstagechange c WHERE c.project_id = {row}.id {upsert}
    INSERT INTO projects_pipelinedelta (date, chain_id, stage, projects, investment)
    SELECT c.at, {row}.chain_id, c.from_stage, -{sign}, -{sign} * COALESCE({row}.total_investment, 0)
    FROM projects_projectstagechange c WHERE c.project_id = {row}.id AND c.from_stage <> '' {upsert}"""
VISIT_DATE = """UPDATE projects_visitproject
    SET visit_date = (SELECT date FROM projects_investmentvisit WHERE id = NEW.visit_id) WHERE id = NEW.id;"""


def _sqlite_trigger(name: str, event: str, body: str) -> str:
    return f"CREATE TRIGGER {name} AFTER {event} BEGIN {body} END"


def _old_new(template: str, row: str) -> str:
    return template.format(date=f"{row}.date", persons=f"{row}.leader_count", visit=f"{row}.id", row=row)


SQLITE_FORWARD = [
    _sqlite_trigger(
        "projects_visit_rollups_insert",
        "INSERT ON projects_investmentvisit",
        _old_new(ADD_DAY, "NEW") + _old_new(ADD_DAY_CHAINS, "NEW"),
    ),
    _sqlite_trigger(
        "projects_visit_rollups_delete",
        "DELETE ON projects_investmentvisit",
        _old_new(SUBTRACT_DAY, "OLD") + _old_new(SUBTRACT_DAY_CHAINS, "OLD"),
    ),
    _sqlite_trigger(
        "projects_visit_rollups_update",
        "UPDATE OF date, leader_count ON projects_investmentvisit "
        "WHEN OLD.date IS NOT NEW.date OR OLD.leader_count IS NOT NEW.leader_count",
        _old_new(SUBTRACT_DAY, "OLD")
        + ADD_DAY_IF_COUNTED
        + _old_new(SUBTRACT_DAY_CHAINS, "OLD")
        + ADD_DAY_CHAINS_IF_COUNTED
        + "UPDATE projects_visitproject SET visit_date = NEW.date WHERE visit_id = NEW.id;",
    ),
    _sqlite_trigger(
        "projects_visitchain_rollups_insert", "INSERT ON projects_investmentvisit_chains", ADD_LINK.format(row="NEW")
    ),
    _sqlite_trigger(
        "projects_visitchain_rollups_delete", "DELETE ON projects_investmentvisit_chains", SUBTRACT_LINK.format(row="OLD")
    ),
    _sqlite_trigger(
        "projects_visitchain_rollups_update",
        "UPDATE ON projects_investmentvisit_chains",
        SUBTRACT_LINK.format(row="OLD") + ADD_LINK.format(row="NEW"),
    ),
    _sqlite_trigger(
        "projects_stagechange_rollups_insert",
        "INSERT ON projects_projectstagechange",
        STAGE_ROWS.format(row="NEW", sign="1", upsert=PIPELINE_UPSERT),
    ),
    _sqlite_trigger(
        "projects_stagechange_rollups_delete",
        "DELETE ON projects_projectstagechange",
        STAGE_SUBTRACT,
    ),
    _sqlite_trigger(
        "projects_stagechange_rollups_update",
        "UPDATE ON projects_projectstagechange",
        STAGE_SUBTRACT + STAGE_ROWS.format(row="NEW", sign="1", upsert=PIPELINE_UPSERT),
    ),
    _sqlite_trigger(
        "projects_project_rollups_update",
        "UPDATE OF chain_id, total_investment ON projects_project "
        "WHEN OLD.chain_id IS NOT NEW.chain_id OR OLD.total_investment IS NOT NEW.total_investment",
        HISTORY_SUBTRACT + HISTORY_ROWS.format(row="NEW", sign="1", upsert=PIPELINE_UPSERT),
    ),
    _sqlite_trigger(
        "projects_project_rollups_delete",
        "DELETE ON projects_project",
        HISTORY_SUBTRACT,
    ),
    _sqlite_trigger("projects_visitproject_date_insert", "INSERT ON projects_visitproject", VISIT_DATE),
    _sqlite_trigger(
        "projects_visitproject_date_update", "UPDATE OF visit_id, visit_date ON projects_visitproject", VISIT_DATE
    ),
]
SQLITE_BACKWARD = [f"DROP TRIGGER IF EXISTS {statement.split()[2]}" for statement in SQLITE_FORWARD]
STATEMENTS = {"postgresql": (POSTGRESQL_FORWARD, POSTGRESQL_BACKWARD), "sqlite": (SQLITE_FORWARD, SQLITE_BACKWARD)}

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
    vendor = schema_editor.connection.vendor
    if vendor not in STATEMENTS:
        raise NotImplementedError(f"No rollup triggers written for the {vendor} database.")
    for statement in [*BACKFILL, *STATEMENTS[vendor][0]]:
        schema_editor.execute(statement)


def backwards(apps, schema_editor) -> None:
    for statement in STATEMENTS[schema_editor.connection.vendor][1]:
        schema_editor.execute(statement)
    for table in ["projects_visitday", "projects_visitdaychain", "projects_pipelinedelta"]:
        schema_editor.execute(f"DELETE FROM {table}")


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0005_rollups"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
