"""API of the industry structure: reference data read-only (kept in the admin); per-mu figures and statistics."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from chains import stats
from chains.choices import ChainKind, Ownership, Segment, SrdiLevel
from chains.filters import (
    ChainFilterSet,
    ChainNodeFilterSet,
    ClusterFilterSet,
    EnterpriseAnnualMetricFilterSet,
    EnterpriseFilterSet,
    LeaderFilterSet,
)
from chains.models import Chain, ChainLeadership, ChainNode, Cluster, Enterprise, EnterpriseChainRole, Leader
from pinghu.api.concurrency import CONDITIONAL_ERRORS, IF_MATCH
from pinghu.api.export import Column, ExportMixin, labels, yes_no, yes_no_unknown
from pinghu.api.viewsets import ERRORS, READ_ERRORS, WriteViewSet
from pinghu.querystrings import without_format
from pinghu.read_replica import replica_reads
from units.expressions import unit_label

from .serializers import (
    ChainNodeSerializer,
    ChainSerializer,
    ClusterSerializer,
    EnterpriseAnnualMetricSerializer,
    EnterpriseSerializer,
    LeaderSerializer,
    PerMuByChainRowSerializer,
    PerMuByTownRowSerializer,
    PerMuYearQuerySerializer,
)


@extend_schema_view(
    list=extend_schema(summary=_("List industry clusters")),
    retrieve=extend_schema(summary=_("One industry cluster")),
)
class ClusterViewSet(ExportMixin, viewsets.ReadOnlyModelViewSet):
    lookup_value_regex = r"[0-9]+"
    queryset = Cluster.objects.all()
    serializer_class = ClusterSerializer
    filterset_class = ClusterFilterSet
    search_fields = ["name", "code", "name_en"]
    ordering_fields = ["sort_order", "code", "name", "updated_at"]
    export_name = "clusters"
    export_columns = [
        Column("code", _("code")),
        Column("name", _("name")),
        Column("name_en", _("English name")),
        Column("sort_order", _("sort order")),
    ]


@extend_schema_view(
    list=extend_schema(summary=_("List industrial chains with their current chiefs and lead enterprises")),
    retrieve=extend_schema(summary=_("One industrial chain")),
)
class ChainViewSet(ExportMixin, viewsets.ReadOnlyModelViewSet):
    lookup_value_regex = r"[0-9]+"
    queryset = Chain.objects.select_related("cluster").prefetch_related(
        Prefetch(
            "leaderships",
            queryset=ChainLeadership.objects.current().select_related("leader").order_by("role", "start_date"),
            to_attr="current_leaderships",
        ),
        Prefetch(
            "enterprise_roles",
            queryset=EnterpriseChainRole.objects.filter(is_lead=True).select_related("enterprise"),
            to_attr="lead_roles",
        ),
    )
    serializer_class = ChainSerializer
    filterset_class = ChainFilterSet
    search_fields = ["name", "code", "name_en"]
    ordering_fields = ["sort_order", "code", "name", "updated_at"]
    export_name = "chains"
    export_columns = [
        Column("code", _("code")),
        Column("name", _("name")),
        Column("kind", _("kind"), labels(ChainKind.choices)),
        Column("cluster__name", _("cluster")),
    ]


@extend_schema_view(
    list=extend_schema(summary=_("List chain-map nodes")),
    retrieve=extend_schema(summary=_("One chain-map node")),
)
class ChainNodeViewSet(ExportMixin, viewsets.ReadOnlyModelViewSet):
    lookup_value_regex = r"[0-9]+"
    queryset = ChainNode.objects.select_related("chain")
    serializer_class = ChainNodeSerializer
    filterset_class = ChainNodeFilterSet
    search_fields = ["name", "chain__name"]
    ordering_fields = ["sort_order", "name", "updated_at"]
    export_name = "chain-nodes"
    export_columns = [
        Column("chain__name", _("chain")),
        Column("name", _("name")),
        Column("segment", _("segment"), labels(Segment.choices)),
        Column("parent__name", _("parent node")),
        Column("gap", _("gap to recruit for (补链)"), yes_no_unknown),
        Column("gap_basis", _("basis of the gap assessment")),
    ]


@extend_schema_view(list=extend_schema(summary=_("List leaders")), retrieve=extend_schema(summary=_("One leader")))
class LeaderViewSet(ExportMixin, viewsets.ReadOnlyModelViewSet):
    lookup_value_regex = r"[0-9]+"
    queryset = Leader.objects.select_related("unit").annotate(unit_label=unit_label("unit"))
    serializer_class = LeaderSerializer
    filterset_class = LeaderFilterSet
    search_fields = ["name", "title", "unit__name"]
    ordering_fields = ["name", "unit", "updated_at"]
    export_name = "leaders"
    export_columns = [
        Column("name", _("name")),
        Column("title", _("title")),
        Column("unit_label", _("unit")),
        Column("is_top_official", _("unit's top official"), yes_no),
    ]


@extend_schema_view(
    list=extend_schema(summary=_("List enterprises")), retrieve=extend_schema(summary=_("One enterprise"))
)
class EnterpriseViewSet(ExportMixin, viewsets.ReadOnlyModelViewSet):
    lookup_value_regex = r"[0-9]+"
    queryset = Enterprise.objects.prefetch_related(
        Prefetch("chain_roles", queryset=EnterpriseChainRole.objects.select_related("chain"))
    )
    serializer_class = EnterpriseSerializer
    filterset_class = EnterpriseFilterSet
    search_fields = ["name", "short_name", "credit_code"]
    ordering_fields = ["name", "updated_at", "created_at"]
    export_name = "enterprises"
    export_columns = [
        Column("name", _("name")),
        Column("short_name", _("short name")),
        Column("credit_code", _("unified social credit code")),
        Column("ownership", _("ownership"), labels(Ownership.choices)),
        Column("country", _("country or region")),
        Column("fortune500", _("Fortune Global 500"), yes_no_unknown),
        Column("industry_leader", _("international industry leader"), yes_no_unknown),
        Column("srdi_level", _("SRDI (专精特新) level"), labels(SrdiLevel.choices, unknown=True)),
        Column("above_size", _("above designated size"), yes_no_unknown),
        Column("in_pinghu", _("located in Pinghu"), yes_no),
        Column("town", _("town")),
        Column("address", _("address")),
    ]


# ---------------------------------------------------------------- per-mu evaluation (亩均论英雄)

METRIC_EXPORT = [
    Column("id", "ID"),
    Column("enterprise__name", _("enterprise")),
    Column("enterprise__credit_code", _("unified social credit code")),
    Column("enterprise__town", _("town")),
    Column("year", _("year")),
    Column("land_area", _("land (mu)")),
    Column("tax_paid", _("tax paid (10k CNY)")),
    Column("industrial_output", _("industrial output (10k CNY)")),
    Column("revenue", _("revenue (10k CNY)")),
    Column("energy_use", _("energy use (tonnes of standard coal)")),
    Column("employees", _("employees")),
    Column("rd_spending", _("R&D spending (10k CNY)")),
    Column("tax_per_mu", _("tax per mu (10k CNY/mu)")),
    Column("output_per_mu", _("output per mu (10k CNY/mu)")),
    Column("energy_per_output", _("energy per output (tce/10k CNY)")),
    Column("grade", _("grade")),
    Column("rank", _("rank")),
]


@extend_schema_view(
    list=extend_schema(
        summary=_("List enterprises' annual per-mu figures with tax per mu, grade and rank"),
        description=_(
            "Derived figures are computed by the database: tax per mu and output per mu (万元/亩), energy per "
            "output (tce/万元), the grade A–D by the year's thresholds, and the rank among the year's firms by tax "
            "per mu. ?format=csv or ?format=xlsx exports every matching row."
        ),
        responses={200: EnterpriseAnnualMetricSerializer(many=True), **READ_ERRORS},
    ),
    retrieve=extend_schema(summary=_("One enterprise's figures for one year")),
    create=extend_schema(
        summary=_("Record an enterprise's figures for a year"),
        responses={201: EnterpriseAnnualMetricSerializer, **ERRORS},
        examples=[
            OpenApiExample(
                "figures",
                value={
                    "enterprise": 1,
                    "year": 2024,
                    "land_area": "80.00",
                    "tax_paid": "1200.00",
                    "industrial_output": "45000.00",
                    "revenue": "47000.00",
                    "energy_use": "3200.00",
                    "employees": 350,
                    "rd_spending": "1500.00",
                },
                request_only=True,
            )
        ],
    ),
    update=extend_schema(
        summary=_("Replace an enterprise's figures for a year"),
        parameters=[IF_MATCH],
        responses={200: EnterpriseAnnualMetricSerializer, **ERRORS, **CONDITIONAL_ERRORS},
    ),
    partial_update=extend_schema(
        summary=_("Change some of an enterprise's figures for a year"),
        parameters=[IF_MATCH],
        responses={200: EnterpriseAnnualMetricSerializer, **ERRORS, **CONDITIONAL_ERRORS},
    ),
)
class EnterpriseAnnualMetricViewSet(ExportMixin, WriteViewSet):
    """List, read, create and update (with If-Match) per-mu figures; no deletion through the API.

    Writing needs the role's add/change permission (bureau staff, admins) and a write token.
    """

    lookup_value_regex = r"[0-9]+"
    serializer_class = EnterpriseAnnualMetricSerializer
    filterset_class = EnterpriseAnnualMetricFilterSet
    search_fields = ["enterprise__name", "enterprise__short_name", "enterprise__credit_code"]
    ordering_fields = [
        "year",
        "tax_per_mu",
        "output_per_mu",
        "energy_per_output",
        "land_area",
        "tax_paid",
        "industrial_output",
        "revenue",
        "employees",
        "enterprise__name",
        "updated_at",
    ]
    ordering = ["-year", "-tax_per_mu", "enterprise__name"]
    export_name = "enterprise-metrics"
    export_columns = METRIC_EXPORT

    def get_queryset(self):
        return stats.annual_metrics()


class PerMuStatsView(APIView):
    """Base of the per-mu statistics: parse the year, answer with what ``chains.stats`` computes."""

    view_permission = "chains.view_enterpriseannualmetric"

    def year(self, request) -> int:
        # "format" is DRF's own (?format=json); every other parameter must be one of ours.
        params = PerMuYearQuerySerializer(data=without_format(request.query_params).dict())
        params.is_valid(raise_exception=True)
        return params.validated_data.get("year") or stats.default_year()


class PerMuByTownView(PerMuStatsView):
    @extend_schema(
        summary=_("Per-mu ranking of towns for a year"),
        description=_(
            "Firms, land, tax and output per town; tax per mu = summed tax ÷ summed land; firms per grade. "
            "Highest tax per mu first."
        ),
        parameters=[PerMuYearQuerySerializer],
        responses={200: PerMuByTownRowSerializer(many=True), **READ_ERRORS},
    )
    @replica_reads()
    def get(self, request):
        rows = stats.per_mu_by_town(self.year(request))
        return Response(PerMuByTownRowSerializer(rows, many=True).data)


class PerMuByChainView(PerMuStatsView):
    @extend_schema(
        summary=_("Per-mu ranking of chains for a year"),
        description=_(
            "The same figures per chain, over the firms with a role in the chain (a firm in two chains counts "
            "in both). Highest tax per mu first."
        ),
        parameters=[PerMuYearQuerySerializer],
        responses={200: PerMuByChainRowSerializer(many=True), **READ_ERRORS},
    )
    @replica_reads()
    def get(self, request):
        rows = stats.per_mu_by_chain(self.year(request))
        return Response(PerMuByChainRowSerializer(rows, many=True).data)
