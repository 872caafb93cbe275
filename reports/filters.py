"""FilterSets of reports, shared by the API and the report list page."""

import django_filters
from django.utils.translation import gettext_lazy as _

from pinghu.search import SearchFilter
from projects.periods import EARLIEST, LATEST

from .choices import PeriodKind, ReportStatus
from .models import Report, ReportTemplate


class ReportFilterSet(django_filters.FilterSet):
    q = SearchFilter()
    template = django_filters.ModelChoiceFilter(
        queryset=ReportTemplate.objects.all(), field_name="template", to_field_name="code", label=_("template")
    )
    period_kind = django_filters.ChoiceFilter(choices=PeriodKind.choices, label=_("period kind"))
    status = django_filters.ChoiceFilter(choices=ReportStatus.choices, label=_("status"))
    # Bounded: a year Python's dates cannot hold is a 400, not a 500.
    year = django_filters.NumberFilter(
        field_name="period_start__year", label=_("year"), min_value=EARLIEST.year, max_value=LATEST.year
    )

    class Meta:
        model = Report
        fields = ["q", "template", "period_kind", "status", "year"]
