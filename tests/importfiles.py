"""Real import files made in the tests: .xlsx through openpyxl, .csv through the csv module."""

import csv
import io

from openpyxl import Workbook


def xlsx_bytes(rows: list[list], *, sheet: str = "data", before: dict[str, list[list]] | None = None) -> bytes:
    """A workbook whose sheet ``sheet`` holds ``rows`` (the first is the header); ``before`` adds sheets in front."""
    book = Workbook()
    first = book.active
    sheets = list((before or {}).items()) + [(sheet, rows)]
    for position, (title, content) in enumerate(sheets):
        target = first if position == 0 else book.create_sheet()
        target.title = title
        for row in content:
            target.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: list[list], *, encoding: str = "utf-8-sig") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
    return buffer.getvalue().encode(encoding)
