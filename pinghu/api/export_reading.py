"""How an export reads its rows: a chunk at a time, in one transaction, numbers and dates as text for a CSV.

``pinghu.api.export`` writes them (formats the cells, streams the CSV, builds the XLSX).
"""

from collections.abc import Callable, Iterator
from itertools import islice

from django.db import connections, transaction
from django.db.models import QuerySet, TextField
from django.db.models.functions import Cast
from django.db.models.sql.constants import MULTI


def converted(converters: list, expression, connection, then: Callable | None) -> Callable[[object], object]:
    """Django's converters of one selected column (as ``QuerySet.iterator`` applies them), then ``then``."""

    def convert(value):
        for converter in converters:
            value = converter(value, expression, connection)
        return value if then is None else then(value)

    return convert


def read_chunks(rows: QuerySet, chunk_size: int) -> Iterator[tuple[dict, list]]:
    """The rows as read, in lists of ``chunk_size``, by a server-side cursor in one transaction.

    Each list comes with the select's columns ({position: (converters, expression)}, the same each
    time): the caller applies the converters only to the columns that have any, with its formatting,
    rather than ``QuerySet.iterator``'s loop over every row (a tenth of a 100,000-row export).

    In a transaction the cursor needs no WITH HOLD, so PostgreSQL sends rows while they are written
    out instead of computing all of them first (and it works behind PgBouncer in transaction mode,
    where ``DISABLE_SERVER_SIDE_CURSORS`` reads them with a client-side cursor, as ``iterator()`` does).
    Its JIT compiler is off there: compiling an export's expressions took longer than running them
    (2.5 s of a 100,000-row export of projects); its dates are written as ISO dates (``read_as_text``).
    """
    connection = connections[rows.db]
    chunked = not connection.settings_dict.get("DISABLE_SERVER_SIDE_CURSORS")
    with transaction.atomic(using=rows.db):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
                cursor.execute("SET LOCAL DateStyle = 'ISO'")
        compiler = rows.query.get_compiler(using=rows.db)
        results = compiler.execute_sql(MULTI, chunked_fetch=chunked, chunk_size=chunk_size)
        selected = [select[0] for select in compiler.select[: compiler.col_count]]
        converters = compiler.get_converters(selected)
        columns = {
            position: (converters[position][0] if position in converters else [], expression)
            for position, expression in enumerate(selected)
        }
        try:
            # The cursor's fetches may be larger or smaller than chunk_size (a test sets it small).
            rows_read = (row for fetched in results for row in fetched)
            while chunk := list(islice(rows_read, chunk_size)):
                yield columns, chunk
        finally:
            if hasattr(results, "close"):
                results.close()  # the cursor, before the transaction ends (a download stopped halfway)


# The types PostgreSQL writes as text exactly as csv writes the Python value read (``read_as_text``).
_SAME_AS_TEXT = frozenset({"DecimalField", "DateField"})


def read_as_text(rows: QuerySet, columns: list) -> tuple[QuerySet, set[int]]:
    """``rows`` with each unformatted decimal and date column read as its text on PostgreSQL, and their positions.

    ``columns``: what each selected position holds (a path for the row's id, else a ``Column``). The text of a
    numeric keeps its scale, as ``str(Decimal)`` does (12.50, 0, 0.1250) whenever str writes no exponent (not
    below 10⁻⁶: 6 decimal places at most), and a date's is ``str(date)`` with ``DateStyle`` ISO (set by
    ``read_chunks``): the bytes of a CSV stay the same, without psycopg2 building a Decimal or a date for each
    value (a third of the reading of 100,000 projects). An XLSX keeps numbers and dates, so reads them as such.
    """
    compiler = rows.query.get_compiler(using=rows.db)
    compiler.setup_query()
    selected = [select[0] for select in compiler.select[: compiler.col_count]]
    operations = connections[rows.db].ops
    paths, positions = [], set()
    for position, (expression, column) in enumerate(zip(selected, columns, strict=True)):
        path = column if isinstance(column, str) else column.path
        field = expression.output_field
        kind = field.get_internal_type()
        if (
            not isinstance(column, str)
            and column.format is None
            # A backend's converter or a field's from_db_value would make another value than the text's (an
            # expression's own Decimal(value) of a decimal read changes nothing).
            and not operations.get_db_converters(expression)
            and not hasattr(field, "from_db_value")
            and kind in _SAME_AS_TEXT
            and (kind != "DecimalField" or (field.decimal_places is not None and field.decimal_places <= 6))
        ):
            path = Cast(path, TextField())
            positions.add(position)
        paths.append(path)
    if not positions:
        return rows, positions
    return rows.values_list(*paths), positions
