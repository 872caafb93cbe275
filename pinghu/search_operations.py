"""Migration operations of the site's search (``pg_trgm`` and its GIN trigram indexes), on PostgreSQL only.

SQLite has neither; there the operations do nothing and the search runs as plain ``LIKE`` scans.
The indexes are not in the models' ``Meta.indexes`` (SQLite could not create them), so they leave the
migration state alone and are dropped again when the migration is reversed.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


def _postgres(schema_editor) -> bool:
    return schema_editor.connection.vendor == "postgresql"


class EnableTrigrams(TrigramExtension):
    """``CREATE EXTENSION pg_trgm`` on PostgreSQL; nothing on other databases."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if _postgres(schema_editor):
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        # Other apps' indexes may still use the extension: leave it installed.
        return None


class AddTrigramIndex(migrations.operations.base.Operation):
    """A GIN trigram index on ``field`` of ``model_name`` (on ``UPPER(field)`` when ``upper``), PostgreSQL only.

    ``upper`` serves ``icontains`` (Django compares ``UPPER(column::text)``); without it the index
    serves ``contains`` on a key column that is stored in lower case.
    """

    reduces_to_sql = True
    reversible = True

    def __init__(self, model_name: str, field: str, upper: bool = False):
        self.model_name, self.field, self.upper = model_name, field, upper

    def deconstruct(self):
        return self.__class__.__name__, [], {"model_name": self.model_name, "field": self.field, "upper": self.upper}

    def state_forwards(self, app_label, state):
        return None

    def _names(self, app_label, schema_editor, state):
        model = state.apps.get_model(app_label, self.model_name)
        table = model._meta.db_table
        column = model._meta.get_field(self.field).column
        quote = schema_editor.quote_name
        return quote(f"{table}_{column}_trgm"[:63]), quote(table), quote(column)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if not _postgres(schema_editor):
            return
        index, table, column = self._names(app_label, schema_editor, to_state)
        expression = f"UPPER(({column})::text)" if self.upper else column
        schema_editor.execute(f"CREATE INDEX {index} ON {table} USING gin ({expression} gin_trgm_ops)")

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if _postgres(schema_editor):
            index, _table, _column = self._names(app_label, schema_editor, from_state)
            schema_editor.execute(f"DROP INDEX IF EXISTS {index}")

    def describe(self):
        return f"Trigram index on {self.model_name}.{self.field} (PostgreSQL only)"


class AddCharsIndex(AddTrigramIndex):
    """A GIN index of the characters of ``UPPER(field)`` (``pinghu.search_short.HasChars``), PostgreSQL only.

    Serves the search's patterns of one or two characters, which have no trigram. The elements compare in
    the "C" collation (bytes), which builds it a fifth faster than the database's C.UTF-8; the condition
    names the same collation, as an index is used only for its own.
    """

    def __init__(self, model_name: str, field: str):
        super().__init__(model_name, field, upper=True)

    def deconstruct(self):
        return self.__class__.__name__, [], {"model_name": self.model_name, "field": self.field}

    def _names(self, app_label, schema_editor, state):
        _index, table, column = super()._names(app_label, schema_editor, state)
        model = state.apps.get_model(app_label, self.model_name)
        name = f"{model._meta.db_table}_{model._meta.get_field(self.field).column}_chars"[:63]
        return schema_editor.quote_name(name), table, column

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if not _postgres(schema_editor):
            return
        from pinghu.search_short import chars_sql

        index, table, column = self._names(app_label, schema_editor, to_state)
        schema_editor.execute(f'CREATE INDEX {index} ON {table} USING gin (({chars_sql(column)}) COLLATE "C")')

    def describe(self):
        return f"Character index on {self.model_name}.{self.field} (PostgreSQL only)"


class AnalyzeTables(migrations.operations.base.Operation):
    """``ANALYZE`` the tables of ``model_names`` on PostgreSQL (nothing elsewhere, nothing to reverse).

    After ``AddCharsIndex``: the planner's estimate of the index's condition comes from the statistics of
    the indexed expression, which only ``ANALYZE`` gathers (autovacuum would not until the table changes);
    without them it expects 0.5 % of the rows for any character and reads the index for ``企`` too.
    """

    reduces_to_sql = True
    reversible = True
    elidable = True

    def __init__(self, model_names: list[str]):
        self.model_names = list(model_names)

    def deconstruct(self):
        return self.__class__.__name__, [], {"model_names": self.model_names}

    def state_forwards(self, app_label, state):
        return None

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if _postgres(schema_editor):
            for model_name in self.model_names:
                table = to_state.apps.get_model(app_label, model_name)._meta.db_table
                schema_editor.execute(f"ANALYZE {schema_editor.quote_name(table)}")

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        return None

    def describe(self):
        return f"ANALYZE {', '.join(self.model_names)} (PostgreSQL only)"


def backfill_search_keys(model_name: str, sources: tuple[str, ...], key: str = "search_key") -> migrations.RunPython:
    """Fill the key column of the rows already recorded (reversing leaves it to the field's removal)."""

    def forwards(apps, schema_editor):
        from pinghu.search import pinyin_key

        model = apps.get_model(*model_name.split("."))
        rows = model._base_manager.using(schema_editor.connection.alias).only("pk", *sources).order_by("pk")
        batch = []
        for row in rows.iterator(chunk_size=2000):
            setattr(row, key, pinyin_key(*(str(getattr(row, name) or "") for name in sources)))
            batch.append(row)
            if len(batch) == 2000:
                model._base_manager.bulk_update(batch, [key])
                batch = []
        model._base_manager.bulk_update(batch, [key])

    return migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)
