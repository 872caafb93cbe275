"""Numbers in the admin as on the pages: thousands separators, a field's decimal places, inputs without trailing zeros.

Django's admin writes a decimal as it comes (``566.666700000000`` for a computed figure) and never groups
thousands unless ``USE_THOUSAND_SEPARATOR`` is on, which would also group every number a template prints
(ids in links included). ``FiguresAdminMixin`` instead formats through ``pinghu.figures.grouped``:

- list columns: a model's decimal or float field with its decimal places, and what a display method
  of the admin (``@admin.display``) returns when it is a decimal or a float (two places, or the
  method's ``figure_places``);
- the same in read-only fields (those named read-only, and every field when the user may only view the row);
- decimal inputs show their value without trailing zeros (``1000`` rather than ``1000.00``).

The admin site (``pinghu.admin_site``) mixes it into every ModelAdmin registered with it, so every
app's admin uses it without naming it. A field with choices is left to Django (it shows the label).
"""

from __future__ import annotations

import functools
from decimal import Decimal

from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from . import figures
from .forms import NormalizedNumberInput

ALIAS = "__figure"  # a read-only number field "x" is shown through the display "x__figure"


def _number_field(model, name: str):
    """The model's decimal or float field called ``name`` (without choices), else ``None``."""
    if not isinstance(name, str):
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    if isinstance(field, models.DecimalField | models.FloatField) and not field.choices:
        return field
    return None


def _field_column(field):
    """A display callable writing ``field`` grouped, with the field's label and ordering."""
    places = getattr(field, "decimal_places", None)

    @admin.display(description=field.verbose_name, ordering=field.name)
    def column(obj):
        return figures.grouped(getattr(obj, field.name), places)

    column.__name__ = field.name  # the column's CSS class (column-<name>), as without the mixin
    return column


def _method_column(method):
    """``method`` (a display method) with a decimal or float result written grouped; other results as they are."""

    @functools.wraps(method)
    def column(obj):
        value = method(obj)
        if isinstance(value, Decimal | float) and not isinstance(value, bool):
            return figures.grouped(value, getattr(method, "figure_places", 2))
        return value

    return column


class FiguresAdminMixin:
    """Grouped numbers in a ModelAdmin's list, read-only fields and inputs (see the module's docstring)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.DecimalField) and not db_field.choices and "widget" not in kwargs:
            kwargs["widget"] = NormalizedNumberInput
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_list_display(self, request):
        return [self._figure_column(name) or name for name in super().get_list_display(request)]

    def _figure_column(self, name):
        """The display writing ``name`` grouped (the same object each time: the list compares them), or ``None``."""
        if not isinstance(name, str):
            return None
        cache = self.__dict__.setdefault("_figure_columns", {})
        if name not in cache:
            cache[name] = None
            field = _number_field(self.model, name)
            if field is not None:
                cache[name] = _field_column(field)
            elif not hasattr(self.model, name) and not name.endswith(ALIAS):
                method = getattr(self, name, None)
                if callable(method) and hasattr(method, "short_description") and not getattr(method, "boolean", False):
                    cache[name] = _method_column(method)
        return cache[name]

    # Read-only fields: a number field "x" that is read-only is shown as "x__figure" in the fieldsets
    # (resolved by __getattr__ below); the form never holds it, as for any read-only field.
    def get_readonly_fields(self, request, obj=None):
        return [self._alias(name) for name in super().get_readonly_fields(request, obj)]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and not self.has_change_permission(request, obj):
            readonly = None  # view only: every field is read-only
        else:
            readonly = set(super().get_readonly_fields(request, obj))
        return [
            (title, {**options, "fields": self._alias_fields(options.get("fields", ()), readonly)})
            for title, options in fieldsets
        ]

    def _alias_fields(self, names, readonly):
        aliased = []
        for name in names:
            if isinstance(name, list | tuple):
                aliased.append(type(name)(self._alias_fields(name, readonly)))
            elif readonly is None or name in readonly:
                aliased.append(self._alias(name))
            else:
                aliased.append(name)
        return aliased

    def _alias(self, name):
        return f"{name}{ALIAS}" if self._figure_column(name) is not None else name

    def __getattr__(self, name: str):
        if name.endswith(ALIAS) and not name.startswith("_"):
            column = self._figure_column(name.removesuffix(ALIAS))
            if column is not None:
                return column
        raise AttributeError(name)
