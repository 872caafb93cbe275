"""API of land parcels (地块, ``/api/v1/land-parcels/``, with the supply action) and their statistics
(``/api/v1/stats/land/``). Writes go through ``projects.services`` (parcel_create, parcel_update, parcel_supply)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from chains.choices import Town
from pinghu.api.concurrency import CONDITIONAL_ERRORS, IF_MATCH, IF_MATCH_OPTIONAL, STALE_ERRORS
from pinghu.api.export import Column, ExportMixin, labels
from pinghu.api.serializers import StrictFieldsMixin
from pinghu.api.viewsets import ERRORS, READ_ERRORS, WriteViewSet
from pinghu.querystrings import without_format
from pinghu.read_replica import replica_reads

from .. import stats_land
from ..choices import ParcelStatus, ParcelUse
from ..filters import LandParcelFilterSet
from ..models import LandParcel, Project
from ..services import parcel_create, parcel_supply, parcel_update
from .stats import StatsQuerySerializer, StatsView


class LandParcelSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    """A parcel; a supplied one names its project and day (set together by the supply action)."""

    origin_name = serializers.CharField(source="origin.name", read_only=True, allow_null=True, default=None)
    project_name = serializers.CharField(source="project.name", read_only=True, allow_null=True, default=None)

    class Meta:
        model = LandParcel
        fields = [
            "id",
            "number",
            "town",
            "land_area",
            "use",
            "status",
            "origin",
            "origin_name",
            "project",
            "project_name",
            "supplied_date",
            "notes",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def create(self, validated_data):
        return parcel_create(parcel=LandParcel(**validated_data))

    def update(self, instance, validated_data):
        return parcel_update(
            parcel=instance, data=validated_data, expected_version=self.context.get("expected_version")
        )


class ParcelSupplySerializer(StrictFieldsMixin, serializers.Serializer):
    project = serializers.PrimaryKeyRelatedField(queryset=Project.objects.all(), help_text=_("Project (id)."))
    date = serializers.DateField(help_text=_("The day the parcel was supplied (供地)."))


@extend_schema_view(
    list=extend_schema(summary=_("List land parcels (地块)")),
    retrieve=extend_schema(summary=_("One land parcel")),
    create=extend_schema(summary=_("Record a land parcel"), responses={201: LandParcelSerializer, **ERRORS}),
    update=extend_schema(
        summary=_("Replace a land parcel"),
        parameters=[IF_MATCH],
        responses={200: LandParcelSerializer, **ERRORS, **CONDITIONAL_ERRORS},
    ),
    partial_update=extend_schema(
        summary=_("Change a land parcel"),
        parameters=[IF_MATCH],
        responses={200: LandParcelSerializer, **ERRORS, **CONDITIONAL_ERRORS},
    ),
)
class LandParcelViewSet(ExportMixin, WriteViewSet):
    queryset = LandParcel.objects.select_related("origin", "project")
    serializer_class = LandParcelSerializer
    filterset_class = LandParcelFilterSet
    search_fields = ["number", "notes"]
    ordering_fields = ["number", "land_area", "supplied_date", "updated_at"]
    ordering = ["number", "id"]
    action_permissions = {"supply": ["projects.change_landparcel"]}
    export_name = "land-parcels"
    export_columns = [
        Column("number", _("parcel number")),
        Column("town", _("town")),
        Column("land_area", _("area (mu)")),
        Column("use", _("planned use"), labels(ParcelUse.choices)),
        Column("status", _("status"), labels(ParcelStatus.choices)),
        Column("origin__name", _("recycled from")),
        Column("project_id", _("project ID")),
        Column("project__name", _("supplied to project")),
        Column("supplied_date", _("supplied on")),
        Column("notes", _("notes")),
    ]

    @extend_schema(
        summary=_("Supply a parcel to a project (供地)"),
        description=_(
            "Sets the status to supplied with the project and the day, together. A parcel already supplied to "
            "another project is refused (400); supplied again to the same project, its day is corrected."
        ),
        parameters=[IF_MATCH_OPTIONAL],
        request=ParcelSupplySerializer,
        responses={
            200: LandParcelSerializer,
            **ERRORS,
            404: OpenApiResponse(description=_("No such parcel.")),
            **STALE_ERRORS,
        },
    )
    @action(detail=True, methods=["post"], serializer_class=ParcelSupplySerializer)
    def supply(self, request, pk=None):
        parcel = self.get_object()
        body = ParcelSupplySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        parcel_supply(
            parcel=parcel,
            project=body.validated_data["project"],
            date=body.validated_data["date"],
            expected_version=self.if_match_version(request, required=False),
        )
        fresh = self.get_queryset().get(pk=parcel.pk)
        return self.with_etag(Response(LandParcelSerializer(fresh).data), fresh)


LAND_DEFINITIONS = _(
    "land_supplied: the sum of the areas (亩) of parcels supplied (status 已供) whose supplied date falls in the "
    "period; land_recycled: the same over those of them recycled from a low-efficiency firm (with an origin "
    "enterprise), counted when supplied again. Per town: the parcel's town; per chain: the supplied project's chain."
)


class LandStatsQuerySerializer(StatsQuerySerializer):
    town = serializers.ChoiceField(choices=Town.choices, required=False, help_text=_("Only parcels in this town."))


class LandFiguresSerializer(serializers.Serializer):
    parcels_supplied = serializers.IntegerField()
    land_supplied = serializers.DecimalField(max_digits=20, decimal_places=2, help_text=_("亩"))
    parcels_recycled = serializers.IntegerField()
    land_recycled = serializers.DecimalField(max_digits=20, decimal_places=2, help_text=_("亩"))


class LandTownRowSerializer(LandFiguresSerializer):
    town = serializers.ChoiceField(choices=Town.choices)


class LandChainRowSerializer(LandFiguresSerializer):
    chain = serializers.CharField(help_text=_("Chain code of the project supplied."))


class LandStatsSerializer(LandFiguresSerializer):
    by_town = LandTownRowSerializer(many=True)
    by_chain = LandChainRowSerializer(many=True)


class LandStatsView(StatsView):
    view_permission = "projects.view_landparcel"

    @extend_schema(
        summary=_("Land supplied and land recycled from low-efficiency firms (亩)"),
        description=LAND_DEFINITIONS,
        parameters=[LandStatsQuerySerializer],
        responses={200: LandStatsSerializer, **READ_ERRORS},
    )
    @replica_reads()
    def get(self, request):
        params = LandStatsQuerySerializer(data=without_format(request.query_params).dict())
        params.is_valid(raise_exception=True)
        data = params.validated_data
        period = stats_land.Period(data["start"], data["end"])
        town, chain, cluster = data.get("town"), data.get("chain"), data.get("cluster")
        body = {
            **stats_land.land_summary(period, town=town, chain=chain, cluster=cluster),
            "by_town": stats_land.land_by_town(period, chain=chain, cluster=cluster, town=town),
            "by_chain": stats_land.land_by_chain(period, town=town, chain=chain, cluster=cluster),
        }
        return Response(LandStatsSerializer(body).data)
