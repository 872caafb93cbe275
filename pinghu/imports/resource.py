"""Excel and CSV import (django-import-export): reading a file, the rules every kind shares, the report.

Each kind's resource lives beside its models (``chains/imports.py``, ``projects/imports.py``) and
derives from ``ImportResource``. What they share is here:

- ``read_table`` turns an uploaded ``.xlsx`` (first sheet, as the export writes it) or ``.csv``
  (UTF-8 or GB 18030, as Excel saves it in China) into a ``tablib.Dataset``, and refuses, before
  anything is read into the database, a file of another type, over ``MAX_BYTES`` or ``MAX_ROWS``,
  or with no data rows.
- ``ImportResource`` matches the file's headers in any of the site's languages (so an export
  re-imports), refuses missing required columns or a sheet of another kind, reports rows that
  repeat one another, writes every change attributed to the importing user in the audit history,
  and makes the import all-or-nothing: one bad row and the transaction is rolled back.
- ``import_report`` lists every problem as row, column, value and message, in the user's language.
"""

from __future__ import annotations

import csv
import datetime
import io
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import tablib
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DatabaseError
from django.utils import translation
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from import_export import resources, widgets
from import_export.fields import Field
from import_export.formats import base_formats
from import_export.results import Error, Result
from openpyxl import Workbook, load_workbook

from ..api.export import FORMULA_STARTS
from ..history import attributed_to

MAX_ROWS = 50_000
MAX_BYTES = 20 * 1024 * 1024
EXTENSIONS = (".xlsx", ".csv")  # in the order of IMPORT_FORMATS
# A header or name compared after these: full-width forms and spaces do not make a different firm.
_SPACES = str.maketrans("", "", " \t\r\n\u3000\u00a0")


class ImportRefused(Exception):
    """The whole file is refused before any row is written; the message says why, for the user."""


def normalise(value) -> str:
    """A name or header as compared on import: full-width folded to half-width (NFKC), spaces removed, case folded."""
    return unicodedata.normalize("NFKC", force_str(value or "")).translate(_SPACES).casefold()


# "有限公司" and "有限责任公司" are different legal names: never matched, but flagged.
COMPANY_FORMS = ("有限责任公司", "有限公司")


def company_form_variant(normalised_name: str) -> str | None:
    """The same normalised name with the other company form, if it ends with one."""
    long, short = COMPANY_FORMS
    if normalised_name.endswith(long):
        return normalised_name[: -len(long)] + short
    if normalised_name.endswith(short):
        return normalised_name[: -len(short)] + long
    return None


def chunks(values, size: int = 1000):
    """``values`` sorted, in lists of ``size``: for ``__in`` queries that stay under the databases' limits."""
    values = sorted(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


# ---------------------------------------------------------------- reading a file


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


# ---------------------------------------------------------------- cell widgets with Chinese messages


class DateWidget(widgets.Widget):
    """A date as Excel stores it or as people type it: 2025-03-01, 2025/3/1, 2025.3.1, 2025年3月1日."""

    FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")

    def clean(self, value, row=None, **kwargs):
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        # A date and time typed in a date column ("2025-03-01 00:00"): the date part.
        text = unicodedata.normalize("NFKC", force_str(value)).split()[0]
        for pattern in self.FORMATS:
            try:
                return datetime.datetime.strptime(text, pattern).date()
            except ValueError:
                continue
        raise ValueError(_("Not a date: write it as 2025-03-01."))

    def render(self, value, obj=None, **kwargs):
        return value.isoformat() if value else ""


class DecimalWidget(widgets.Widget):
    """A number as Excel stores it or as typed, with thousands separators allowed."""

    def clean(self, value, row=None, **kwargs):
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, bool):
            raise ValueError(_("Not a number."))
        try:
            number = Decimal(str(value).replace(",", "").replace("，", "").strip())
        except InvalidOperation:
            raise ValueError(_("Not a number.")) from None
        if not number.is_finite():
            raise ValueError(_("Not a number."))
        return number

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class IntegerWidget(DecimalWidget):
    def clean(self, value, row=None, **kwargs):
        number = super().clean(value, row, **kwargs)
        if number is None:
            return None
        if number != number.to_integral_value():
            raise ValueError(_("Must be a whole number."))
        return int(number)


