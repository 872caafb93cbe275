"""``update_rows``: write many model instances' own values in a few statements (``UPDATE … FROM`` a list of values).

Django's ``bulk_update`` builds one ``CASE WHEN pk = … THEN …`` expression per field and object: at
10,000 rows and 30 fields the expressions cost seconds to build and the database compares every row
with every branch. Here each batch is one ``WITH v(…) AS (VALUES …) UPDATE … FROM v`` statement
(PostgreSQL, and SQLite since 3.33), so a trigger for each statement (the rollups, the data version)
fires once a batch instead of once a row. The values are prepared by the fields themselves, as
``save()`` prepares them. Search keys are filled as ``bulk_update`` fills them when a source field
is written. No signals are sent and no history is written: the caller records the history
(``pinghu.history.record_history``).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import DEFAULT_DB_ALIAS, connections, models

from .search import fill_search_keys

MAX_BATCH = 1000


def update_rows(model: type[models.Model], objs: Sequence[models.Model], fields: Sequence[str]) -> int:
    """UPDATE ``fields`` of each of ``objs`` (saved instances of ``model``) to its values; returns rows updated."""
    objs = list(objs)
    if not objs or not fields:
        return 0
    # The connection itself, not the ``django.db.connection`` proxy: each value's preparation reads its
    # operations, and each read through the proxy is a look-up of the current context's connection.
    connection = connections[DEFAULT_DB_ALIAS]
    names = list(dict.fromkeys(fields))
    spec = getattr(model, "search_spec", None)
    if spec is not None and spec.key and set(names) & set(spec.key_sources):
        objs, names = fill_search_keys(objs), [*names, spec.key]
    pk = model._meta.pk
    columns = [model._meta.get_field(name) for name in names]
    size = max(1, min(MAX_BATCH, connection.ops.bulk_batch_size([pk, *columns], objs)))
    quote = connection.ops.quote_name
    aliases = [f"c{position}" for position in range(len(columns) + 1)]
    postgresql = connection.vendor == "postgresql"

    def value(alias: str, field) -> str:
        # PostgreSQL types a column of VALUES from its literals (a column of NULLs is text): cast it back.
        return f"CAST(v.{alias} AS {field.cast_db_type(connection)})" if postgresql else f"v.{alias}"

    assignments = ", ".join(
        f"{quote(field.column)} = {value(alias, field)}" for alias, field in zip(aliases[1:], columns, strict=True)
    )
    table = quote(model._meta.db_table)
    placeholder = "(" + ", ".join(["%s"] * len(aliases)) + ")"
    updated = 0
    with connection.cursor() as cursor:
        for start in range(0, len(objs), size):
            batch = objs[start : start + size]
            params = []
            for obj in batch:
                params.append(pk.get_db_prep_save(obj.pk, connection))
                params += [field.get_db_prep_save(getattr(obj, field.attname), connection) for field in columns]
            cursor.execute(
                f"WITH v ({', '.join(aliases)}) AS (VALUES {', '.join([placeholder] * len(batch))}) "
                f"UPDATE {table} SET {assignments} FROM v WHERE {table}.{quote(pk.column)} = {value('c0', pk)}",
                params,
            )
            updated += cursor.rowcount
    return updated
