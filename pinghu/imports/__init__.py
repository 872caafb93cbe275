"""Excel and CSV import (django-import-export): the framework every kind of import shares.

Each kind's resource lives in its own app and derives from ``ImportResource``; what they share is
here, one module per step, and re-exported from this package:

- ``reading``: ``read_table`` turns an uploaded ``.xlsx`` or ``.csv`` into a dataset and refuses
  (``ImportRefused``) a file of another type, over ``MAX_BYTES`` or ``MAX_ROWS``, or with no data
  rows; the admin's ``XLSX`` and ``CSV`` formats. The limits are read from that module: patch
  ``pinghu.imports.reading.MAX_ROWS``, not the copy here.
- ``matching``: ``normalise`` (how names and headers are compared), company forms, ``chunks``.
- ``widgets``: what a cell means (dates, numbers, text, yes/no, choices, lookups), in Chinese.
- ``resource``: ``ImportResource`` (headers, duplicates, history, all or nothing), ``column``
  and the empty ``template_workbook``.
- ``report``: ``import_report`` (row, column, value, message; the changes) and ``run_import``.

No code lives in this file; the admin's upload, preview and confirm steps are in ``pinghu.admin``.
"""

from .matching import COMPANY_FORMS, chunks, company_form_variant, normalise
from .reading import CSV, EXTENSIONS, IMPORT_FORMATS, MAX_BYTES, MAX_ROWS, XLSX, ImportRefused, check_upload, read_table
from .report import Change, ImportReport, Problem, import_report, run_import
from .resource import ImportResource, column, template_workbook
from .widgets import (
    AMBIGUOUS,
    LIST_SEPARATORS,
    BooleanWidget,
    ChoiceWidget,
    DateWidget,
    DecimalWidget,
    IntegerWidget,
    LookupListWidget,
    LookupWidget,
    TextWidget,
    split_names,
    unescape_formula,
)

__all__ = [
    "AMBIGUOUS",
    "COMPANY_FORMS",
    "CSV",
    "EXTENSIONS",
    "IMPORT_FORMATS",
    "LIST_SEPARATORS",
    "MAX_BYTES",
    "MAX_ROWS",
    "XLSX",
    "BooleanWidget",
    "Change",
    "ChoiceWidget",
    "DateWidget",
    "DecimalWidget",
    "ImportRefused",
    "ImportReport",
    "ImportResource",
    "IntegerWidget",
    "LookupListWidget",
    "LookupWidget",
    "Problem",
    "TextWidget",
    "check_upload",
    "chunks",
    "column",
    "company_form_variant",
    "import_report",
    "normalise",
    "read_table",
    "run_import",
    "split_names",
    "template_workbook",
    "unescape_formula",
]
