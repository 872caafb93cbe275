"""Bulk inserts for the demo generator: ``COPY … FROM STDIN`` on PostgreSQL, ``bulk_create`` elsewhere.

``bulk_create`` spends most of its time in Python (compiling one parameter per value, 300,000 model
instances for the link tables alone) and sends an INSERT of 10,000 rows at a time; ``COPY`` streams
the same rows as text. Both paths write the same values: objects get their primary keys from the
table's own sequence in the order given (as ``bulk_create`` returns them on PostgreSQL), the
timestamps every save would set are one ``now()``, and the row-level and statement-level triggers
fire for ``COPY`` as for an INSERT. SQLite (``make run``'s 300 projects) keeps ``bulk_create``.

Only the field types the demo writes are formatted here (text, numbers, decimals, dates, booleans,
foreign keys); a model with anything else goes through ``bulk_create``.
"""

import datetime
import io
from decimal import Decimal

from django.db import connection, models
from django.utils import timezone

COPY_BATCH = 50_000  # rows per COPY statement: bounded memory for the text buffer at 1,000,000 projects
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_COPYABLE = (
    models.AutoField,
    models.BigAutoField,
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.PositiveSmallIntegerField,
    models.PositiveIntegerField,
    models.DecimalField,
    models.DateField,  # DateTimeField is a subclass
    models.BooleanField,
    models.ForeignKey,
)


def _copy_text(value) -> str:
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return value.translate(_ESCAPES)
    if isinstance(value, datetime.date):  # datetimes too: ISO 8601 with their offset
        return value.isoformat()
    if isinstance(value, int | Decimal):
        return str(value)
    raise TypeError(f"No COPY text for {type(value).__name__}")


def _written_fields(model) -> list:
    """The columns an insert writes: every concrete field but generated ones."""
    return [field for field in model._meta.concrete_fields if not field.generated]


def _use_copy(model) -> bool:
    return connection.vendor == "postgresql" and all(isinstance(field, _COPYABLE) for field in _written_fields(model))


def _copy(model, columns: list[str], rows) -> None:
    quote = connection.ops.quote_name
    sql = f"COPY {quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
    with connection.cursor() as cursor:
        buffer, pending = io.StringIO(), 0
        for row in rows:
            buffer.write("\t".join(map(_copy_text, row)))
            buffer.write("\n")
            pending += 1
            if pending == COPY_BATCH:
                buffer.seek(0)
                cursor.cursor.copy_expert(sql, buffer)
                buffer, pending = io.StringIO(), 0
        if pending:
            buffer.seek(0)
            cursor.cursor.copy_expert(sql, buffer)


def _new_ids(model, count: int) -> list[int]:
    """``count`` ids from the table's sequence, in order, as the inserts of ``bulk_create`` would draw them."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s) ORDER BY 1",
            [model._meta.db_table, model._meta.pk.column, count],
        )
        return [row[0] for row in cursor.fetchall()]


def insert_objects(objs: list, *, batch_size: int) -> list:
    """Insert unsaved instances of one model and set their primary keys; ``bulk_create`` where COPY cannot."""
    if not objs:
        return objs
    model = type(objs[0])
    if not _use_copy(model):
        return model.objects.bulk_create(objs, batch_size=batch_size)
    if hasattr(model, "search_spec"):
        from pinghu.search import fill_search_keys

        fill_search_keys(objs)  # as the model's queryset does in bulk_create
    now = timezone.now()
    fields = _written_fields(model)
    stamped = [f.attname for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    for obj, pk in zip(objs, _new_ids(model, len(objs)), strict=True):
        obj.pk = pk
        for attname in stamped:
            setattr(obj, attname, now)
        obj._state.adding, obj._state.db = False, connection.alias
    attnames = [f.attname for f in fields]
    _copy(model, [f.column for f in fields], ([getattr(obj, a) for a in attnames] for obj in objs))
    return objs


def insert_rows(model, attnames: list[str], rows: list[tuple], *, batch_size: int) -> int:
    """Insert rows given as tuples of ``attnames`` values (link tables: no instances, no ids read back).

    The timestamps of the model (created_at, updated_at) are filled in; other fields take their defaults.
    """
    if not rows:
        return 0
    if not _use_copy(model):
        model.objects.bulk_create(
            [model(**dict(zip(attnames, row, strict=True))) for row in rows], batch_size=batch_size
        )
        return len(rows)
    fields = {f.attname: f for f in _written_fields(model) if not f.primary_key}
    now = timezone.now()
    extra, extra_values = [], []
    for attname, field in fields.items():
        if attname in attnames:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            extra.append(attname)
            extra_values.append(now)
        elif field.has_default():
            extra.append(attname)
            extra_values.append(field.get_default())
        elif field.null:
            continue  # NULL, as bulk_create would write
        else:
            extra.append(attname)
            extra_values.append(field.get_default())  # "" for text, as an instance would hold
    tail = tuple(extra_values)
    _copy(model, [fields[a].column for a in [*attnames, *extra]], (row + tail for row in rows))
    return len(rows)
