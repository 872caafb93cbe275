"""Reading an uploaded file: ``read_table``, its limits (``MAX_BYTES``, ``MAX_ROWS``, ...) and the admin's formats.

``read_table`` turns an ``.xlsx`` (first sheet, as the export writes it) or ``.csv`` (UTF-8 or
GB 18030, as Excel saves it in China) into a ``tablib.Dataset`` whose rows keep the numbers Excel
shows, and refuses (``ImportRefused``), before anything is read into the database, a file of
another type, over the limits, or with no data rows. An ``.xlsx`` is a zip archive: before openpyxl
parses it, ``check_archive`` refuses one that would unpack to more than ``MAX_UNPACKED_BYTES``, a
part packed more than ``MAX_PACKING_RATIO`` times, a part other than a worksheet over
``MAX_SHARED_STRINGS_BYTES`` or ``MAX_PART_BYTES`` (openpyxl holds those whole) and any text run
between two tags longer than ``MAX_TEXT_BYTES`` (a "zip bomb": a few hundred KB that unpack to one
cell of hundreds of MB); while rows are read, a cell over ``MAX_CELL_CHARS`` (Excel's own limit)
is refused. The limits are read here at each import: set them on this module. What a cell means
(widgets), the header check (resource) and the report live in the package's other modules.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from pathlib import Path

import tablib
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from import_export.formats import base_formats
from openpyxl import load_workbook

MAX_ROWS = 50_000
MAX_BYTES = 20 * 1024 * 1024
EXTENSIONS = (".xlsx", ".csv")  # in the order of IMPORT_FORMATS
MAX_UNPACKED_BYTES = 200 * 1024 * 1024  # an .xlsx's parts together, unpacked (worksheets are streamed)
# Parts openpyxl holds whole: shared strings (a list of every distinct text), styles (an object per
# cell format: about 16 times the part's size in memory, hence the lower limit) and the rest.
MAX_SHARED_STRINGS_BYTES = 12 * 1024 * 1024
MAX_PART_BYTES = 4 * 1024 * 1024
MAX_PACKING_RATIO = 100  # unpacked / packed, for parts over PACKING_RATIO_FROM
PACKING_RATIO_FROM = 1024 * 1024
MAX_TEXT_BYTES = 256 * 1024  # a cell's text in the XML: Excel's 32,767 characters, escaped, fit in it
MAX_CELL_CHARS = 32_767  # Excel's limit for one cell
WORKSHEET = re.compile(r"xl/worksheets/[^/]+\.xml")


class ImportRefused(Exception):
    """The whole file is refused before any row is written; the message says why, for the user."""


def check_upload(name: str, size: int) -> str:
    """Refuse a file that is not .xlsx or .csv, or is over ``MAX_BYTES``; return its extension."""
    extension = Path(name).suffix.lower()
    if extension not in EXTENSIONS:
        raise ImportRefused(
            _("Only Excel (.xlsx) or CSV (.csv) files can be imported; %(name)s is neither.") % {"name": name or "?"}
        )
    if size > MAX_BYTES:
        raise ImportRefused(
            _("The file is %(size).1f MB; an import takes at most %(max)d MB. Split it into smaller files.")
            % {"size": size / 1024 / 1024, "max": MAX_BYTES // 1024 // 1024}
        )
    return extension


def read_table(data: bytes, filename: str, *, label: str | None = None) -> tablib.Dataset:
    """The first sheet of an ``.xlsx`` or the rows of a ``.csv``, with ``row_numbers`` as the file shows them.

    Blank rows are dropped (Excel often keeps formatted empty rows at the end); every other row
    keeps the number the user sees in Excel, for the report. Messages name the file ``label`` if given.
    """
    extension = check_upload(Path(filename or "").name, len(data))
    name = label or Path(filename or "").name
    if not data.strip():
        raise ImportRefused(_("The file is empty."))
    if extension == ".xlsx":
        check_archive(data, name)
        try:
            return _table(*_read_xlsx(data, name))
        except ImportRefused:
            raise
        except Exception as error:  # openpyxl reads lazily: a damaged part fails while rows are read
            raise ImportRefused(_("%(name)s is not a readable Excel (.xlsx) file.") % {"name": name}) from error
    return _table(*_read_csv(data, name))


def _table(headers, rows, sheet: str, sheet_names: list[str]) -> tablib.Dataset:
    """The dataset of a sheet's header and rows: blank rows dropped, the others numbered as in the file."""
    headers = [force_str(value).strip() if value is not None else "" for value in headers]
    if not any(headers):
        raise ImportRefused(_("The first row must hold the column headers; it is empty."))
    width = len(headers)
    dataset = tablib.Dataset(headers=headers, title=sheet)
    dataset.row_numbers = []
    dataset.overflowing = {}  # data row (from 1) → its cells, where it has more than there are headers
    for number, values in rows:
        values = list(values)
        if all(_blank(value) for value in values):
            continue
        if any(not _blank(value) for value in values[width:]):
            # An unquoted comma in a CSV cell, say: the cells after it would land in the wrong columns.
            dataset.overflowing[len(dataset) + 1] = len(values)
        values = values[:width]
        for column, value in enumerate(values):
            if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                raise ImportRefused(
                    _(
                        "Row %(row)s, column %(column)s: the cell holds %(length)s characters; "
                        "a cell may hold at most %(max)s."
                    )
                    % {
                        "row": number,
                        "column": headers[column],
                        "length": f"{len(value):,}",
                        "max": f"{MAX_CELL_CHARS:,}",
                    }
                )
        if len(dataset) >= MAX_ROWS:
            raise ImportRefused(
                _("The file has more than %(max)s data rows; an import takes at most %(max)s. Split it.")
                % {"max": f"{MAX_ROWS:,}"}
            )
        dataset.append(values + [None] * (width - len(values)))
        dataset.row_numbers.append(number)
    if not len(dataset):
        raise ImportRefused(_("The file has column headers but no data rows."))
    dataset.sheet_names = sheet_names
    return dataset


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def check_archive(data: bytes, name: str) -> None:
    """Refuse an ``.xlsx`` that would take far more memory to read than its size says (see the module)."""
    unreadable = _("%(name)s is not a readable Excel (.xlsx) file.") % {"name": name}
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ImportRefused(unreadable) from error
    # zipfile never unpacks a part past the size its header declares, so the declared sizes bound the work.
    unpacked = sum(member.file_size for member in members)
    if unpacked > MAX_UNPACKED_BYTES:
        raise ImportRefused(
            _(
                "%(name)s unpacks to %(size)s MB; an Excel file may unpack to at most %(max)s MB. "
                "Split it into smaller files."
            )
            % {"name": name, "size": f"{unpacked / 1024 / 1024:,.1f}", "max": f"{MAX_UNPACKED_BYTES / 1024 / 1024:g}"}
        )
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > PACKING_RATIO_FROM and ratio > MAX_PACKING_RATIO:
            raise ImportRefused(
                _(
                    "%(name)s is refused: its part %(part)s is packed %(ratio)s times (at most %(max)s), "
                    "which spreadsheets never are."
                )
                % {"name": name, "part": member.filename, "ratio": f"{ratio:,.0f}", "max": MAX_PACKING_RATIO}
            )
        limit = MAX_SHARED_STRINGS_BYTES if member.filename == "xl/sharedStrings.xml" else MAX_PART_BYTES
        if member.file_size > limit and not WORKSHEET.fullmatch(member.filename):
            raise ImportRefused(
                _("%(name)s is refused: its part %(part)s unpacks to %(size)s MB; at most %(max)s MB.")
                % {
                    "name": name,
                    "part": member.filename,
                    "size": f"{member.file_size / 1024 / 1024:,.1f}",
                    "max": f"{limit / 1024 / 1024:g}",
                }
            )
    try:
        too_long = any(
            member.filename.endswith(".xml") and _longest_text(archive, member) > MAX_TEXT_BYTES for member in members
        )
    except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError, RuntimeError, NotImplementedError) as error:
        raise ImportRefused(unreadable) from error  # a damaged or encrypted part
    if too_long:
        raise ImportRefused(
            _("%(name)s is refused: a cell holds more than %(max)s characters, Excel's limit for a cell.")
            % {"name": name, "max": f"{MAX_CELL_CHARS:,}"}
        )