def _lines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def unescape_formula(text: str) -> str:
    """Undo the export's guard against formulas (``'=…`` back to ``=…``), so an export re-imports unchanged."""
    if text.startswith("'") and text[1:2] and text[1:2] in FORMULA_STARTS:
        return text[1:]
    return text


class TextWidget(widgets.Widget):
    """Text, trimmed; an empty cell is an empty string (text fields are never NULL here)."""

    def clean(self, value, row=None, **kwargs):
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # a number typed in a text column, e.g. a unit code
        return unescape_formula(force_str(value).strip())

    def render(self, value, obj=None, **kwargs):
        return force_str(value or "")


class BooleanWidget(widgets.Widget):
    """是/否 as the export writes it; Yes/No, true/false, 1/0 too; empty is no."""

    TRUE = {"是", "yes", "y", "true", "1", "√", "✓"}
    FALSE = {"否", "no", "n", "false", "0"}

    def __init__(self, default: bool = False):
        self.default = default

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        text = normalise(value)
        if not text:
            return self.default
        if isinstance(value, (int, float)) and value in (0, 1):
            return bool(value)
        if text in self.TRUE or text == normalise(_("Yes")):
            return True
        if text in self.FALSE or text == normalise(_("No")):
            return False
        raise ValueError(_("Write 是 or 否."))

    def render(self, value, obj=None, **kwargs):
        return _("Yes") if value else _("No")


class ChoiceWidget(widgets.Widget):
    """A choice by its label in any of the site's languages (as the export writes it) or by its stored value."""

    def __init__(self, choices, *, blank: str | None = ""):
        self.choices = choices
        self.blank = blank

    def _index(self) -> dict[str, str]:
        # Built once per import (each import works on its own copy of the resource's widgets).
        if getattr(self, "_labels", None) is None:
            index = {}
            for language, _name in settings.LANGUAGES:
                with translation.override(language):
                    index.update({normalise(label): value for value, label in self.choices})
            index.update({normalise(value): value for value, _label in self.choices})
            self._labels = index
        return self._labels

    def clean(self, value, row=None, **kwargs):
        if value is None or not force_str(value).strip():
            if self.blank is None:
                raise ValueError(_("This column cannot be empty."))
            return self.blank
        found = self._index().get(normalise(value))
        if found is None:
            raise ValueError(
                _("Not one of: %(choices)s.") % {"choices": "、".join(str(label) for _value, label in self.choices)}
            )
        return found

    def render(self, value, obj=None, **kwargs):
        return str(dict(self.choices).get(value, value or ""))


AMBIGUOUS = object()


class LookupWidget(widgets.Widget):
    """A related row by a name or code the file gives, from an index built once per import.

    ``index`` maps a normalised name or code to the row (an object, or a primary key where only
    the key is assigned) or to ``AMBIGUOUS``; ``describe`` says what was looked for, for messages;
    ``hint`` may explain a miss (a near name, say).
    """

    def __init__(self, describe, *, required: bool = True, hint=None, labels=None):
        self.describe = describe
        self.required = required
        self.hint = hint
        self.index: dict = {}
        self.labels = labels or {}

    def lookup(self, text: str):
        found = self.index.get(normalise(text))
        if found is AMBIGUOUS:
            raise ValueError(
                _("More than one %(what)s is called %(value)s; write it as the export does (with its title or date).")
                % {"what": self.describe, "value": text}
            )
        if found is None:
            hint = self.hint(text) if self.hint else ""
            message = _("Unknown %(what)s: %(value)s.") % {"what": self.describe, "value": text}
            raise ValueError(f"{message} {hint}".strip())
        return found

    def clean(self, value, row=None, **kwargs):
        text = unescape_formula(force_str(value).strip()) if value is not None else ""
        if not text:
            if self.required:
                raise ValueError(_("This column cannot be empty."))
            return None
        return self.lookup(text)

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return str(self.labels.get(getattr(value, "pk", value), value))


