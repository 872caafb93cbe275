"""``?format=csv`` and ``?format=xlsx`` on API lists: the same filters, Chinese headers, streamed.

Rows come from the compiled ``values_list(...)`` query a fetched chunk at a time (a server-side
cursor), so memory stays flat whatever the number of rows: CSV is streamed as it is produced;
XLSX is written by openpyxl's write-only workbook to a temporary file, which is then streamed and
removed. The rows are read from the read replica when one is configured
(``pinghu.read_replica.read_alias``); with PgBouncer in transaction mode
(``DISABLE_SERVER_SIDE_CURSORS``) the chunks come from a client-side cursor, as ``iterator()`` does.
"""

import csv
import datetime
import io
import json
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import islice
from operator import methodcaller

from django.db import connections
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from rest_framework.exceptions import PermissionDenied
from rest_framework.renderers import BaseRenderer, JSONRenderer

from pinghu.choices import UNKNOWN_LABEL
from pinghu.permissions import EXPORT, may
from pinghu.read_replica import read_alias

from .export_reading import converted, read_as_text, read_chunks

CHUNK_SIZE = 2000
# Marks a formatter with few possible inputs (a choice, a yes/no): an export computes each of its cells once.
FEW_VALUES = "few_values"
# A cell starting with one of these is a formula in Excel, WPS or LibreOffice (the full-width forms
# too: a Chinese input method types them, and spreadsheets read them as the half-width ones); prefix
# it with ' so data never runs as one. The import takes the ' off again (unescape_formula).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


@dataclass(frozen=True)
class Column:
    """One exported column: a ``values_list`` path, its header and an optional formatter.

    With ``many`` set, ``path`` is a many-to-many field and ``many`` the related field to show (or
    ``STR`` for each related row as it prints): the cell lists the related rows joined by 、 (read
    per chunk of rows, one query each).
    """

    path: str
    header: object
    format: Callable[[object], object] | None = None
    many: str | None = None

    def cell(self, value):
        """The value as exported: formatted, except an empty one (unless the formatter writes unknowns, 未知)."""
        if self.format is None or (value is None and not getattr(self.format, "writes_unknown", False)):
            return value
        return self.format(value)


# Between the names of a many-to-many cell; the import splits on it (pinghu.imports).
MANY_SEPARATOR = "、"
# ``Column.many`` for related rows shown as they print (a person as 姓名（职务）, say, which the import reads back).
STR = "__str__"


def _related_values(model, column: Column, ids: list, alias: str) -> dict:
    """{row id: "a、b"} for a many-to-many column, in one query over its link table."""
    field = model._meta.get_field(column.path)
    through = field.remote_field.through
    source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
    values: dict = {}
    links = through.objects.using(alias).filter(**{f"{source}__in": ids})
    if column.many == STR:
        ordering = [
            f"-{target}__{name[1:]}" if name.startswith("-") else f"{target}__{name}"
            for name in field.related_model._meta.ordering or ["pk"]
        ]
        links = links.select_related(target).order_by(*ordering)
        pairs = ((getattr(link, f"{source}_id"), getattr(link, target)) for link in links)
    else:
        pairs = links.order_by(f"{target}__{column.many}").values_list(f"{source}_id", f"{target}__{column.many}")
    for row_id, value in pairs:
        values.setdefault(row_id, []).append(str(value))
    return {row_id: MANY_SEPARATOR.join(names) for row_id, names in values.items()}


def labels(choices, *, unknown: bool = False) -> Callable[[object], str]:
    """A formatter showing a choice's (translated) label instead of its stored value; ``unknown``: None is 未知."""
    mapping = {None: UNKNOWN_LABEL, **dict(choices)}

    def label(value) -> str:
        return str(mapping.get(value, value))

    label.writes_unknown = unknown
    setattr(label, FEW_VALUES, True)
    return label


def yes_no(value: bool) -> str:
    return str(_("Yes") if value else _("No"))


def yes_no_unknown(value: bool | None) -> str:
    """是, 否, or 未知 for a fact the register does not know (None), which is not a no."""
    return str(UNKNOWN_LABEL) if value is None else yes_no(value)


yes_no_unknown.writes_unknown = True
setattr(yes_no, FEW_VALUES, True)
setattr(yes_no_unknown, FEW_VALUES, True)


class _ExportRenderer(BaseRenderer):
    """Lets DRF accept ``?format=csv|xlsx``; lists bypass it and stream. Only errors are rendered here, as JSON."""

    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return json.dumps(data, ensure_ascii=False, default=str).encode()


