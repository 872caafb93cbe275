"""``ImportResource``, the base every kind of import derives from; ``column`` and ``template_workbook``.

``ImportResource`` matches the file's headers in any of the site's languages (so an export
re-imports), refuses missing required columns or a sheet of another kind, reports rows that
repeat one another, writes every change attributed to the importing user in the audit history,
and makes the import all-or-nothing: one bad row and the transaction is rolled back. Each kind's
resource lives beside its models, in its own app. Reading the file is in ``reading``, the cell
widgets in ``widgets``, the report users read (and ``run_import``) in ``report``.
"""

from __future__ import annotations

import copy
import io
from pathlib import Path

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import translation
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from import_export import resources, widgets
from import_export.fields import Field
from import_export.results import Error
from openpyxl import Workbook

from ..history import attributed_to
from ..text import join_list
from .matching import normalise
from .reading import ImportRefused
from .widgets import TextWidget


def _lines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


class ImportResource(resources.ModelResource):
    """One kind of row a file may hold; subclasses declare fields, matching and saving.

    Subclasses set ``kind_label`` (what a row is: the model's verbose name, say), ``required`` (field names whose
    columns must be present), ``export_only`` (header msgids the export writes that are not
    imported, e.g. derived figures), ``import_only`` (field names of columns a file may carry that
    the export never writes, e.g. a confirmation) and implement ``prepare`` (build lookup indexes from the whole
    file in a few queries), ``row_key`` (what identifies a row, for duplicates; ``row_keys`` where
    a row can be told by more than one key) and ``find`` (the existing row a file row updates, or
    ``None``).
    """

    kind_label = ""
    required: tuple[str, ...] = ()
    export_only: tuple = ()
    import_only: tuple[str, ...] = ()

    class Meta:
        abstract = True
        skip_unchanged = True
        report_skipped = True
        # No diff of every column (for an HTML view not shown here) and no deep copy of the record
        # with every related object it caches: ``after_init_instance`` keeps a shallow copy to compare.
        skip_diff = True
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
        self.original = None
        self.import_fields: list[Field] | None = None

    def get_import_fields(self):
        """The library's list, kept once the import has started: it orders the fields again at each call,
        several times a row, and they do not change during an import."""
        if self.import_fields is None:
            return super().get_import_fields()
        return list(self.import_fields)

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
            ) % {"kind": self.kind_label, "sheet": dataset.title, "columns": join_list(missing)}
        else:
            message = _("This is not a file of %(kind)s: it lacks the required columns %(columns)s.") % {
                "kind": self.kind_label,
                "columns": join_list(missing),
            }
        others = [name for name in getattr(dataset, "sheet_names", []) if name != dataset.title]
        if others:
            message += " " + _(
                "Only the first sheet is read; this workbook also has %(sheets)s. Put the sheet of %(kind)s first."
            ) % {"sheets": join_list(others), "kind": self.kind_label}
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
        self.import_fields = None  # worked out afresh (a subclass's override included), then kept for the import
        self.import_fields = self.get_import_fields()
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

    def after_init_instance(self, instance, new, row, **kwargs):
        """Keep the record as it was, for ``skip_row`` and ``describe_changes``.

        A shallow copy (the library's deep copy of every record with its related objects was a sixth of an
        edited import's time): its own field values and its own cache of related objects
        (``Model.__getstate__``), sharing the related objects themselves and any mutable value. That holds
        while a row replaces field values and never changes one in place: no import column writes through
        a relation (``enterprise__name``) or edits a JSON or list value in place; one that did would make
        the row look unchanged.
        """
        self.original = copy.copy(instance)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """Skip an unchanged row (``skip_unchanged``); list the changes of an existing record that changes."""
        original = self.original
        if import_validation_errors:
            return False
        if self._meta.skip_unchanged and self.unchanged(instance, original, row):
            return True
        if original.pk is not None:
            self.current_changes = self.describe_changes(instance, original, row)
        return False

    def unchanged(self, instance, original, row) -> bool:
        """Whether every column of the row leaves ``instance`` as ``original`` (django-import-export's test)."""
        for resource_field in self.get_import_fields():
            if isinstance(resource_field.widget, widgets.ManyToManyWidget):
                if resource_field.column_name not in row:
                    continue
                # Many-to-many values are read from the row: they are not set on the instance yet.
                after = sorted(value.pk for value in resource_field.clean(row))
                before = (
                    []
                    if original.pk is None
                    else sorted(value.pk for value in resource_field.get_value(original).all())
                )
                if after != before:
                    return False
            elif resource_field.get_value(instance) != resource_field.get_value(original):
                return False
        return True

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
                if resource_field.get_value(original) == resource_field.get_value(instance):
                    continue
                before, after = resource_field.export(original), resource_field.export(instance)
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
