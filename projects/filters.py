"""FilterSets of investment activity, shared by the API and the UI."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from chains.choices import Town
from chains.models import Chain, Cluster, Enterprise, Leader
from pinghu.filters import BoundedIsoDateTimeFilter, StrictBooleanFilter, StrictFilterSet
from pinghu.search import SearchFilter
from units.filters import unit_filter

from .bands import BANDS
from .choices import ParcelStatus, ParcelUse, ProjectLevel, ProjectSource, ProjectStage
from .models import (
    ExchangeRate,
    InvestmentVisit,
    LandParcel,
    Project,
    ProjectFunds,
    SigningEvent,
    VisitLeader,
)

AMOUNT = {"max_digits": 14, "decimal_places": 2}


class NumberInFilter(django_filters.BaseInFilter, django_filters.NumberFilter):
    """Several ids, comma-separated (``?ids=3,5,8``)."""


class ProjectFilterSet(StrictFilterSet):
    """Filters of the project list. The queryset must carry the ``major`` annotation (``with_major()``)."""

    # The page's labels (pinghu.filter_ui); the API describes the parameters with the labels above.
    ui_labels = {
        "chain": _("chain"),
        "cluster": _("cluster"),
        "stage": _("stage"),
        "responsible_unit": _("responsible unit"),
        "investor": _("investor"),
        "signing_event": _("signing conference"),
        "updated_since": _("updated since"),
    }

    q = SearchFilter()
    chain = django_filters.ModelChoiceFilter(
        queryset=Chain.objects.all(), to_field_name="code", label=_("chain (code)")
    )
    cluster = django_filters.ModelChoiceFilter(
        queryset=Cluster.objects.all(), to_field_name="code", field_name="chain__cluster", label=_("cluster (code)")
    )
    # A selection of the list (its export): hidden in the pages' filter form.
    ids = NumberInFilter(field_name="pk", label=_("projects (ids, comma-separated)"), widget=forms.HiddenInput)
    stage = django_filters.MultipleChoiceFilter(choices=ProjectStage.choices, label=_("stage (repeat for several)"))
    town = django_filters.ChoiceFilter(choices=Town.choices, label=_("town"))
    source = django_filters.ChoiceFilter(choices=ProjectSource.choices, label=_("source"))
    responsible_unit = unit_filter("responsible_unit", _("responsible unit (id)"))
    investor = django_filters.ModelChoiceFilter(queryset=Enterprise.objects.all(), label=_("investor (id)"))
    signing_event = django_filters.ModelChoiceFilter(
        queryset=SigningEvent.objects.all(), label=_("signing conference (id)")
    )
    major = StrictBooleanFilter(field_name="major", label=_("major project"))
    # Bands and levels (issue 16).
    level = django_filters.ChoiceFilter(choices=ProjectLevel.choices, label=_("project level"))
    band = django_filters.ChoiceFilter(
        choices=[(band.key, band.label) for band in BANDS], label=_("size band"), method="filter_band"
    )
    signed_from = django_filters.DateFilter(field_name="signed_date", lookup_expr="gte", label=_("signed on or after"))
    signed_to = django_filters.DateFilter(field_name="signed_date", lookup_expr="lte", label=_("signed on or before"))
    min_investment = django_filters.NumberFilter(
        field_name="total_investment", lookup_expr="gte", label=_("total investment at least (10k CNY)"), **AMOUNT
    )
    max_investment = django_filters.NumberFilter(
        field_name="total_investment", lookup_expr="lte", label=_("total investment at most (10k CNY)"), **AMOUNT
    )
    updated_since = BoundedIsoDateTimeFilter(
        field_name="updated_at", lookup_expr="gte", label=_("updated at or after (ISO 8601)")
    )

    class Meta:
        model = Project
        fields = [
            "q",
            "chain",
            "cluster",
            "ids",
            "stage",
            "town",
            "responsible_unit",
            "investor",
            "major",
            "level",
            "band",
            "source",
            "signing_event",
            "signed_from",
            "signed_to",
            "min_investment",
            "max_investment",
            "updated_since",
        ]

    def filter_band(self, queryset, name, value):
        """Projects in the size band ``value`` (``projects.bands``), whatever their signed date."""
        return queryset.filter(next(band for band in BANDS if band.key == value).condition())


class InvestmentVisitFilterSet(StrictFilterSet):
    # The page's labels (pinghu.filter_ui); the API describes the parameters with the labels above.
    ui_labels = {
        "leader": _("leader"),
        "chain": _("chain"),
        "enterprise": _("enterprise"),
        "host_unit": _("host unit"),
    }

    q = SearchFilter()
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("on or after"))
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("on or before"))
    saturday = StrictBooleanFilter(field_name="is_saturday", label=_("Saturday investment day"))
    leader = django_filters.ModelChoiceFilter(queryset=Leader.objects.all(), label=_("leader (id)"), method="by_leader")
    chain = django_filters.ModelChoiceFilter(
        queryset=Chain.objects.all(), to_field_name="code", label=_("chain (code)"), method="by_chain"
    )
    enterprise = django_filters.ModelChoiceFilter(queryset=Enterprise.objects.all(), label=_("enterprise (id)"))
    host_unit = unit_filter("host_unit", _("host unit (id)"))

    class Meta:
        model = InvestmentVisit
        fields = ["q", "date_from", "date_to", "saturday", "leader", "chain", "enterprise", "host_unit", "recorded_by"]

    def by_leader(self, queryset, name, value: int):
        return queryset.filter(Exists(VisitLeader.objects.filter(visit=OuterRef("pk"), leader=value)))

    def by_chain(self, queryset, name, value: str):
        concerned = InvestmentVisit.chains.through.objects.filter(investmentvisit=OuterRef("pk"), chain=value)
        return queryset.filter(Exists(concerned))


# ---------------------------------------------------------------- funds in place (到位资金)


class ProjectFundsFilterSet(StrictFilterSet):
    """Filters of the monthly funds records: project, months (any day names its month), chain, cluster, town."""

    q = SearchFilter()
    project = django_filters.ModelChoiceFilter(queryset=Project.objects.all(), label=_("project (id)"))
    month_from = django_filters.DateFilter(method="by_month_from", label=_("from month (e.g. 2024-01-01)"))
    month_to = django_filters.DateFilter(field_name="month", lookup_expr="lte", label=_("to month, inclusive"))
    chain = django_filters.ModelChoiceFilter(
        queryset=Chain.objects.all(), to_field_name="code", field_name="project__chain", label=_("chain (code)")
    )
    cluster = django_filters.ModelChoiceFilter(
        queryset=Cluster.objects.all(),
        to_field_name="code",
        field_name="project__chain__cluster",
        label=_("cluster (code)"),
    )
    town = django_filters.ChoiceFilter(choices=Town.choices, field_name="project__town", label=_("town"))
    updated_since = BoundedIsoDateTimeFilter(
        field_name="updated_at", lookup_expr="gte", label=_("updated at or after (ISO 8601)")
    )

    class Meta:
        model = ProjectFunds
        fields = ["q", "project", "month_from", "month_to", "chain", "cluster", "town", "updated_since"]

    def by_month_from(self, queryset, name, value):
        return queryset.filter(month__gte=value.replace(day=1))


# Land parcels (地块), issue 16.
class LandParcelFilterSet(StrictFilterSet):
    """Filters of ``/api/v1/land-parcels/``."""

    q = SearchFilter()
    town = django_filters.ChoiceFilter(choices=Town.choices, label=_("town"))
    status = django_filters.MultipleChoiceFilter(choices=ParcelStatus.choices, label=_("status (repeat for several)"))
    use = django_filters.ChoiceFilter(choices=ParcelUse.choices, label=_("planned use"))
    project = django_filters.ModelChoiceFilter(queryset=Project.objects.all(), label=_("project (id)"))
    origin = django_filters.ModelChoiceFilter(
        queryset=Enterprise.objects.all(), label=_("recycled from (enterprise id)")
    )
    recycled = StrictBooleanFilter(
        field_name="origin", lookup_expr="isnull", exclude=True, label=_("recycled from a firm")
    )
    supplied_from = django_filters.DateFilter(
        field_name="supplied_date", lookup_expr="gte", label=_("supplied on or after")
    )
    supplied_to = django_filters.DateFilter(
        field_name="supplied_date", lookup_expr="lte", label=_("supplied on or before")
    )

    class Meta:
        model = LandParcel
        fields = ["q", "town", "status", "use", "project", "origin", "recycled", "supplied_from", "supplied_to"]


class SigningEventFilterSet(StrictFilterSet):
    """Filters of ``/api/v1/signing-events/``: the search."""

    q = SearchFilter()

    class Meta:
        model = SigningEvent
        fields = ["q"]


class ExchangeRateFilterSet(StrictFilterSet):
    """Filters of ``/api/v1/exchange-rates/``: the search (on the rate's source)."""

    q = SearchFilter()

    class Meta:
        model = ExchangeRate
        fields = ["q"]