class CSVRenderer(_ExportRenderer):
    media_type = "text/csv"
    format = "csv"


class XLSXRenderer(_ExportRenderer):
    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    format = "xlsx"
    charset = None


def _cell(value, zone=None):
    if isinstance(value, str):
        # Control characters cannot be stored in an XLSX cell (and mean nothing in a report); they are
        # all unprintable, so a printable text (nearly every one) needs no scan for them.
        if not value.isprintable():
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if value.startswith(FORMULA_STARTS):
            return "'" + value
        return value
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value, zone).strftime("%Y-%m-%d %H:%M:%S")
    return value


# Columns whose values (None, int, Decimal, float, a date, a bool) ``_cell`` returns unchanged: without a
# formatter or a converter, an export writes them as they are read (a DateTimeField is not among them).
_WRITTEN_AS_THEY_ARE = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "SmallAutoField",
        "IntegerField",
        "BigIntegerField",
        "SmallIntegerField",
        "PositiveIntegerField",
        "PositiveBigIntegerField",
        "PositiveSmallIntegerField",
        "DecimalField",
        "FloatField",
        "DateField",
        "BooleanField",
    }
)


def _datetime_cell(zone) -> Callable[[object], object]:
    """``_cell`` for a column of date-times: the local time as text, written without strftime when it can be."""

    def cell(value):
        if value.__class__ is not datetime.datetime or value.tzinfo is None or value.year < 1000:
            return _cell(value, zone)  # None, a naive value (an error, as timezone.localtime says), or odd years
        # isoformat's first 19 characters are strftime("%Y-%m-%d %H:%M:%S") for years of four digits.
        return value.astimezone(zone).isoformat(" ", "seconds")[:19]

    return cell


def _text_cell(value):
    """``_cell`` for a column of text: a printable text that is no formula (nearly every one) is written as it is."""
    if value.__class__ is str and value.isprintable() and not value.startswith(FORMULA_STARTS):
        return value
    return _cell(value)


def _text_column(values: tuple) -> "tuple | list":
    """``_text_cell`` of each value; a column without a formula or a control character (nearly every one) as it is.

    The test runs in C (a column of 2,000 names in a few microseconds, not a Python call per name).
    """
    try:
        written = list(filter(None, values))  # the texts: None and "" are written as they are
        if all(map(str.isprintable, written)) and not any(map(methodcaller("startswith", FORMULA_STARTS), written)):
            return values
    except TypeError:  # not all texts
        pass
    return list(map(_text_cell, values))


# Fields read as text (``_text_cell``).
_TEXT = frozenset({"CharField", "TextField", "SlugField", "EmailField", "URLField"})


def _cell_function(column: Column, zone, kind: str | None = None) -> Callable[[object], object]:
    """``_cell(column.cell(value))`` for one export, the time zone read once, a formatter's results kept if few.

    ``kind`` is the internal type of the column's field when known (text and date-times have faster paths).
    """
    if column.format is None:
        if kind == "DateTimeField":
            return _datetime_cell(zone)
        if kind in _TEXT:
            return _text_cell
        return lambda value: _cell(value, zone)
    if not getattr(column.format, FEW_VALUES, False):
        return lambda value: _cell(column.cell(value), zone)
    done: dict = {}

    def cell(value):
        if value not in done:
            done[value] = _cell(column.cell(value), zone)
        return done[value]

    return cell


