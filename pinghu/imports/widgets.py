"""Cell widgets with Chinese messages: dates, numbers, text, yes/no, choices and lookups of related rows.

Each turns a cell as Excel stores it or as people type it into a model value, or refuses it with
a message for the report, and renders a value the way the export writes it (so an export
re-imports). Lookups read from an index each kind's resource builds in ``prepare``; building it
(``normalise``, ``chunks``) is in ``matching``, the resource and its header check in ``resource``.
"""

from __future__ import annotations

import datetime
import unicodedata
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.utils import translation
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from import_export import widgets

from ..api.export import FORMULA_STARTS
from ..choices import UNKNOWN_LABEL
from .matching import normalise


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


# What a cell may say for a fact that is not known (besides leaving it empty).
UNKNOWN_WORDS = {"未知", "unknown", "不详", "?", "？"}


def _is_unknown(text: str) -> bool:
    return text in UNKNOWN_WORDS or text == normalise(UNKNOWN_LABEL)


class BooleanWidget(widgets.Widget):
    """是/否 as the export writes it; Yes/No, true/false, 1/0 too; empty is ``default``.

    ``unknown=True`` for a fact that may be unknown: empty or 未知 is None (unknown, not no), and
    None is written back as 未知.
    """

    TRUE = {"是", "yes", "y", "true", "1", "√", "✓"}
    FALSE = {"否", "no", "n", "false", "0"}

    def __init__(self, default: bool = False, *, unknown: bool = False):
        self.default = None if unknown else default
        self.unknown = unknown

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
        if self.unknown and _is_unknown(text):
            return None
        raise ValueError(_("Write 是, 否 or 未知.") if self.unknown else _("Write 是 or 否."))

    def render(self, value, obj=None, **kwargs):
        if value is None and self.unknown:
            return str(UNKNOWN_LABEL)
        return _("Yes") if value else _("No")


class ChoiceWidget(widgets.Widget):
    """A choice by its label in any of the site's languages (as the export writes it) or by its stored value."""

    def __init__(self, choices, *, blank: str | None = "", unknown: bool = False):
        # ``unknown=True``: empty or 未知 is None (not known), written back as 未知.
        self.choices = choices
        self.blank = blank
        self.unknown = unknown

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
            if self.unknown:
                return None
            if self.blank is None:
                raise ValueError(_("This column cannot be empty."))
            return self.blank
        if self.unknown and _is_unknown(normalise(value)):
            return None
        found = self._index().get(normalise(value))
        if found is None:
            raise ValueError(
                _("Not one of: %(choices)s.") % {"choices": "、".join(str(label) for _value, label in self.choices)}
            )
        return found

    def render(self, value, obj=None, **kwargs):
        if value is None and self.unknown:
            return str(UNKNOWN_LABEL)
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
