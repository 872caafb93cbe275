"""Filter pieces shared by every FilterSet (API and UI): bad values are errors, never silently ignored."""

import datetime

import django_filters
from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_filters.fields import IsoDateTimeField
from django_filters.filterset import FILTER_FOR_DBFIELD_DEFAULTS

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


class BoundedIsoDateTimeField(IsoDateTimeField):
    """An ISO 8601 date-time within years 1900–9000, so time-zone conversion can never overflow."""

    def to_python(self, value):
        result = super().to_python(value)
        if result is not None and not 1900 <= result.year <= 9000:
            raise forms.ValidationError(_("The year must lie between 1900 and 9000."), code="out_of_range")
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