class ExportMixin:
    """Add to a list view with ``export_columns`` and ``export_name`` set."""

    export_columns: list[Column] = []
    export_name = "export"

    def get_renderers(self):
        renderers = super().get_renderers()
        if getattr(self, "action", None) == "list":
            renderers += [CSVRenderer(), XLSXRenderer()]
        return renderers

    def exporting(self) -> bool:
        """Whether the request asks for a file (CSV or XLSX): every matching row, read once (a cheaper query form)."""
        return getattr(getattr(self.request, "accepted_renderer", None), "format", None) in ("csv", "xlsx")

    def handle_exception(self, exc):
        # An error (a bad filter, say) is answered as JSON even when a CSV or XLSX file was asked for.
        if self.exporting():
            self.request.accepted_renderer = JSONRenderer()
            self.request.accepted_media_type = JSONRenderer.media_type
        return super().handle_exception(exc)

    def list(self, request, *args, **kwargs):
        export_format = getattr(request.accepted_renderer, "format", None)
        if export_format in ("csv", "xlsx"):
            if not may(request.user, EXPORT):
                raise PermissionDenied(_("Exporting lists is for bureau staff and admins; your role may read pages."))
            rows = self.export_rows(self.filter_queryset(self.get_queryset()), as_text=export_format == "csv")
            return self.csv_response(rows) if export_format == "csv" else self.xlsx_response(rows)
        return super().list(request, *args, **kwargs)

    def export_rows(self, queryset, *, as_text: bool = False) -> Iterator[list]:
        """The header, then each row's cells; ``as_text`` (a CSV): numbers and dates may come as their text."""
        yield [str(column.header) for column in self.export_columns]
        plain = [column for column in self.export_columns if not column.many]
        many = [(position, column) for position, column in enumerate(self.export_columns) if column.many]
        # Decided when the first row is read, as the response streams: outside any transaction by then.
        alias = read_alias()
        # The row's id first only when many-to-many cells need it; otherwise the row read is the row written.
        first = ["pk"] if many else []
        rows = queryset.using(alias).prefetch_related(None).values_list(*first, *[column.path for column in plain])
        as_read = set()
        if as_text and connections[alias].vendor == "postgresql":
            rows, as_read = read_as_text(rows, [*first, *plain])
        zone = timezone.get_current_timezone()
        connection = connections[alias]
        steps = None
        for columns, chunk in read_chunks(rows, CHUNK_SIZE):
            if steps is None:
                steps = self._export_steps(columns, len(first), zone, connection, as_read)
            # Column by column (a chunk transposed): one map over a column's values, not a step per cell.
            cells = list(zip(*chunk, strict=True))
            if many:
                ids = cells.pop(0)
                for position, column in many:
                    names = _related_values(queryset.model, column, list(ids), alias)
                    cells.insert(position, [names.get(row_id, "") for row_id in ids])
            for position, cell in steps:
                cells[position] = (
                    _text_column(cells[position]) if cell is _text_cell else list(map(cell, cells[position]))
                )
            yield from map(list, zip(*cells, strict=True))

    def _export_steps(
        self, columns: dict, skipped: int, zone, connection, as_read: frozenset | set = frozenset()
    ) -> "list[tuple[int, Callable]]":
        """(position in the written row, its function) for each column whose values are not written as read.

        A column needs one when it has a formatter, lists related rows, or is of a type ``_cell`` changes (text,
        date-times); the database's converters of a column, if any, run first, as ``QuerySet.iterator`` would.
        The columns at the positions ``as_read`` come as the text they are written as (``read_as_text``).
        """
        steps = []
        read = iter(range(skipped, len(columns)))
        for position, column in enumerate(self.export_columns):
            if column.many:
                steps.append((position, _cell_function(column, zone)))
                continue
            position_read = next(read)
            if position_read in as_read:
                continue
            converters, expression = columns[position_read]
            kind = expression.output_field.get_internal_type()
            as_they_are = column.format is None and kind in _WRITTEN_AS_THEY_ARE
            then = None if as_they_are else _cell_function(column, zone, kind)
            if converters:
                steps.append((position, converted(converters, expression, connection, then)))
            elif then is not None:
                steps.append((position, then))
        return steps

    def _filename(self, extension: str) -> str:
        return f"{self.export_name}-{timezone.localdate():%Y%m%d}.{extension}"

    def csv_response(self, rows: Iterator[list]) -> StreamingHttpResponse:
        def lines():
            yield "\ufeff"  # a byte-order mark, so Excel opens the UTF-8 file with Chinese intact
            # A few thousand rows per piece sent: one write per row would cost a generator step each.
            buffer = io.StringIO()
            writer = csv.writer(buffer)
            remaining = iter(rows)  # a list too: each batch goes on where the last one stopped
            for batch in iter(lambda: list(islice(remaining, CHUNK_SIZE)), []):
                writer.writerows(batch)  # csv writes None as an empty cell
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()

        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{self._filename("csv")}"'
        return response

    def xlsx_response(self, rows: Iterator[list]) -> FileResponse:
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=self.export_name[:31])
        for row in rows:
            sheet.append(row)
        handle = tempfile.TemporaryFile()
        workbook.save(handle)
        handle.seek(0)
        return FileResponse(
            handle,
            as_attachment=True,
            filename=self._filename("xlsx"),
            content_type=XLSXRenderer.media_type,
        )
