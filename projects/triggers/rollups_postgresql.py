"""The rollup triggers on PostgreSQL: statement-level, one set-based change per statement however many rows it wrote.

Each trigger reads its statement's transition tables (``old_rows``, ``new_rows``), turns them
into signed changes (-1 for each old row, +1 for each new one) and hands them to one of three
helper functions, which sum the changes per key and apply the sums with an upsert. What the
rollups are, and which writes move them, is in ``projects.triggers``; the SQLite form is in
``rollups_sqlite``; what each rollup holds, recomputed from scratch, is ``projects.rollups.EXPECTED``.

Every trigger function does nothing while the transaction-local setting ``pinghu.defer_rollups`` is
'on': a bulk load (``projects.rollups.rollups_deferred``) rebuilds the rollups once before it commits.
"""

from pinghu.triggers import Function, Trigger

# Each helper takes parallel arrays of changes, sums them per key and applies the sums.
HELPERS = [
    Function(
        "projects_rollup_visit_day",
        arguments="days date[], counts bigint[], persons bigint[]",
        returns="void",
        language="sql",
        body="""
        WITH c AS (
            SELECT day, SUM(n)::integer AS visit_count, SUM(p)::integer AS leader_count
            FROM unnest(days, counts, persons) AS u(day, n, p) GROUP BY day HAVING SUM(n) <> 0 OR SUM(p) <> 0
        ), updated AS (
            UPDATE projects_visitday t SET visit_count = t.visit_count + c.visit_count,
                leader_count = t.leader_count + c.leader_count
            FROM c WHERE t.date = c.day RETURNING t.date
        )
        INSERT INTO projects_visitday (date, visit_count, leader_count)
        SELECT day, visit_count, leader_count FROM c WHERE visit_count > 0 AND day NOT IN (SELECT date FROM updated)
        ON CONFLICT (date) DO UPDATE SET visit_count = projects_visitday.visit_count + EXCLUDED.visit_count,
                                         leader_count = projects_visitday.leader_count + EXCLUDED.leader_count
    """,
    ),
    Function(
        "projects_rollup_visit_day_chain",
        arguments="days date[], chains bigint[], counts bigint[], persons bigint[]",
        returns="void",
        language="sql",
        body="""
        WITH c AS (
            SELECT day, chain, SUM(n)::integer AS visit_count, SUM(p)::integer AS leader_count
            FROM unnest(days, chains, counts, persons) AS u(day, chain, n, p)
            GROUP BY day, chain HAVING SUM(n) <> 0 OR SUM(p) <> 0
        ), updated AS (
            UPDATE projects_visitdaychain t SET visit_count = t.visit_count + c.visit_count,
                leader_count = t.leader_count + c.leader_count
            FROM c WHERE t.date = c.day AND t.chain_id = c.chain RETURNING t.date, t.chain_id
        )
        INSERT INTO projects_visitdaychain (date, chain_id, visit_count, leader_count)
        SELECT day, chain, visit_count, leader_count FROM c
        WHERE visit_count > 0 AND NOT EXISTS (SELECT 1 FROM updated u WHERE u.date = c.day AND u.chain_id = c.chain)
        ON CONFLICT (date, chain_id) DO UPDATE
        SET visit_count = projects_visitdaychain.visit_count + EXCLUDED.visit_count,
            leader_count = projects_visitdaychain.leader_count + EXCLUDED.leader_count
    """,
    ),
    Function(
        "projects_rollup_pipeline",
        arguments="days date[], chains bigint[], stages text[], counts bigint[], amounts numeric[]",
        returns="void",
        language="sql",
        body="""
        INSERT INTO projects_pipelinedelta (date, chain_id, stage, projects, investment)
        SELECT day, chain, stage, SUM(n), SUM(amount)
        FROM unnest(days, chains, stages, counts, amounts) AS u(day, chain, stage, n, amount)
        GROUP BY day, chain, stage HAVING SUM(n) <> 0 OR SUM(amount) <> 0
        ON CONFLICT (date, chain_id, stage) DO UPDATE
        SET projects = projects_pipelinedelta.projects + EXCLUDED.projects,
            investment = projects_pipelinedelta.investment + EXCLUDED.investment
    """,
    ),
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


def branch(operation: str, body: str) -> str:
    return f"IF TG_OP = '{operation}' THEN {body} END IF;"


def _visit_body(operation: str) -> str:
    changes = VISIT_CHANGES[operation]
    body = f"""
        PERFORM projects_rollup_visit_day(array_agg(date), array_agg(n::bigint), array_agg(p::bigint))
        FROM ({changes}) c;
        PERFORM projects_rollup_visit_day_chain(array_agg(c.date), array_agg(l.chain_id::bigint),
                                                array_agg(c.n::bigint), array_agg(c.p::bigint))
        FROM ({changes}) c JOIN projects_investmentvisit_chains l ON l.investmentvisit_id = c.id;
    """
    if operation == "UPDATE":
        body += """
        UPDATE projects_visitproject vp SET visit_date = w.date
        FROM new_rows w WHERE vp.visit_id = w.id AND vp.visit_date IS DISTINCT FROM w.date;
        """
    return branch(operation, body)


def _link_body(operation: str) -> str:
    return branch(
        operation,
        f"""
        PERFORM projects_rollup_visit_day_chain(array_agg(v.date), array_agg(c.chain_id::bigint),
                                                array_agg(c.n::bigint), array_agg((c.n * v.leader_count)::bigint))
        FROM ({LINK_CHANGES[operation]}) c JOIN projects_investmentvisit v ON v.id = c.investmentvisit_id;
        """,
    )


def _stage_body(operation: str) -> str:
    return branch(
        operation,
        f"""
        PERFORM projects_rollup_pipeline(array_agg(c.at), array_agg(p.chain_id::bigint), array_agg(c.stage::text),
                                         array_agg(c.n::bigint), array_agg(c.n * COALESCE(p.total_investment, 0)))
        FROM ({STAGE_CHANGES[operation]}) c JOIN projects_project p ON p.id = c.project_id;
        """,
    )


def _project_body(operation: str) -> str:
    return branch(
        operation,
        f"""
        PERFORM projects_rollup_pipeline(array_agg(h.at), array_agg(h.chain_id::bigint), array_agg(h.stage::text),
                                         array_agg(h.n::bigint), array_agg(h.amount::numeric))
        FROM ({PROJECT_CHANGES[operation]}) h;
        """,
    )


def deferrable_trigger_function(name: str, branches: list[str]) -> Function:
    """A statement trigger's function running ``branches`` unless ``pinghu.defer_rollups`` is on (every rollup's)."""
    # A bulk load may set pinghu.defer_rollups for its transaction and rebuild the rollups before
    # it commits (projects.rollups.rollups_deferred): each statement would otherwise rewrite the
    # same daily rows again and again.
    return Function(
        name,
        arguments="",
        returns="trigger",
        language="plpgsql",
        body=f"""
    BEGIN
        IF current_setting('pinghu.defer_rollups', true) = 'on' THEN
            RETURN NULL;
        END IF;
        {" ".join(branches)}
        RETURN NULL;
    END;
    """,
    )


TRANSITION_TABLES = {
    "INSERT": "REFERENCING NEW TABLE AS new_rows",
    "DELETE": "REFERENCING OLD TABLE AS old_rows",
    "UPDATE": "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
}


def statement_triggers(table: str, function: str, body, operations: list[str]) -> list[Function | Trigger]:
    """The function ``function`` with one branch per operation, then its triggers ``<function>_<operation>``."""
    return [
        deferrable_trigger_function(function, [body(operation) for operation in operations]),
        *[
            Trigger(
                f"{function}_{operation.lower()}",
                f"AFTER {operation}",
                table,
                f"{TRANSITION_TABLES[operation]} FOR EACH STATEMENT EXECUTE FUNCTION {function}()",
            )
            for operation in operations
        ],
    ]


ALL = ["INSERT", "UPDATE", "DELETE"]
OBJECTS = [
    *HELPERS,
    *statement_triggers("projects_investmentvisit", "projects_visit_rollups", _visit_body, ALL),
    *statement_triggers("projects_investmentvisit_chains", "projects_visitchain_rollups", _link_body, ALL),
    *statement_triggers("projects_projectstagechange", "projects_stagechange_rollups", _stage_body, ALL),
    *statement_triggers("projects_project", "projects_project_rollups", _project_body, ["UPDATE", "DELETE"]),
    # Row level and BEFORE: the link is written with its visit's date, whatever the writer sent.
    Function(
        "projects_visitproject_date",
        arguments="",
        returns="trigger",
        language="plpgsql",
        body="""
    BEGIN
        NEW.visit_date := (SELECT date FROM projects_investmentvisit WHERE id = NEW.visit_id);
        RETURN NEW;
    END;
    """,
    ),
    Trigger(
        "projects_visitproject_date",
        # Not on updates of the other columns: the recomputation of the links' previous dates
        # (projects.triggers.previous_rows) rewrites every link after a bulk load.
        "BEFORE INSERT OR UPDATE OF visit_id, visit_date",
        "projects_visitproject",
        "FOR EACH ROW EXECUTE FUNCTION projects_visitproject_date()",
    ),
]
