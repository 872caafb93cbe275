"""Database triggers as declarations: the machinery each app's ``triggers`` module builds on.

An app declares its triggers once, in its own ``triggers`` module (or package), as ``TriggerSet``s
of PostgreSQL ``Function``s and ``Trigger``s written per database vendor. From a declaration
this module makes the statements that install it over
whatever is already there (``CREATE OR REPLACE FUNCTION``; ``DROP TRIGGER IF EXISTS`` then
``CREATE TRIGGER``), so installing twice is the same as installing once, and the statements that
drop it. ``install_migrated`` is what an app's ``post_migrate`` receiver calls: on SQLite, Django
alters a table by copying it, and the copy has none of the old table's triggers.

Not here: any app's SQL or table names (``pinghu`` names no model of the apps above it), and
the data the triggers keep (recomputing it is the business of the app that declares them).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.migrations.recorder import MigrationRecorder


@dataclass(frozen=True)
class Function:
    """A PostgreSQL function: one a trigger executes, or a helper such a function calls."""

    name: str
    # As written in CREATE FUNCTION, names included: DROP FUNCTION accepts the same list.
    arguments: str
    returns: str
    language: str
    body: str

    def install(self, vendor: str) -> list[str]:
        return [
            f"CREATE OR REPLACE FUNCTION {self.name}({self.arguments}) RETURNS {self.returns} AS $$"
            f"{self.body}$$ LANGUAGE {self.language}"
        ]

    def drop(self, vendor: str) -> list[str]:
        return [f"DROP FUNCTION IF EXISTS {self.name}({self.arguments})"]


@dataclass(frozen=True)
class Trigger:
    """``CREATE TRIGGER <name> <event> ON <table> <action>``, for the vendor it is listed under."""

    name: str
    event: str  # timing and event, e.g. "AFTER UPDATE OF date"
    table: str
    action: str  # what follows the table: FOR EACH … EXECUTE FUNCTION …, or SQLite's WHEN … BEGIN … END

    def install(self, vendor: str) -> list[str]:
        # Dropped first: SQLite has no CREATE OR REPLACE TRIGGER (PostgreSQL only since 14), and
        # the same two statements then serve both.
        return [*self.drop(vendor), f"CREATE TRIGGER {self.name} {self.event} ON {self.table} {self.action}"]

    def drop(self, vendor: str) -> list[str]:
        # SQLite's trigger names belong to the schema, PostgreSQL's to their table.
        return [f"DROP TRIGGER IF EXISTS {self.name}" + (f" ON {self.table}" if vendor == "postgresql" else "")]


@dataclass(frozen=True)
class TriggerSet:
    """Triggers (and their functions) installed and dropped together: what one migration first created.

    ``objects`` lists, per vendor, what to create in the order to create it (a function before
    the triggers that execute it); dropping goes the other way.
    """

    description: str  # for messages: "rollup triggers"
    # The migration that first installs the set; before it is applied, the tables (or columns)
    # the triggers name may not exist yet, or its reversal has emptied what they keep.
    migration: tuple[str, str]
    objects: Mapping[str, Sequence[Function | Trigger]]

    def _objects(self, vendor: str) -> Sequence[Function | Trigger]:
        if vendor not in self.objects:
            raise NotImplementedError(f"No {self.description} written for the {vendor} database.")
        return self.objects[vendor]

    def tables(self, vendor: str) -> set[str]:
        return {item.table for item in self._objects(vendor) if isinstance(item, Trigger)}

    def install_statements(self, vendor: str) -> list[str]:
        return [statement for item in self._objects(vendor) for statement in item.install(vendor)]

    def drop_statements(self, vendor: str) -> list[str]:
        return [statement for item in reversed(self._objects(vendor)) for statement in item.drop(vendor)]

    def install(self, connection) -> None:
        """Create the set, replacing what is there, in one transaction: no write sees it half installed."""
        _execute(connection, self.install_statements(connection.vendor))

    def drop(self, connection) -> None:
        _execute(connection, self.drop_statements(connection.vendor))


def _execute(connection, statements: list[str]) -> None:
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def install_sets(connection, trigger_sets: Sequence[TriggerSet]) -> None:
    """Install the sets in order, in one transaction: what an app's ``install(connection)`` does."""
    with transaction.atomic(using=connection.alias):
        for trigger_set in trigger_sets:
            trigger_set.install(connection)


def drop_sets(connection, trigger_sets: Sequence[TriggerSet]) -> None:
    """Drop the sets, the last one first, in one transaction."""
    with transaction.atomic(using=connection.alias):
        for trigger_set in reversed(trigger_sets):
            trigger_set.drop(connection)


def install_migrated(connection, trigger_sets: Sequence[TriggerSet]) -> list[TriggerSet]:
    """Install the sets whose migration is applied and whose tables exist on ``connection``; return them.

    For a ``post_migrate`` receiver: it runs after every ``migrate`` (whatever it migrated, and
    to whichever point) and after a test database's flush. A set whose migration is not applied
    is left alone: its tables or columns may be missing, or that migration's reversal dropped the
    triggers and emptied the rows they keep, which new triggers would then refill partially.
    """
    applied = MigrationRecorder(connection).applied_migrations()
    existing = set(connection.introspection.table_names())
    due = [s for s in trigger_sets if s.migration in applied and s.tables(connection.vendor) <= existing]
    install_sets(connection, due)
    return due
