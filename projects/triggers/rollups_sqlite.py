"""The rollup triggers on SQLite: row-level, one visit, link or stage change per trigger run.

SQLite has no statement-level triggers, and a row's work is cheap here, so each trigger applies
its one row's change directly with an upsert (additions) or an update (subtractions). What the
rollups are, and which writes move them, is in ``projects.triggers``; the PostgreSQL form is in
``rollups_postgresql``; what each rollup holds, recomputed from scratch, is ``projects.rollups.EXPECTED``.

A subtraction only ever updates an existing row (a row deleted with its chain stays deleted);
an addition inserts the row when it is missing. SQLite's triggers ignore
``pinghu.defer_rollups``: a bulk load keeps them firing (``projects.rollups.rollups_deferred``).
"""

from pinghu.triggers import Trigger

ADD_DAY = """INSERT INTO projects_visitday (date, visit_count, leader_count) VALUES ({date}, 1, {persons})
    ON CONFLICT (date) DO UPDATE SET visit_count = visit_count + 1,
        leader_count = leader_count + excluded.leader_count;"""
SUBTRACT_DAY = """UPDATE projects_visitday SET visit_count = visit_count - 1, leader_count = leader_count - {persons}
    WHERE date = {date};"""
ADD_DAY_CHAINS = """INSERT INTO projects_visitdaychain (date, chain_id, visit_count, leader_count)
    SELECT {date}, chain_id, 1, {persons} FROM projects_investmentvisit_chains WHERE investmentvisit_id = {visit}
    ON CONFLICT (date, chain_id) DO UPDATE SET visit_count = visit_count + 1,
        leader_count = leader_count + excluded.leader_count;"""
SUBTRACT_DAY_CHAINS = """UPDATE projects_visitdaychain SET visit_count = visit_count - 1,
        leader_count = leader_count - {persons}
    WHERE date = {date} AND chain_id IN
        (SELECT chain_id FROM projects_investmentvisit_chains WHERE investmentvisit_id = {visit});"""
ADD_LINK = """INSERT INTO projects_visitdaychain (date, chain_id, visit_count, leader_count)
    SELECT v.date, {row}.chain_id, 1, v.leader_count
    FROM projects_investmentvisit v WHERE v.id = {row}.investmentvisit_id
    ON CONFLICT (date, chain_id) DO UPDATE SET visit_count = visit_count + 1,
        leader_count = leader_count + excluded.leader_count;"""
SUBTRACT_LINK = """UPDATE projects_visitdaychain SET visit_count = visit_count - 1,
        leader_count = leader_count
            - (SELECT leader_count FROM projects_investmentvisit WHERE id = {row}.investmentvisit_id)
    WHERE chain_id = {row}.chain_id
      AND date = (SELECT date FROM projects_investmentvisit WHERE id = {row}.investmentvisit_id);"""
# A visit that changes date or leader count moves only if the rollup counted it: the guards keep
# a rollup emptied before its source rows (as Django's test flush does, in any table order) from
# being refilled with partial sums.
ADD_DAY_IF_COUNTED = """INSERT INTO projects_visitday (date, visit_count, leader_count)
    SELECT NEW.date, 1, NEW.leader_count WHERE EXISTS (SELECT 1 FROM projects_visitday WHERE date = OLD.date)
    ON CONFLICT (date) DO UPDATE SET visit_count = visit_count + 1,
        leader_count = leader_count + excluded.leader_count;"""
ADD_DAY_CHAINS_IF_COUNTED = """INSERT INTO projects_visitdaychain (date, chain_id, visit_count, leader_count)
    SELECT NEW.date, l.chain_id, 1, NEW.leader_count FROM projects_investmentvisit_chains l
    WHERE l.investmentvisit_id = NEW.id
      AND EXISTS (SELECT 1 FROM projects_visitdaychain d WHERE d.date = OLD.date AND d.chain_id = l.chain_id)
    ON CONFLICT (date, chain_id) DO UPDATE SET visit_count = visit_count + 1,
        leader_count = leader_count + excluded.leader_count;"""
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


def _after(name: str, event: str, table: str, body: str, when: str = "") -> Trigger:
    return Trigger(name, f"AFTER {event}", table, f"{when} BEGIN {body} END".lstrip())


def _old_new(template: str, row: str) -> str:
    return template.format(date=f"{row}.date", persons=f"{row}.leader_count", visit=f"{row}.id", row=row)


OBJECTS = [
    _after(
        "projects_visit_rollups_insert",
        "INSERT",
        "projects_investmentvisit",
        _old_new(ADD_DAY, "NEW") + _old_new(ADD_DAY_CHAINS, "NEW"),
    ),
    _after(
        "projects_visit_rollups_delete",
        "DELETE",
        "projects_investmentvisit",
        _old_new(SUBTRACT_DAY, "OLD") + _old_new(SUBTRACT_DAY_CHAINS, "OLD"),
    ),
    _after(
        "projects_visit_rollups_update",
        "UPDATE OF date, leader_count",
        "projects_investmentvisit",
        _old_new(SUBTRACT_DAY, "OLD")
        + ADD_DAY_IF_COUNTED
        + _old_new(SUBTRACT_DAY_CHAINS, "OLD")
        + ADD_DAY_CHAINS_IF_COUNTED
        + "UPDATE projects_visitproject SET visit_date = NEW.date WHERE visit_id = NEW.id;",
        when="WHEN OLD.date IS NOT NEW.date OR OLD.leader_count IS NOT NEW.leader_count",
    ),
    _after(
        "projects_visitchain_rollups_insert", "INSERT", "projects_investmentvisit_chains", ADD_LINK.format(row="NEW")
    ),
    _after(
        "projects_visitchain_rollups_delete",
        "DELETE",
        "projects_investmentvisit_chains",
        SUBTRACT_LINK.format(row="OLD"),
    ),
    _after(
        "projects_visitchain_rollups_update",
        "UPDATE",
        "projects_investmentvisit_chains",
        SUBTRACT_LINK.format(row="OLD") + ADD_LINK.format(row="NEW"),
    ),
    _after(
        "projects_stagechange_rollups_insert",
        "INSERT",
        "projects_projectstagechange",
        STAGE_ROWS.format(row="NEW", sign="1", upsert=PIPELINE_UPSERT),
    ),
    _after("projects_stagechange_rollups_delete", "DELETE", "projects_projectstagechange", STAGE_SUBTRACT),
    _after(
        "projects_stagechange_rollups_update",
        "UPDATE",
        "projects_projectstagechange",
        STAGE_SUBTRACT + STAGE_ROWS.format(row="NEW", sign="1", upsert=PIPELINE_UPSERT),
    ),
    _after(
        "projects_project_rollups_update",
        "UPDATE OF chain_id, total_investment",
        "projects_project",
        HISTORY_SUBTRACT + HISTORY_ROWS.format(row="NEW", sign="1", upsert=PIPELINE_UPSERT),
        when="WHEN OLD.chain_id IS NOT NEW.chain_id OR OLD.total_investment IS NOT NEW.total_investment",
    ),
    _after("projects_project_rollups_delete", "DELETE", "projects_project", HISTORY_SUBTRACT),
    _after("projects_visitproject_date_insert", "INSERT", "projects_visitproject", VISIT_DATE),
    _after("projects_visitproject_date_update", "UPDATE OF visit_id, visit_date", "projects_visitproject", VISIT_DATE),
]
