"""FilterSets of targets and assessment weights, shared by the API and the pages."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chains.choices import Town
from chains.models import Chain, Cluster
from pinghu.filters import BoundedIsoDateTimeFilter, StrictFilterSet
from pinghu.search import SearchFilter
from units.matching import find_unit
from units.models import Unit

from .choices import Metric, ScopeKind
from .models import AssessmentWeight, Target


class TargetFilterSet(StrictFilterSet):
    """Filters of ``/api/v1/targets/``: a year the target covers, scope, metric, chain, cluster, town, unit."""

    q = SearchFilter()
    year = django_filters.NumberFilter(method="by_year", label=_("a year the target covers (its span includes it)"))
    year_from = django_filters.NumberFilter(field_name="year_from", label=_("first year"))
    year_to = django_filters.NumberFilter(field_name="year_to", label=_("last year"))
    scope_kind = django_filters.ChoiceFilter(choices=ScopeKind.choices, label=_("target scope"))
    metric = django_filters.ChoiceFilter(choices=Metric.choices, label=_("metric"))
    chain = django_filters.ModelChoiceFilter(
        queryset=Chain.objects.all(), to_field_name="code", label=_("chain (code)")
    )
    cluster = django_filters.ModelChoiceFilter(
        queryset=Cluster.objects.all(), to_field_name="code", label=_("cluster (code)")
    )
    town = django_filters.ChoiceFilter(choices=Town.choices, label=_("town"))
    unit = django_filters.CharFilter(method="by_unit", label=_("responsible unit (its id or name)"))
    updated_since = BoundedIsoDateTimeFilter(
        field_name="updated_at", lookup_expr="gte", label=_("updated at or after (ISO 8601)")
    )

    class Meta:
        model = Target
        fields = ["q", "year", "year_from", "year_to", "scope_kind", "metric", "chain", "cluster", "town", "unit"]

    def by_year(self, queryset, name, value):
        return queryset.filter(Q(year_from__lte=value) & Q(year_to__gte=value))

    def by_unit(self, queryset, name, value):
        value = value.strip()
        unit = Unit.objects.filter(pk=int(value)).first() if value.isdigit() else find_unit(value)
        return queryset.filter(unit=unit) if unit is not None else queryset.none()


class AssessmentWeightFilterSet(StrictFilterSet):
    """Filters of ``/api/v1/assessment-weights/``: year and metric."""

    q = SearchFilter()
    year = django_filters.NumberFilter(field_name="year", label=_("year"))
    metric = django_filters.ChoiceFilter(choices=Metric.choices, label=_("metric"))

    class Meta:
        model = AssessmentWeight
        fields = ["q", "year", "metric"]
