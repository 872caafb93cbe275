"""A table's foreign keys and secondary indexes set aside for a bulk load on PostgreSQL, and put back after it.

Django declares every foreign key ``DEFERRABLE INITIALLY DEFERRED``: each inserted row queues a check that
runs at the commit, one look-up per row and key (about 15 s of the demo's commit at 100,000 projects), and
each secondary index is updated row by row (18 on the projects, two of them trigram GIN). Dropping them before
the load and adding them back after it is PostgreSQL's own advice for bulk loads ("Populating a Database"):
``ADD CONSTRAINT … FOREIGN KEY`` checks every row in one join and ``CREATE INDEX`` sorts once.

Safe because it happens inside the load's transaction (``ALTER TABLE`` and ``DROP INDEX`` are transactional:
a failure rolls the schema back with the rows) and the definitions put back are the catalogue's own
(``pg_get_constraintdef``, ``pg_get_indexdef``), names included; the keys are checked again over the whole
table when added, so a row that breaks one fails the load, at the end rather than at the commit. Indexes
that back a constraint (primary keys, unique constraints) stay: other keys point at them, and they check
rows as they come. While set aside, the tables are locked against other sessions (``ACCESS EXCLUSIVE``)
until the commit, as a bulk load in one transaction is anyway for the rows' readers.

Only worth it when the load is large against what the table holds (rebuilding the indexes of a million
rows to add three hundred would be slower): below ``MIN_ROWS`` or the table's size, nothing is set aside.
Elsewhere (SQLite) it does nothing.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection

MIN_ROWS = 20_000
# For the index builds only (the setting is put back after them): each build sorts in memory.
INDEX_BUILD_MEMORY = "256MB"

_KEYS = """SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
    WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname"""
_INDEXES = """SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
    WHERE x.indrelid = %s::regclass AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
    ORDER BY i.relname"""


def _worth_it(cursor, tables: list[str], rows: int) -> bool:
    if rows < MIN_ROWS:
        return False
    # reltuples: the planner's estimate (-1 for a table never analysed): enough to tell 300 from 1,000,000.
    cursor.execute("SELECT COALESCE(MAX(reltuples), 0) FROM pg_class WHERE oid = ANY(%s::regclass[])", [tables])
    return rows >= cursor.fetchone()[0]


@contextmanager
def set_aside(*models, rows: int, triggers: tuple[str, ...] = ()) -> Iterator[None]:
    """Within the block, the tables of ``models`` have no foreign keys and no secondary indexes when ``rows`` new
    rows make it worth it, and the ``triggers`` named (on the first model's table) are disabled in any case.

    Must run inside a transaction (``transaction.atomic``). PostgreSQL only: elsewhere nothing is set aside
    and the triggers fire, so a caller that disables one writes what it would have written on PostgreSQL only.
    """
    if connection.vendor != "postgresql":
        yield
        return
    tables = [model._meta.db_table for model in models]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        saved = []
        if _worth_it(cursor, tables, rows):
            for table in tables:
                cursor.execute(_KEYS, [table])
                keys = cursor.fetchall()
                cursor.execute(_INDEXES, [table])
                saved.append((table, keys, cursor.fetchall()))
        if not saved and not triggers:
            yield
            return
        # ALTER TABLE refuses a table with queued trigger events: run the queued key checks now (Django's own
        # SET CONSTRAINTS ALL IMMEDIATE, then DEFERRED: every key here is initially deferred).
        connection.check_constraints()
        for table, keys, indexes in saved:
            for name, _definition in keys:
                cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
            for name, _definition in indexes:
                cursor.execute(f"DROP INDEX {quote(name)}")
        for trigger in triggers:
            cursor.execute(f"ALTER TABLE {quote(tables[0])} DISABLE TRIGGER {quote(trigger)}")
    yield
    with connection.cursor() as cursor:
        connection.check_constraints()
        for trigger in triggers:
            cursor.execute(f"ALTER TABLE {quote(tables[0])} ENABLE TRIGGER {quote(trigger)}")
        _put_back(cursor, saved)


def _put_back(cursor, saved: list) -> None:
    """Build the indexes again (with more memory for their sorts), then add the keys, each checked over its table."""
    quote = connection.ops.quote_name
    cursor.execute("SELECT current_setting('maintenance_work_mem')")
    memory = cursor.fetchone()[0]
    cursor.execute("SELECT set_config('maintenance_work_mem', %s, true)", [INDEX_BUILD_MEMORY])
    for _table, _keys, indexes in saved:
        for _name, definition in indexes:
            cursor.execute(definition)
    cursor.execute("SELECT set_config('maintenance_work_mem', %s, true)", [memory])
    for table, keys, _indexes in saved:
        for name, definition in keys:
            cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")