# Separators between names in one cell: the enumeration comma the export writes, and others people type.
LIST_SEPARATORS = "、,，;；/\n"


def split_names(value) -> list[str]:
    text = force_str(value or "")
    for separator in LIST_SEPARATORS[1:]:
        text = text.replace(separator, LIST_SEPARATORS[0])
    return [unescape_formula(part.strip()) for part in text.split(LIST_SEPARATORS[0]) if part.strip()]


class LookupListWidget(widgets.ManyToManyWidget):
    """Several related rows named in one cell, separated by 、 (as the export writes them)."""

    def __init__(self, lookup: LookupWidget, model, *, required: bool = False):
        super().__init__(model)
        self.lookup_widget = lookup
        self.required = required

    def clean(self, value, row=None, **kwargs):
        names = split_names(value)
        if not names and self.required:
            raise ValueError(_("This column cannot be empty."))
        found, unknown = [], []
        for name in names:
            try:
                item = self.lookup_widget.lookup(name)
            except ValueError as error:
                unknown.append(str(error))
                continue
            if item not in found:
                found.append(item)
        if unknown:
            raise ValueError(" ".join(unknown))
        return found

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        items = value.all() if hasattr(value, "all") else value
        return LIST_SEPARATORS[0].join(str(item) for item in items)


# ---------------------------------------------------------------- the resource every kind derives from


