"""The progress table as a monthly review sheet: ``/targets/export.csv`` and ``/targets/export.xlsx``.

The same rows, order and filters (``?year=&as_of=&kind=``) as the targets page; the columns of a review:
scope, metric, target, actual, unit, completion, time progress, gap (points), status, rank. Headers in
the page's language (Chinese first). CSV goes through the API's export (``pinghu.api.export``: byte-order
mark, formula cells escaped); XLSX is written here so that the rates are percentage cells (0.00%).
Exporting is for bureau staff and admins (``pinghu.roles`` EXPORT), as every other export.
"""

import tempfile
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from pinghu.api.export import FORMULA_STARTS, ExportMixin, XLSXRenderer
from pinghu.permissions import EXPORT, may, readable
from pinghu.read_replica import replica_reads

from . import pages
from .selectors import TargetProgress, target_progress

PERCENT = "0.00%"
POINTS = "0.00"


def headers() -> list[str]:
    return [
        _("Scope"),
        _("Metric"),
        _("Target"),
        _("Actual"),
        _("Unit"),
        _("Completion"),
        _("Time progress"),
        _("Gap (percentage points)"),
        _("Status"),
        _("Rank"),
    ]


def review_rows(rows: list[TargetProgress]) -> list[list]:
    """The review's cells of each row: rates as fractions (the XLSX formats them, the CSV prints them in percent)."""
    return [
        [
            _safe(pages.scope_text(row)),
            str(row.target.get_metric_display()),
            row.target.value,
            row.actual.quantize(Decimal(1).scaleb(-row.target.definition.decimals)),
            str(row.unit.label),
            row.completion,
            row.time_progress,
            row.gap_points,
            str(row.status.label),
            row.rank,
        ]
        for row in rows
    ]


def _safe(value):
    """A text cell that a spreadsheet would run as a formula, prefixed with ' (as the API's export does)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _percent(value: Decimal) -> str:
    return f"{value * 100:.2f}%"


class _Export(ExportMixin):
    """The API's CSV writer, used outside a viewset: only ``export_name`` and the file name it builds."""

    export_name = "targets"


def _progress(request: HttpRequest) -> tuple[pages.Day, list[TargetProgress]]:
    day = pages.resolve_day(request.GET)
    kind = pages.resolve_kind(request.GET)
    return day, target_progress(day.year, day.as_of, scope_kind=kind)


@readable("targets.view_target")
def export(request: HttpRequest, extension: str):
    if extension not in ("csv", "xlsx"):
        raise Http404
    if not may(request.user, EXPORT):
        raise PermissionDenied(_("Exporting lists is for bureau staff and admins; your role may read pages."))
    with replica_reads():  # the figures from the read replica when there is one (pinghu.read_replica)
        day, rows = _progress(request)
    exporter = _Export()
    exporter.export_name = f"targets-{day.year}-as-of-{day.as_of:%Y%m%d}"
    cells = review_rows(rows)
    if extension == "csv":
        lines = [headers()]
        for values in cells:
            values[5], values[6] = _percent(values[5]), _percent(values[6])
            lines.append(values)
        return exporter.csv_response(iter(lines))
    return _xlsx(exporter, day, cells)


def _xlsx(exporter: _Export, day: pages.Day, cells: list[list]) -> FileResponse:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(day.year))
    bold = Font(bold=True)
    header_cells = []
    for text in headers():
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for values in cells:
        row = []
        for index, value in enumerate(values):
            cell = WriteOnlyCell(sheet, value=value)
            if index in (5, 6):
                cell.number_format = PERCENT
            elif index == 7:
                cell.number_format = POINTS
            row.append(cell)
        sheet.append(row)
    handle = tempfile.TemporaryFile()
    workbook.save(handle)
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{exporter.export_name}-{timezone.localdate():%Y%m%d}.xlsx",
        content_type=XLSXRenderer.media_type,
    )
