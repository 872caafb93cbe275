"""Filter pieces shared by every FilterSet (API and UI): bad values are errors, never silently ignored."""

import datetime

import django_filters
from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_filters.fields import IsoDateTimeField
from django_filters.filterset import FILTER_FOR_DBFIELD_DEFAULTS

from .choices import UNKNOWN_LABEL, UNKNOWN_VALUE

BOOLEAN_CHOICES = [("", "---------"), ("true", _("Yes")), ("false", _("No"))]


class StrictBooleanField(forms.Field):
    """true/false (also 1/0, yes/no); anything else is a validation error rather than "no filter"."""

    widget = forms.Select(choices=BOOLEAN_CHOICES)
    TRUE = {"true", "1", "yes", "on"}
    FALSE = {"false", "0", "no", "off"}

    def to_python(self, value):
        if value in (None, ""):
            return None
        text = str(value).strip().lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise forms.ValidationError(_("Use true or false."), code="invalid")


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


class UNKNOWN:
    """The cleaned value of ``unknown`` in a filter: select the rows whose fact is not known (NULL)."""


class StrictNullableBooleanField(StrictBooleanField):
    """true/false as ``StrictBooleanField``, or ``unknown`` for a fact the register does not know."""

    widget = forms.Select(choices=[*BOOLEAN_CHOICES, (UNKNOWN_VALUE, UNKNOWN_LABEL)])

    def to_python(self, value):
        if value is not None and str(value).strip().lower() == UNKNOWN_VALUE:
            return UNKNOWN
        try:
            return super().to_python(value)
        except forms.ValidationError:
            raise forms.ValidationError(_("Use true, false or unknown."), code="invalid") from None


class NullableBooleanFilter(django_filters.BooleanFilter):
    """A yes/no fact that may be unknown: ``true``, ``false`` or ``unknown`` (NULL); unknown is never counted as no."""

    field_class = StrictNullableBooleanField

    def filter(self, qs, value):
        if value is UNKNOWN:
            return qs.filter(**{f"{self.field_name}__isnull": True})
        return super().filter(qs, value)


def unknown_choice_filter(choices, **kwargs) -> django_filters.ChoiceFilter:
    """A choice that may be unknown (NULL): the choices, or ``unknown``."""
    return django_filters.ChoiceFilter(choices=choices, null_value=UNKNOWN_VALUE, null_label=UNKNOWN_LABEL, **kwargs)


class BoundedIsoDateTimeField(IsoDateTimeField):
    """An ISO 8601 date-time within years 1900–9000, so time-zone conversion can never overflow."""

    def to_python(self, value):
        result = super().to_python(value)
        if result is not None and not 1900 <= result.year <= 9000:
            raise forms.ValidationError(_("The year must lie between 1900 and 9000."), code="out_of_range")
        if result is not None and result.tzinfo is not None:
            # In UTC: Python takes offsets up to ±23:59, PostgreSQL only up to ±15:59 (a fuzzer's
            # "-22:20" was a 500); the instant is the same.
            result = result.astimezone(datetime.UTC)
        return result

    def strptime(self, value, format):
        parsed = super().strptime(value, format)
        if isinstance(parsed, datetime.datetime) and not 1900 <= parsed.year <= 9000:
            raise ValueError("year out of range")
        return parsed


class BoundedIsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = BoundedIsoDateTimeField


class StrictFilterSet(django_filters.FilterSet):
    """Base FilterSet: model boolean fields get the strict boolean filter."""

    FILTER_DEFAULTS = {**FILTER_FOR_DBFIELD_DEFAULTS, models.BooleanField: {"filter_class": StrictBooleanFilter}}