class ImportResource(resources.ModelResource):
    """One kind of row a file may hold; subclasses declare fields, matching and saving.

    Subclasses set ``kind_label`` (what a row is, e.g. "项目"), ``required`` (field names whose
    columns must be present), ``export_only`` (header msgids the export writes that are not
    imported, e.g. derived figures) and implement ``prepare`` (build lookup indexes from the whole
    file in a few queries), ``row_key`` (what identifies a row, for duplicates; ``row_keys`` where
    a row can be told by more than one key) and ``find`` (the existing row a file row updates, or
    ``None``).
    """

    kind_label = ""
    required: tuple[str, ...] = ()
    export_only: tuple = ()

    class Meta:
        abstract = True
        skip_unchanged = True
        report_skipped = True
        skip_html_diff = True
        use_transactions = True
        clean_model_instances = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.warnings: list[str] = []
        self.row_numbers: list[int] = []
        self.duplicates: dict[int, str] = {}
        self.overflowing: dict[int, int] = {}
        self.changes: list[tuple] = []
        self.current_changes: list[tuple[str, str, str]] = []

    # -- headers

    def header_index(self) -> dict[str, Field]:
        """Every header a column may carry (each language's, normalised) → the field."""
        index = {}
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                for resource_field in self.get_import_fields():
                    index[normalise(resource_field.column_name)] = resource_field
                    for alias in getattr(resource_field, "aliases", ()):
                        index[normalise(alias)] = resource_field
        return index

    def ignored_headers(self) -> set[str]:
        names = set()
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                names.update(normalise(header) for header in self.export_only)
        return names

    def canonical_headers(self, dataset) -> None:
        """Rename the file's headers to this language's; refuse missing columns and sheets of another kind."""
        index, ignored = self.header_index(), self.ignored_headers()
        for resource_field in self.get_import_fields():
            # Headers in the active language, evaluated once: a lazy header costs a translation per look-up.
            resource_field.column_name = force_str(resource_field.column_name)
        renamed, seen, unknown = [], {}, []
        for position, header in enumerate(dataset.headers):
            found = index.get(normalise(header))
            if found is None:
                if header and normalise(header) not in ignored:
                    unknown.append(header)
                renamed.append(header or f"#{position + 1}")
                continue
            column = force_str(found.column_name)
            if column in seen:
                raise ImportRefused(
                    _("The columns %(first)s and %(second)s both give %(column)s; keep one.")
                    % {"first": seen[column], "second": header, "column": column}
                )
            seen[column] = header
            renamed.append(column)
        dataset.headers = renamed
        missing = [
            force_str(self.fields[name].column_name)
            for name in self.required
            if force_str(self.fields[name].column_name) not in seen
        ]
        if missing:
            raise ImportRefused(self.missing_columns_message(dataset, missing))
        if unknown:
            self.warnings.append(_("Columns not imported (unknown): %(columns)s.") % {"columns": "、".join(unknown)})

    def missing_columns_message(self, dataset, missing: list[str]) -> str:
        if dataset.title:
            message = _(
                "This is not a file of %(kind)s: the sheet %(sheet)s lacks the required columns %(columns)s."
            ) % {"kind": self.kind_label, "sheet": dataset.title, "columns": "、".join(missing)}
        else:
            message = _("This is not a file of %(kind)s: it lacks the required columns %(columns)s.") % {
                "kind": self.kind_label,
                "columns": "、".join(missing),
            }
        others = [name for name in getattr(dataset, "sheet_names", []) if name != dataset.title]
        if others:
            message += " " + _(
                "Only the first sheet is read; this workbook also has %(sheets)s. Put the sheet of %(kind)s first."
            ) % {"sheets": "、".join(others), "kind": self.kind_label}
        return message

    # -- the whole file, before any row

    def required_fields(self) -> list[Field]:
        return [self.fields[name] for name in self.required]

    def value(self, row, name):
        return row.get(force_str(self.fields[name].column_name))

    def prepare(self, dataset) -> None:
        """Build the lookup indexes this kind needs, from the whole file, in a few queries."""

    def row_key(self, row) -> tuple | None:
        """What identifies the row (for duplicates inside the file); ``None`` if it cannot be told."""
        return None

    def row_keys(self, row) -> list[tuple]:
        """Every key that identifies the row: two rows sharing any of them are the same record."""
        key = self.row_key(row)
        return [] if key is None else [key]

    def find(self, row):
        """The existing row this file row updates, or ``None`` for a new one."""
        return None

    def describe_key(self, key) -> str:
        return " / ".join(str(part) for part in key)

    def before_import(self, dataset, **kwargs):
        self.row_numbers = list(getattr(dataset, "row_numbers", None) or range(2, len(dataset) + 2))
        self.overflowing = getattr(dataset, "overflowing", {})
        self.user = kwargs.get("user")
        self.prepare(dataset)
        first_seen: dict[tuple, int] = {}
        for position, values in enumerate(dataset, start=1):
            row = dict(zip(dataset.headers, values, strict=False))
            try:
                keys = self.row_keys(row)
            except ValueError:
                keys = []  # the row's own error is reported when it is imported
            repeated = next((key for key in keys if key in first_seen), None)
            if repeated is not None:
                self.duplicates[position] = _("Repeats row %(row)d (same %(key)s).") % {
                    "row": self.row_numbers[first_seen[repeated] - 1],
                    "key": self.describe_key(repeated),
                }
                continue
            for key in keys:
                first_seen[key] = position

    def before_import_row(self, row, **kwargs):
        self.current_changes = []
        number = kwargs.get("row_number")
        if number in self.overflowing:
            raise ValidationError(
                {
                    NON_FIELD_ERRORS: [
                        _(
                            "This row has %(cells)d cells but the header only %(columns)d columns "
                            "(a comma inside a CSV cell needs quotes)."
                        )
                        % {"cells": self.overflowing[number], "columns": len(row)}
                    ]
                }
            )
        duplicate = self.duplicates.get(number)
        if duplicate:
            raise ValidationError({NON_FIELD_ERRORS: [duplicate]})

    def import_instance(self, instance, row, **kwargs):
        """The model fields as django-import-export sets them, and the many-to-many cells checked as well."""
        errors: dict = {}
        texts = [each.attribute for each in self.get_import_fields() if isinstance(each.widget, TextWidget)]
        recorded = {attribute: getattr(instance, attribute) for attribute in texts if attribute} if instance.pk else {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for attribute, before in recorded.items():
            # Text typed in a browser keeps its line breaks as \r\n; Excel gives them back as \n.
            after = getattr(instance, attribute)
            if isinstance(before, str) and isinstance(after, str) and _lines(before) == _lines(after):
                setattr(instance, attribute, before)
        for resource_field in self.get_import_fields():
            if isinstance(resource_field.widget, widgets.ManyToManyWidget) and resource_field.column_name in row:
                try:
                    resource_field.clean(row)
                except ValueError as error:
                    errors[resource_field.attribute] = [str(error)]
        if errors:
            raise ValidationError(errors)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """The model's checks, except on the fields whose cells were already refused (one problem per cell)."""
        errors = dict(import_validation_errors or {})
        if self._meta.clean_model_instances:
            refused = set(errors)
            # A cell set through a foreign key's column (``enterprise_id``) is the model field ``enterprise``.
            refused |= {each.name for each in instance._meta.concrete_fields if each.attname in errors}
            try:
                instance.full_clean(exclude=refused, validate_unique=validate_unique)
            except ValidationError as error:
                errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        skipped = super().skip_row(instance, original, row, import_validation_errors)
        if not skipped and not import_validation_errors and original is not None and original.pk is not None:
            self.current_changes = self.describe_changes(instance, original, row)
        return skipped

    def describe_changes(self, instance, original, row) -> list[tuple[str, str, str]]:
        """(column, before, after) for every column this row changes on an existing record, as users read them."""
        changes = []
        for resource_field in self.get_import_fields():
            if not resource_field.attribute or resource_field.column_name not in row:
                continue
            if isinstance(resource_field.widget, widgets.ManyToManyWidget):
                before = list(resource_field.get_value(original).all())
                after = resource_field.clean(row)
                if {item.pk for item in before} == {item.pk for item in after}:
                    continue
                before, after = resource_field.widget.render(before), resource_field.widget.render(after)
            else:
                before, after = resource_field.export(original), resource_field.export(instance)
                if resource_field.get_value(original) == resource_field.get_value(instance):
                    continue
            changes.append((force_str(resource_field.column_name), force_str(before), force_str(after)))
        return changes

    def after_import_row(self, row, row_result, **kwargs):
        if row_result.import_type in (row_result.IMPORT_TYPE_NEW, row_result.IMPORT_TYPE_UPDATE):
            self.changes.append(
                (kwargs.get("row_number"), row_result.import_type, row_result.object_repr, self.current_changes)
            )

    def get_instance(self, instance_loader, row):
        return self.find(row)

    def import_data(self, dataset, dry_run=False, raise_errors=False, use_transactions=None, **kwargs):
        """All or nothing: headers checked first; any bad row rolls the whole file back; history names the user."""
        kwargs["rollback_on_validation_errors"] = True
        try:
            self.canonical_headers(dataset)
        except ImportRefused as refusal:
            result = self.get_result_class()()
            result.append_base_error(Error(refusal))
            result.warnings = self.warnings
            return result
        file_name = kwargs.get("file_name") or ""
        self.reason = reason = (_("Import of %(file)s") % {"file": Path(file_name).name or "?"})[:100]
        with attributed_to(kwargs.get("user"), reason):
            result = super().import_data(dataset, dry_run, raise_errors, use_transactions=True, **kwargs)
        result.warnings = self.warnings
        result.changes = self.changes
        result.row_numbers = self.row_numbers
        # Errors are keyed by model attribute (the model's checks) or by resource field name (the resource's).
        result.columns = {
            key: force_str(each.column_name)
            for name, each in self.fields.items()
            for key in (name, each.attribute)
            if key
        }
        return result


# ---------------------------------------------------------------- the report


@dataclass
class Problem:
    """One problem: the row as Excel numbers it (0 for the whole file), the column, the value and the message."""

    row: int
    column: str
    value: str
    message: str


@dataclass
class Change:
    """A row that creates or updates a record: its row, ``new`` or ``update``, the record, (column, before, after)s."""

    row: int
    kind: str
    record: str
    fields: list[tuple[str, str, str]]


@dataclass
class ImportReport:
    """What an import did or would do: counts per outcome, the problems (none means written) and the warnings."""

    kind: str
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)
    changes: list[Change] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run