def _longest_text(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> int:
    """The longest run of bytes without a ``<`` in an XML part (a tag and the text after it), read 1 MB at a time.

    The run stops counting at ``MAX_TEXT_BYTES + 1``: what matters is whether a cell is too long,
    and the part is never held whole.
    """
    longest = run = 0
    with archive.open(member) as part:
        while chunk := part.read(1024 * 1024):
            pieces = chunk.split(b"<")
            if len(pieces) == 1:
                run += len(chunk)
            else:
                longest = max(longest, run + len(pieces[0]), max(map(len, pieces[1:-1]), default=0))
                run = len(pieces[-1])
            longest = max(longest, run)
            if longest > MAX_TEXT_BYTES:
                break
    return longest


def _read_xlsx(data: bytes, name: str):
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # a zip that is not a workbook, a damaged part, another format renamed
        raise ImportRefused(_("%(name)s is not a readable Excel (.xlsx) file.") % {"name": name}) from error
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    headers = next(rows, None)
    if headers is None:
        raise ImportRefused(_("The first sheet (%(sheet)s) is empty.") % {"sheet": sheet.title})
    return headers, enumerate(rows, start=2), sheet.title, book.sheetnames


def _read_csv(data: bytes, name: str):
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportRefused(_("%(name)s is not a text CSV file in UTF-8 or GB 18030.") % {"name": name})
    if "\x00" in text:
        raise ImportRefused(_("%(name)s is not a text CSV file in UTF-8 or GB 18030.") % {"name": name})
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        headers = next(reader, None)
    except csv.Error as error:
        message = _("%(name)s is not a readable CSV file: %(error)s") % {"name": name, "error": error}
        raise ImportRefused(message) from error
    if headers is None:
        raise ImportRefused(_("The file is empty."))

    def rows():
        try:
            for values in reader:
                yield reader.line_num, [value if value.strip() else None for value in values]
        except csv.Error as error:
            raise ImportRefused(
                _("Line %(line)d of %(name)s cannot be read: %(error)s")
                % {"line": reader.line_num, "name": name, "error": error}
            ) from error

    return headers, rows(), "", []


class XLSX(base_formats.XLSX):
    """The admin's Excel format: ``read_table``'s checks and row numbers."""

    def create_dataset(self, in_stream):
        return read_table(in_stream, "upload.xlsx", label=_("the uploaded file"))


class CSV(base_formats.CSV):
    """The admin's CSV format, read as bytes so that both UTF-8 and GB 18030 files are accepted."""

    def create_dataset(self, in_stream):
        if isinstance(in_stream, str):
            in_stream = in_stream.encode("utf-8")
        return read_table(in_stream, "upload.csv", label=_("the uploaded file"))

    def get_read_mode(self):
        return "rb"

    def is_binary(self):
        return True


IMPORT_FORMATS = [XLSX, CSV]
