"""Read-only API of the industry structure (reference data is kept in the admin)."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from chains.choices import ChainKind, Ownership, Segment, SrdiLevel
from chains.filters import ChainFilterSet, ChainNodeFilterSet, EnterpriseFilterSet, LeaderFilterSet
from chains.models import Chain, ChainLeadership, ChainNode, Cluster, Enterprise, EnterpriseChainRole, Leader
from pinghu.api.export import Column, ExportMixin, labels, yes_no

from .serializers import (
    ChainNodeSerializer,
    ChainSerializer,
    ClusterSerializer,
    EnterpriseSerializer,
    LeaderSerializer,
)


@extend_schema_view(
    list=extend_schema(summary=_("List industry clusters")),
    retrieve=extend_schema(summary=_("One industry cluster")),
)
class ClusterViewSet(ExportMixin, viewsets.ReadOnlyModelViewSet):
    lookup_value_regex = r"[0-9]+"
    queryset = Cluster.objects.all()
    serializer_class = ClusterSerializer
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
    ]


@extend_schema_view(list=extend_schema(summary=_("List leaders")), retrieve=extend_schema(summary=_("One leader")))
class LeaderViewSet(ExportMixin, viewsets.ReadOnlyModelViewSet):
    lookup_value_regex = r"[0-9]+"
    queryset = Leader.objects.all()
    serializer_class = LeaderSerializer
    filterset_class = LeaderFilterSet
    search_fields = ["name", "title", "unit"]
    ordering_fields = ["name", "unit", "updated_at"]
    export_name = "leaders"
    export_columns = [Column("name", _("name")), Column("title", _("title")), Column("unit", _("unit"))]


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
        Column("fortune500", _("Fortune Global 500"), yes_no),
        Column("srdi_level", _("SRDI (专精特新) level"), labels(SrdiLevel.choices)),
        Column("above_size", _("above designated size"), yes_no),
        Column("in_pinghu", _("located in Pinghu"), yes_no),
        Column("town", _("town")),
        Column("address", _("address")),
    ]