def import_report(result: Result, *, kind: str = "", dry_run: bool = False) -> ImportReport:
    """Turn django-import-export's result into the report users read (row, column, value, message)."""
    report = ImportReport(kind=kind, dry_run=dry_run, warnings=list(getattr(result, "warnings", [])))
    numbers = getattr(result, "row_numbers", None) or []
    columns = getattr(result, "columns", {})

    def excel_row(number: int) -> int:
        return numbers[number - 1] if 0 < number <= len(numbers) else number + 1

    for error in result.base_errors:
        message = _database_message(error.error) if isinstance(error.error, DatabaseError) else force_str(error.error)
        report.problems.append(Problem(0, "", "", message))
    for number, errors in result.row_errors():
        for error in errors:
            message = _database_message(error.error) if isinstance(error.error, DatabaseError) else str(error.error)
            report.problems.append(Problem(excel_row(number), "", "", message))
    for invalid in result.invalid_rows:
        values = dict(zip(result.diff_headers, invalid.values, strict=False))
        for key, messages in invalid.error_dict.items():
            column = columns.get(key, "") if key != NON_FIELD_ERRORS else ""
            value = values.get(column) if column else None
            for message in messages:
                report.problems.append(Problem(excel_row(invalid.number), column, _show(value), force_str(message)))
    report.problems.sort(key=lambda problem: problem.row)
    if report.ok:
        report.changes = [
            Change(excel_row(number), kind, force_str(record), fields)
            for number, kind, record, fields in getattr(result, "changes", [])
        ]
    report.totals = {kind: count for kind, count in result.totals.items() if count}
    return report


