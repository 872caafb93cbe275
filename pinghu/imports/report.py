"""The report users read: ``import_report`` (row, column, value, message; the changes) and ``run_import``.

``import_report`` turns django-import-export's result into problems numbered as Excel numbers
rows, in the user's language, and the changes an import makes; ``run_import`` reads a file and
imports it with a resource, as the command line and the tests do (the admin runs the steps
itself). Reading is in ``reading``, the resource in ``resource``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS
from django.db import DatabaseError
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from import_export.results import Result

from .reading import ImportRefused, read_table
from .resource import ImportResource


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
