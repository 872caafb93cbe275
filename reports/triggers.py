"""The reports app's database triggers: a closed report version can be neither changed nor deleted.

A ``ReportVersion`` is the figures as they were sent upward. Whatever path a write takes (the ORM's
``QuerySet.update()``, the admin, the API, an import, raw SQL), an UPDATE of a version row raises,
and so does a DELETE. On SQLite, the test runner's flush deletes every table's rows with ``DELETE``
(PostgreSQL's uses ``TRUNCATE``, which row triggers do not see): there a version may go only in a
transaction that has already deleted its report, which no report page, API or admin path does (the
report's foreign key protects it). Installed by migration ``0002`` and again after every ``migrate``
(``install_after_migrate``, connected in ``ReportsConfig.ready``), on the machinery of ``pinghu.triggers``.
"""

from django.db import DEFAULT_DB_ALIAS, connections

from pinghu.triggers import Function, Trigger, TriggerSet, drop_sets, install_migrated, install_sets

MESSAGE = "reports_reportversion_immutable: a closed report version cannot be changed or deleted"
TABLE = "reports_reportversion"

POSTGRESQL = [
    Function(
        "reports_reportversion_immutable",
        arguments="",
        returns="trigger",
        language="plpgsql",
        body=f"""
    BEGIN
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
    END;
    """,
    ),
    Trigger(
        "reports_reportversion_immutable",
        "BEFORE UPDATE OR DELETE",
        TABLE,
        "FOR EACH ROW EXECUTE FUNCTION reports_reportversion_immutable()",
    ),
]
SQLITE = [
    Trigger("reports_reportversion_no_update", "BEFORE UPDATE", TABLE, f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"),
    Trigger(
        "reports_reportversion_no_delete",
        "BEFORE DELETE",
        TABLE,
        f"""WHEN EXISTS (SELECT 1 FROM reports_report r WHERE r.id = OLD.report_id)
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    ),
]

IMMUTABLE = TriggerSet(
    "closed report version triggers",
    migration=("reports", "0002_immutable_versions"),
    objects={"postgresql": POSTGRESQL, "sqlite": SQLITE},
)
TRIGGER_SETS = [IMMUTABLE]


def install(connection) -> None:
    """Create every trigger of the app on ``connection``, replacing what is there (idempotent)."""
    install_sets(connection, TRIGGER_SETS)


def drop(connection) -> None:
    """Drop every trigger (and trigger function) of the app that exists on ``connection``."""
    drop_sets(connection, TRIGGER_SETS)


def install_after_migrate(sender, using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    """``post_migrate`` receiver for the reports app: the triggers, again, on the database just migrated."""
    install_migrated(connections[using], TRIGGER_SETS)
