"""Plausible input: amounts under their ceilings, large amounts confirmed, dates not before 2000.

A model calls these from ``clean()``, so the page, the admin, the API and the import (which all
validate through ``full_clean``) refuse the same input with the same message. The ceilings and
warning lines are settings (``PINGHU_AMOUNT_CEILINGS``, ``PINGHU_AMOUNT_WARNINGS``, keyed by field
name, from the environment); a field with no entry has no limit.

An amount above its warning line is saved only when the instance says it was confirmed
(``large_amounts_confirmed = True``, set by the form's checkbox, the API's
``confirm_large_amounts`` or the import's option), and only when it changed: a project saved
with a confirmed large amount is not asked again when another field is edited.
"""

import datetime
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

# Nothing the tracker records happened before this day (Pinghu's chain policy dates from 2023).
EARLIEST_DATE = datetime.date(2000, 1, 1)

UNCONFIRMED_CODE = "large_amount_unconfirmed"


def _limit(setting: str, field: str) -> Decimal | None:
    raw = getattr(settings, setting, {}).get(field)
    if raw in (None, ""):
        return None
    try:
        return Decimal(str(raw))
    except InvalidOperation as error:
        raise ImproperlyConfigured(f"{setting}[{field!r}]={raw!r} is not a number.") from error


def amount_ceiling(field: str) -> Decimal | None:
    """The highest value ``field`` accepts, or ``None``."""
    return _limit("PINGHU_AMOUNT_CEILINGS", field)


def amount_warning_line(field: str) -> Decimal | None:
    """The value above which ``field`` needs a confirmation, or ``None``."""
    return _limit("PINGHU_AMOUNT_WARNINGS", field)


def show(value: Decimal) -> str:
    """An amount as the messages show it: grouped thousands, no needless decimals."""
    return f"{value.quantize(Decimal(1)) if value == value.to_integral() else value:,}"


class PlausibleMixin(models.Model):
    """Remembers the values a row was loaded with, so that only a changed large amount needs a confirmation."""

    # Set by the caller (form, API, import) when the person entering the amounts confirmed them.
    large_amounts_confirmed = False

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_values = dict(zip(field_names, values, strict=True))
        return instance


def _label(instance: models.Model, field: str):
    return instance._meta.get_field(field).verbose_name


def amount_errors(instance: models.Model, fields: Iterable[str]) -> dict[str, ValidationError]:
    """An error for each of ``fields`` above its ceiling, naming the field and the ceiling."""
    errors = {}
    for field in fields:
        value, ceiling = getattr(instance, field), amount_ceiling(field)
        if value is not None and ceiling is not None and value > ceiling:
            errors[field] = ValidationError(
                _("%(field)s cannot exceed %(ceiling)s: %(value)s is not plausible; check the unit."),
                code="above_ceiling",
                params={"field": _label(instance, field), "ceiling": show(ceiling), "value": show(value)},
            )
    return errors


def unconfirmed_amount_errors(instance: models.Model, fields: Iterable[str]) -> dict[str, ValidationError]:
    """An error for each changed amount above its warning line, unless ``instance.large_amounts_confirmed``."""
    if getattr(instance, "large_amounts_confirmed", False):
        return {}
    loaded = getattr(instance, "_loaded_values", {})
    errors = {}
    for field in fields:
        value, line = getattr(instance, field), amount_warning_line(field)
        if value is None or line is None or value <= line or loaded.get(field) == value:
            continue
        errors[field] = ValidationError(
            _(
                "%(field)s is above %(line)s, the line above which an amount must be confirmed: "
                "check it and confirm it (confirm_large_amounts)."
            ),
            code=UNCONFIRMED_CODE,
            params={"field": _label(instance, field), "line": show(line)},
        )
    return errors


def date_errors(instance: models.Model, fields: Iterable[str]) -> dict[str, ValidationError]:
    """An error for each of ``fields`` dated before 2000-01-01, naming the field and the rule."""
    errors = {}
    for field in fields:
        value = getattr(instance, field)
        if value is not None and value < EARLIEST_DATE:
            errors[field] = ValidationError(
                _("%(field)s cannot be before %(earliest)s."),
                code="before_earliest_date",
                params={"field": _label(instance, field), "earliest": EARLIEST_DATE.isoformat()},
            )
    return errors


def has_unconfirmed_amounts(error: ValidationError) -> bool:
    """Whether ``error`` holds the refusal of an unconfirmed large amount (so a form shows the checkbox)."""
    found = error.error_dict.values() if hasattr(error, "error_dict") else [error.error_list]
    return any(item.code == UNCONFIRMED_CODE for items in found for item in items)
