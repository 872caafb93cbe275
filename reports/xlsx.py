"""A closed version as an XLSX workbook: one sheet per section, Chinese headings, number formats, frozen headers.

The cells hold the version's stored values (``reports.layout``), as numbers: counts as integers,
amounts with two decimals, rates as fractions formatted as percentages. Each sheet starts with the
report's title, period, issuing unit and version, then the column headings (frozen below them).
"""

from io import BytesIO

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .layout import number, sections

FORMATS = {"int": "0", "wan": "#,##0.00", "usd": "#,##0.00", "mu": "#,##0.00", "rate": "0.00%", "date": "yyyy-mm-dd"}
HEADER_ROW = 3
SHEET_TITLE_MAX = 31


def _text(value) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


def workbook(report, version) -> Workbook:
    """The workbook of ``version`` of ``report``."""
    book = Workbook()
    book.remove(book.active)
    heading = f"{report.template.name} {report.period_label}"
    closed = timezone.localtime(version.closed_at).strftime("%Y-%m-%d")
    for table in sections(version.figures):
        sheet = book.create_sheet(_text(table["label"])[:SHEET_TITLE_MAX])
        sheet.append([_text(heading)])
        sheet["A1"].font = Font(bold=True, size=14)
        sheet.append([_text(f"{report.template.unit} · {_('Version')} {version.number} · {_('Closed')} {closed}")])
        sheet.append([_text(label) for label in table["columns"]])
        for cell in sheet[HEADER_ROW]:
            cell.font = Font(bold=True)
        for row in table["rows"]:
            values = []
            for raw, _shown, kind, _path in row[:]:
                value = number(raw, kind)
                values.append(_text(value) if isinstance(value, str) else value)
            sheet.append(values)
            for cell, (_raw, _shown, kind, _path) in zip(sheet[sheet.max_row], row, strict=False):
                if kind in FORMATS:
                    cell.number_format = FORMATS[kind]
        sheet.freeze_panes = f"A{HEADER_ROW + 1}"
        for index, label in enumerate(table["columns"], start=1):
            sheet.column_dimensions[get_column_letter(index)].width = max(12, min(40, len(str(label)) * 2))
    return book


def workbook_response(report, version) -> HttpResponse:
    """The workbook as a download named after the report, its period and version."""
    buffer = BytesIO()
    workbook(report, version).save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    name = f"report-{report.pk}-{report.period_start:%Y-%m}-v{version.number}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
