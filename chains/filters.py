"""FilterSets of the industry structure, shared by the API and the UI."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from pinghu.filters import NullableBooleanFilter, StrictBooleanFilter, StrictFilterSet, unknown_choice_filter
from pinghu.search import SearchFilter

from .choices import ChainKind, Grade, Ownership, Segment, SrdiLevel, Town
from .models import (
    METRIC_YEAR_MAX,
    METRIC_YEAR_MIN,
    Chain,
    ChainNode,
    Cluster,
    Enterprise,
    EnterpriseAnnualMetric,
    EnterpriseChainRole,
    Leader,
)


class ClusterFilterSet(StrictFilterSet):
    q = SearchFilter()

    class Meta:
        model = Cluster
        fields = ["q"]


class ChainFilterSet(StrictFilterSet):
    q = SearchFilter()
    cluster = django_filters.ModelChoiceFilter(
        queryset=Cluster.objects.all(), to_field_name="code", label=_("cluster (code)")
    )
    kind = django_filters.ChoiceFilter(choices=ChainKind.choices, label=_("kind"))

    class Meta:
        model = Chain
        fields = ["q", "cluster", "kind"]


class ChainNodeFilterSet(StrictFilterSet):
    q = SearchFilter()
    chain = django_filters.ModelChoiceFilter(
        queryset=Chain.objects.all(), to_field_name="code", label=_("chain (code)")
    )
    segment = django_filters.ChoiceFilter(choices=Segment.choices, label=_("segment"))
    gap = NullableBooleanFilter(label=_("gap to recruit for (补链)"))

    class Meta:
        model = ChainNode
        fields = ["q", "chain", "segment", "parent", "gap"]


class LeaderFilterSet(StrictFilterSet):
    q = SearchFilter()

    class Meta:
        model = Leader
        fields = ["q", "is_active", "is_top_official"]


class EnterpriseFilterSet(StrictFilterSet):
    """``chain`` and ``is_lead`` together mean "lead enterprise of that chain" (one role, both conditions)."""

    q = SearchFilter()
    chain = django_filters.ModelChoiceFilter(
        queryset=Chain.objects.all(), to_field_name="code", label=_("chain (code)"), method="filter_role"
    )
    is_lead = StrictBooleanFilter(label=_("lead enterprise (链主)"), method="filter_role")
    ownership = django_filters.ChoiceFilter(choices=Ownership.choices, label=_("ownership"))
    # Unknown is not "no": each of these facts filters by true, false (or a level) or unknown.
    fortune500 = NullableBooleanFilter(label=_("Fortune Global 500"))
    industry_leader = NullableBooleanFilter(label=_("international industry leader"))
    above_size = NullableBooleanFilter(label=_("above designated size"))
    srdi_level = unknown_choice_filter(SrdiLevel.choices, label=_("SRDI (专精特新) level"))
    town = django_filters.ChoiceFilter(choices=Town.choices, label=_("town"))
    credit_code = django_filters.CharFilter(label=_("unified social credit code"), method="filter_credit_code")

    class Meta:
        model = Enterprise
        fields = [
            "q",
            "chain",
            "is_lead",
            "ownership",
            "fortune500",
            "industry_leader",
            "srdi_level",
            "above_size",
            "town",
            "credit_code",
            "in_pinghu",
        ]

    def filter_role(self, queryset, name, value: str):
        # Both role filters are applied once, together, in filter_queryset.
        return queryset

    def filter_credit_code(self, queryset, name, value):
        return queryset.filter(credit_code=value.strip().upper())

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        chain, is_lead = self.form.cleaned_data.get("chain"), self.form.cleaned_data.get("is_lead")
        if chain is None and is_lead is None:
            return queryset
        roles = EnterpriseChainRole.objects.filter(enterprise=OuterRef("pk"))
        if chain is not None:
            roles = roles.filter(chain=chain)
        if is_lead is not None:
            roles = roles.filter(is_lead=True)
            return queryset.filter(Exists(roles)) if is_lead else queryset.exclude(Exists(roles))
        return queryset.filter(Exists(roles))


class YearFilter(django_filters.NumberFilter):
    """A whole year within the range the per-mu evaluation covers (anything else is a 400, not a crash)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("min_value", METRIC_YEAR_MIN)
        kwargs.setdefault("max_value", METRIC_YEAR_MAX)
        super().__init__(*args, **kwargs)


class EnterpriseAnnualMetricFilterSet(StrictFilterSet):
    """Filters of the per-mu figures; expects the annotated queryset of ``chains.stats.annual_metrics``."""

    # The page's labels (pinghu.filter_ui); the API describes the parameters with the labels above.
    q = SearchFilter()
    ui_labels = {
        "chain": _("chain"),
    }

    year = YearFilter(label=_("year"))
    enterprise = django_filters.ModelChoiceFilter(queryset=Enterprise.objects.all(), label=_("enterprise"))
    town = django_filters.ChoiceFilter(field_name="enterprise__town", choices=Town.choices, label=_("town"))
    chain = django_filters.ModelChoiceFilter(
        queryset=Chain.objects.all(), to_field_name="code", label=_("chain (code)"), method="filter_chain"
    )
    grade = django_filters.MultipleChoiceFilter(choices=Grade.choices, label=_("grade"))

    class Meta:
        model = EnterpriseAnnualMetric
        fields = ["q", "year", "enterprise", "town", "chain", "grade"]

    def filter_chain(self, queryset, name, value: Chain):
        roles = EnterpriseChainRole.objects.filter(enterprise=OuterRef("enterprise"), chain=value)
        return queryset.filter(Exists(roles))
