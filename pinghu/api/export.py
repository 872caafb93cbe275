"""``?format=csv`` and ``?format=xlsx`` on API lists: the same filters, Chinese headers, streamed.

Rows come from ``values_list(...).iterator()`` in chunks, so memory stays flat whatever the
number of rows: CSV is streamed as it is produced; XLSX is written by openpyxl's write-only
workbook to a temporary file, which is then streamed and removed. The rows are read from the read
replica when one is configured (``pinghu.read_replica.read_alias``); with PgBouncer in transaction
mode (``DISABLE_SERVER_SIDE_CURSORS``) the iterator fetches its chunks from a client-side cursor.
"""

import csv
import datetime
import decimal
import io
import json
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import islice

from django.db import connections, transaction
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


# What ``_cell`` returns unchanged (a datetime is a datetime.datetime, never exactly a date).
_WRITTEN_AS_THEY_ARE = frozenset({type(None), bool, int, float, decimal.Decimal, datetime.date})


def _cell_function(column: Column, zone) -> Callable[[object], object]:
    """``_cell(column.cell(value))`` for one export, the time zone read once, a formatter's results kept if few."""
    if column.format is None:
        return lambda value: _cell(value, zone)
    if not getattr(column.format, FEW_VALUES, False):
        return lambda value: _cell(column.cell(value), zone)
    done: dict = {}

    def cell(value):
        if value not in done:
            done[value] = _cell(column.cell(value), zone)
        return done[value]

    return cell


def _chunks(rows) -> Iterator[list]:
    """The rows in lists of ``CHUNK_SIZE``, read by a server-side cursor in one transaction.

    In a transaction the cursor needs no WITH HOLD, so PostgreSQL sends rows while they are written
    out instead of computing all of them first (and it works behind PgBouncer in transaction mode).
    Its JIT compiler is off there: compiling an export's expressions took longer than running them
    (2.5 s of a 100,000-row export of projects).
    """
    connection = connections[rows.db]
    with transaction.atomic(using=rows.db):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
        iterator = rows.iterator(chunk_size=CHUNK_SIZE)
        try:
            while chunk := list(islice(iterator, CHUNK_SIZE)):
                yield chunk
        finally:
            iterator.close()  # the cursor, before the transaction ends (a download stopped halfway)


class ExportMixin:
    """Add to a list view with ``export_columns`` and ``export_name`` set."""

    export_columns: list[Column] = []
    export_name = "export"

    def get_renderers(self):
        renderers = super().get_renderers()
        if getattr(self, "action", None) == "list":
            renderers += [CSVRenderer(), XLSXRenderer()]
        return renderers

    def handle_exception(self, exc):
        # An error (a bad filter, say) is answered as JSON even when a CSV or XLSX file was asked for.
        if getattr(getattr(self.request, "accepted_renderer", None), "format", None) in ("csv", "xlsx"):
            self.request.accepted_renderer = JSONRenderer()
            self.request.accepted_media_type = JSONRenderer.media_type
        return super().handle_exception(exc)

    def list(self, request, *args, **kwargs):
        export_format = getattr(request.accepted_renderer, "format", None)
        if export_format in ("csv", "xlsx"):
            if not may(request.user, EXPORT):
                raise PermissionDenied(_("Exporting lists is for bureau staff and admins; your role may read pages."))
            rows = self.export_rows(self.filter_queryset(self.get_queryset()))
            return self.csv_response(rows) if export_format == "csv" else self.xlsx_response(rows)
        return super().list(request, *args, **kwargs)

    def export_rows(self, queryset) -> Iterator[list]:
        yield [str(column.header) for column in self.export_columns]
        plain = [column for column in self.export_columns if not column.many]
        many = [column for column in self.export_columns if column.many]
        # Decided when the first row is read, as the response streams: outside any transaction by then.
        alias = read_alias()
        rows = queryset.using(alias).prefetch_related(None).values_list("pk", *[column.path for column in plain])
        # Each column as (index in the row read, whether a value of a plain type is written as it is, its cell).
        zone = timezone.get_current_timezone()
        position = {column.path: index for index, column in enumerate(plain, start=1)}
        cells = [
            (
                position.get(column.path) if not column.many else None,
                column.format is None,
                _cell_function(column, zone),
            )
            for column in self.export_columns
        ]
        for chunk in _chunks(rows):
            ids = [values[0] for values in chunk]
            related = {column.path: _related_values(queryset.model, column, ids, alias) for column in many}
            for values in chunk:
                yield [
                    cell(related[column.path].get(values[0], ""))
                    if index is None
                    else value
                    if as_is and (value := values[index]).__class__ in _WRITTEN_AS_THEY_ARE
                    else cell(values[index])
                    for (index, as_is, cell), column in zip(cells, self.export_columns, strict=True)
                ]

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
                writer.writerows(["" if value is None else value for value in row] for row in batch)
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