def _show(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()
    return force_str(value)


def _database_message(error) -> str:
    """A database refusal (a constraint the checks above did not foresee), without the SQL."""
    return _("The database refused this row: %(error)s") % {"error": force_str(error).splitlines()[0][:300]}


def run_import(resource: ImportResource, data: bytes, filename: str, *, user, dry_run: bool) -> ImportReport:
    """Read ``data`` and import it with ``resource``; nothing is written if any problem is found or on a dry run."""
    try:
        dataset = read_table(data, filename)
    except ImportRefused as refusal:
        return ImportReport(kind=resource.kind_label, problems=[Problem(0, "", "", str(refusal))], dry_run=dry_run)
    result = resource.import_data(dataset, dry_run=dry_run, user=user, file_name=filename)
    return import_report(result, kind=resource.kind_label, dry_run=dry_run)


def template_workbook(resource: ImportResource) -> bytes:
    """An empty workbook with this kind's headers (in the active language), required columns marked in a note row."""
    book = Workbook()
    sheet = book.active
    sheet.title = force_str(resource.kind_label)[:31] or "import"
    import_fields = resource.get_import_fields()
    sheet.append([force_str(resource_field.column_name) for resource_field in import_fields])
    notes = book.create_sheet(_("Notes"))
    notes.append([_("Column"), _("Required"), _("How to fill it in")])
    for resource_field in import_fields:
        notes.append(
            [
                force_str(resource_field.column_name),
                _("Yes") if resource_field in resource.required_fields() else "",
                force_str(getattr(resource_field, "help", "")),
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def column(attribute: str, header, widget=None, *, help="", aliases=()) -> Field:
    """A column of an import: the model attribute, the header (the export's, translated), and how to fill it in."""
    resource_field = Field(attribute=attribute, column_name=header, widget=widget or TextWidget())
    resource_field.help = help
    resource_field.aliases = aliases
    return resource_field
