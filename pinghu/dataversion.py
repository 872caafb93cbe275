"""The data version: a value the database changes, in the writing transaction, with every write to the tables apps name.

Pages that cache figures key them on it (the dashboard and chain pages do): whatever path a write
takes (a service, the admin, an import, a restore, ``QuerySet.update()``, a deletion, raw SQL), a
trigger changes the version in the same transaction, so the next view after the commit computes
the figures again. Nothing has to remember to invalidate a cache.

The value lives in ``pinghu_dataversion`` (``DataVersion``), a few slots whose values only grow.
On PostgreSQL one statement-level trigger per table takes a slot that no other transaction holds
(``FOR UPDATE SKIP LOCKED``, preferring the connection's own), so writers never wait for each
other or deadlock on the version; when every slot is held, the transaction adds a slot of its
own. On SQLite (one writer at a time) row-level triggers move slot 0. A bump sets the slot to
the current time in microseconds, or one more than before if that is larger: after a flush or a
restored backup the version never repeats a value that stood for other data.

A reader takes the version before it computes: a writer's bump becomes visible with its rows at
commit, so figures cached under a version are at least as new as that version.

Apps declare which of their tables feed cached figures (``triggers(prefix, tables)`` in their
``triggers`` module); migration ``pinghu.0009`` creates the table and, reversed, drops every
registered set first. Not here: any app's table names.
"""

from __future__ import annotations

from collections.abc import Sequence

from .triggers import Function, Trigger, TriggerSet

MIGRATION = ("pinghu", "0009_data_version")
SLOTS = 8  # PostgreSQL: how many writers can commit at once without adding a slot

# Every set made by ``trigger_set``, so that reversing migration 0009 can drop them all.
REGISTERED: list[TriggerSet] = []

_PG_CLOCK = "(EXTRACT(EPOCH FROM clock_timestamp()) * 1000000)::bigint"
_SQLITE_CLOCK = "CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER)"


def _postgresql_function(prefix: str) -> Function:
    return Function(
        f"{prefix}_data_version_bump",
        arguments="",
        returns="trigger",
        language="plpgsql",
        body=f"""
    DECLARE
        chosen bigint;
    BEGIN
        SELECT slot INTO chosen FROM pinghu_dataversion
            ORDER BY slot = pg_backend_pid() % {SLOTS} DESC, slot LIMIT 1 FOR UPDATE SKIP LOCKED;
        IF chosen IS NULL THEN
            -- Every slot is held by another writer (or none exists yet): one of this transaction's own.
            chosen := {SLOTS} + txid_current();
            INSERT INTO pinghu_dataversion (slot, version) VALUES (chosen, 0) ON CONFLICT (slot) DO NOTHING;
        END IF;
        UPDATE pinghu_dataversion SET version = GREATEST(version + 1, {_PG_CLOCK}) WHERE slot = chosen;
        RETURN NULL;
    END;
    """,
    )


def _sqlite_bump() -> str:
    return f"""BEGIN
        INSERT INTO pinghu_dataversion (slot, version) VALUES (0, {_SQLITE_CLOCK})
        ON CONFLICT (slot) DO UPDATE SET version = MAX(version + 1, {_SQLITE_CLOCK});
    END"""


def trigger_set(prefix: str, tables: Sequence[str]) -> TriggerSet:
    """The triggers that bump the data version on every write to ``tables`` (an app's own), registered."""
    function = _postgresql_function(prefix)
    postgresql: list[Function | Trigger] = [function]
    sqlite: list[Function | Trigger] = []
    for table in tables:
        postgresql.append(
            Trigger(
                f"{table}_data_version",
                "AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE",
                table,
                f"FOR EACH STATEMENT EXECUTE FUNCTION {function.name}()",
            )
        )
        sqlite += [
            Trigger(f"{table}_data_version_{event.lower()}", f"AFTER {event}", table, _sqlite_bump())
            for event in ("INSERT", "UPDATE", "DELETE")
        ]
    result = TriggerSet(
        f"data-version triggers of {prefix}",
        migration=MIGRATION,
        objects={"postgresql": postgresql, "sqlite": sqlite},
    )
    REGISTERED.append(result)
    return result


def current() -> str:
    """The data version now, in one query: every slot and its value (empty before the first write)."""
    from .models import DataVersion

    return ",".join(f"{slot}:{version}" for slot, version in DataVersion.objects.order_by("slot").values_list())
