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
from django.db.models.base import ModelState
from django.utils import timezone

from .bulk_aside import set_aside

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


class InstanceMaker:
    """Makes unsaved instances of ``model`` from field values without running ``Model.__init__``.

    ``__init__`` resolves every keyword against the model's fields and sends two signals per instance:
    at 100,000 projects and 200,000 visits that was a fifth of the generator's Python time. The instances
    made here hold the same attributes (every concrete field's default, then the values given; a related
    object given by its field's name is cached as ``__init__`` caches it), so the code that reads them
    and both insert paths (``bulk_create``, COPY) see what they would see. Generated fields are left
    unset, as ``__init__`` leaves them (reading one loads it from the database); a keyword that names no
    field is refused, as ``__init__`` refuses it. A related object is stored by its primary key: no
    foreign key in the project points at another field (``to_field``). Nothing in the project listens
    to ``pre_init``/``post_init``; a model that needs them must not be made here.
    """

    def __init__(self, model) -> None:
        self.model = model
        fields = [f for f in model._meta.concrete_fields if f.column is not None and not f.generated]
        # Callable defaults are called per instance (a fresh value each, as __init__ does).
        self.defaults = {f.attname: f.get_default() for f in fields if not (f.has_default() and callable(f.default))}
        self.callables = [(f.attname, f.get_default) for f in fields if f.has_default() and callable(f.default)]
        self.relations = {f.name: f.attname for f in fields if f.is_relation}
        self.names = {f.name for f in fields} | {f.attname for f in fields}

    def __call__(self, **values):
        """An unsaved instance with the defaults and ``values`` (field names or attnames, as ``Model(**values)``)."""
        unknown = values.keys() - self.names
        if unknown:
            raise TypeError(f"{self.model.__name__} has no field named {', '.join(sorted(unknown))}")
        obj = self.model.__new__(self.model)
        attributes = dict(self.defaults)
        for attname, get_default in self.callables:
            attributes[attname] = get_default()
        state = ModelState()
        for name, value in values.items():
            attname = self.relations.get(name)
            if attname is not None and attname != name:
                attributes[attname] = None if value is None else value.pk
                state.fields_cache[name] = value
            else:
                attributes[name] = value
        attributes["_state"] = state
        obj.__dict__.update(attributes)
        return obj


def _copy_text_of(value) -> str:
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


# The formatter of each type met so far, so a value costs one dict look-up rather than a chain of
# isinstance tests (1,300,000 values at 10,000 projects). Subclasses (a choice's str enum) are added
# on first sight with the formatter their base gets.
_FORMATS = {
    type(None): _copy_text_of,
    bool: _copy_text_of,
    str: lambda value: value.translate(_ESCAPES),
    int: str,
    Decimal: str,
    datetime.date: datetime.date.isoformat,
    datetime.datetime: datetime.datetime.isoformat,
}


def _copy_text(value) -> str:
    """``value`` in COPY's text format: the formatter of the value's exact type, else the general rules."""
    format_value = _FORMATS.get(type(value))
    if format_value is None:
        text = _copy_text_of(value)  # raises for a type COPY cannot take
        base = next(kind for kind in (str, int, Decimal, datetime.datetime, datetime.date) if isinstance(value, kind))
        format_value = _FORMATS[type(value)] = _FORMATS[base]
        return text
    return format_value(value)


def _written_fields(model) -> list:
    """The columns an insert writes: every concrete field but generated ones."""
    return [field for field in model._meta.concrete_fields if not field.generated]


def _use_copy(model) -> bool:
    return connection.vendor == "postgresql" and all(isinstance(field, _COPYABLE) for field in _written_fields(model))


def uses_copy(model) -> bool:
    """Whether ``insert_objects``/``insert_rows`` write ``model`` by COPY (where ``triggers_aside`` stand aside)."""
    return _use_copy(model)


def _copy(model, columns: list[str], rows, *, count: int, tail: dict | None = None, triggers: tuple = ()) -> None:
    """COPY ``count`` rows of ``columns``, each followed by the values of ``tail`` (column → the same value for
    every row, formatted once: 2,700,000 timestamps at 100,000 projects), with the table's keys and indexes
    set aside when that many rows make it worth it."""
    tail = tail or {}
    end = "".join(f"\t{_copy_text(value)}" for value in tail.values()) + "\n"
    with set_aside(model, rows=count, triggers=triggers):
        _copy_batches(model, [*columns, *tail], rows, end)


def _copy_batches(model, columns: list[str], rows, end: str) -> None:
    quote = connection.ops.quote_name
    sql = f"COPY {quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
    with connection.cursor() as cursor:
        buffer, pending = io.StringIO(), 0
        for row in rows:
            buffer.write("\t".join(map(_copy_text, row)))
            buffer.write(end)
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


def insert_objects(objs: list, *, batch_size: int, aside: bool = True) -> list:
    """Insert unsaved instances of one model and set their primary keys; ``bulk_create`` where COPY cannot.

    ``aside``: whether the table's keys and indexes may be set aside (``projects.bulk_aside``) for a large load;
    not for a table others read while the load runs (setting a key aside locks the table it points at).
    """
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
    varying = [f for f in fields if f.attname not in stamped]
    attnames = [f.attname for f in varying]
    values = ([getattr(obj, a) for a in attnames] for obj in objs)
    tail = {f.column: now for f in fields if f.attname in stamped}
    _copy(model, [f.column for f in varying], values, count=len(objs) if aside else 0, tail=tail)
    return objs


def insert_rows(
    model, attnames: list[str], rows: list[tuple], *, batch_size: int, triggers_aside: tuple[str, ...] = ()
) -> int:
    """Insert rows given as tuples of ``attnames`` values (link tables: no instances, no ids read back).

    The timestamps of the model (created_at, updated_at) are filled in; other fields take their defaults.
    On the COPY path (``uses_copy``) the triggers named in ``triggers_aside`` do not fire: the caller has
    written what they would write.
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
    tail = {fields[a].column: value for a, value in zip(extra, extra_values, strict=True)}
    columns = [fields[a].column for a in attnames]
    _copy(model, columns, rows, count=len(rows), tail=tail, triggers=triggers_aside)
    return len(rows)
