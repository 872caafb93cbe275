"""API of the service of established firms: salons, problems (with their steps), cadre assignments, statistics."""

from django.db.models import Count, Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from pinghu.api.concurrency import CONDITIONAL_ERRORS, IF_MATCH, IF_MATCH_OPTIONAL, STALE_ERRORS
from pinghu.api.deletions import DeletedSinceMixin
from pinghu.api.export import Column, ExportMixin, labels
from pinghu.api.serializers import StrictFieldsMixin
from pinghu.api.viewsets import ERRORS, READ_ERRORS, WriteViewSet
from pinghu.querystrings import without_format
from pinghu.read_replica import replica_reads
from projects.api.stats import StatsQuerySerializer, StatsView, days_field, rate_field
from projects.periods import Period
from units.expressions import unit_label

from .. import stats
from ..choices import IssueCategory, IssueChannel, IssueStatus
from ..filters import CadreAssignmentFilterSet, EnterpriseIssueFilterSet, SalonEventFilterSet
from ..models import CadreAssignment, EnterpriseIssue, IssueStep, SalonEvent
from ..services import issue_advance
from .serializers import (
    CadreAssignmentSerializer,
    EnterpriseIssueDetailSerializer,
    EnterpriseIssueSerializer,
    IssueAdvanceSerializer,
    SalonEventSerializer,
)


@extend_schema_view(
    list=extend_schema(summary=_("List evening salons (亲清夜沙龙)")),
    retrieve=extend_schema(summary=_("One evening salon")),
    create=extend_schema(summary=_("Record an evening salon"), responses={201: SalonEventSerializer, **ERRORS}),
    update=extend_schema(
        summary=_("Replace an evening salon"),
        parameters=[IF_MATCH],
        responses={200: SalonEventSerializer, **ERRORS, **CONDITIONAL_ERRORS},
    ),
    partial_update=extend_schema(
        summary=_("Change some of an evening salon's fields"),
        parameters=[IF_MATCH],
        responses={200: SalonEventSerializer, **ERRORS, **CONDITIONAL_ERRORS},
    ),
)
class SalonEventViewSet(ExportMixin, WriteViewSet):
    queryset = (
        SalonEvent.objects.select_related("host").prefetch_related("enterprises").annotate(issue_count=Count("issues"))
    )
    serializer_class = SalonEventSerializer
    filterset_class = SalonEventFilterSet
    search_fields = ["place", "notes", "host__name"]
    ordering_fields = ["date", "updated_at"]
    ordering = ["-date", "-id"]
    export_name = "salons"
    export_columns = [
        Column("date", _("date")),
        Column("host__name", _("host leader")),
        Column("place", _("place")),
        Column("issue_count", _("problems collected")),
        Column("notes", _("notes")),
    ]


@extend_schema_view(
    list=extend_schema(
        summary=_("List enterprise problems (诉求)"),
        description=_("?format=csv or ?format=xlsx exports every matching row."),
        responses={200: EnterpriseIssueSerializer(many=True), **READ_ERRORS},
    ),
    retrieve=extend_schema(summary=_("One problem with its steps"), responses={200: EnterpriseIssueDetailSerializer}),
    create=extend_schema(
        summary=_("Record a problem (status: received)"), responses={201: EnterpriseIssueDetailSerializer, **ERRORS}
    ),
    update=extend_schema(
        summary=_("Replace a problem's fields (not its status)"),
        parameters=[IF_MATCH],
        responses={200: EnterpriseIssueDetailSerializer, **ERRORS, **CONDITIONAL_ERRORS},
    ),
    partial_update=extend_schema(
        summary=_("Change some of a problem's fields (not its status)"),
        parameters=[IF_MATCH],
        responses={200: EnterpriseIssueDetailSerializer, **ERRORS, **CONDITIONAL_ERRORS},
    ),
)
class EnterpriseIssueViewSet(DeletedSinceMixin, ExportMixin, WriteViewSet):
    queryset = EnterpriseIssue.objects.select_related("enterprise", "assigned_unit").annotate(
        assigned_unit_label=unit_label("assigned_unit")
    )
    serializer_class = EnterpriseIssueSerializer
    filterset_class = EnterpriseIssueFilterSet
    search_fields = ["description", "enterprise__name", "assigned_unit__name"]
    ordering_fields = ["received_on", "due_date", "updated_at"]
    ordering = ["-received_on", "-id"]
    action_permissions = {"advance": ["aftercare.change_enterpriseissue"]}
    export_name = "enterprise-issues"
    export_columns = [
        Column("id", "ID"),
        Column("received_on", _("received on")),
        Column("enterprise__name", _("enterprise")),
        Column("channel", _("channel"), labels(IssueChannel.choices)),
        Column("category", _("category"), labels(IssueCategory.choices)),
        Column("description", _("description")),
        Column("status", _("status"), labels(IssueStatus.choices)),
        Column("assigned_unit_label", _("assigned unit")),
        Column("due_date", _("due date")),
        Column("resolved_on", _("resolved on")),
        Column("resolution_note", _("resolution note")),
        Column("satisfaction", _("satisfaction")),
    ]

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action in ("retrieve", "create", "update", "partial_update", "advance"):
            queryset = queryset.prefetch_related(Prefetch("steps", queryset=IssueStep.objects.select_related("by")))
        return queryset  # a firm has at most one role per chain: the chain filter adds no duplicates

    def get_serializer_class(self):
        if self.action in ("retrieve", "create", "update", "partial_update"):
            return EnterpriseIssueDetailSerializer
        return EnterpriseIssueSerializer

    @extend_schema(
        summary=_("Move a problem one step forward"),
        description=_(
            "received → assigned (unit required) → resolved (note required) → closed (optional satisfaction 1–5); "
            "received or assigned → rejected (reason in note). Never backwards."
        ),
        parameters=[IF_MATCH_OPTIONAL],
        request=IssueAdvanceSerializer,
        responses={200: EnterpriseIssueDetailSerializer, **ERRORS, **STALE_ERRORS},
    )
    @action(detail=True, methods=["post"], serializer_class=IssueAdvanceSerializer)
    def advance(self, request, pk=None):
        issue = self.get_object()
        body = IssueAdvanceSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        expected_version = self.if_match_version(request, required=False)
        issue_advance(issue, data.pop("to_status"), by=request.user, expected_version=expected_version, **data)
        fresh = self.get_queryset().get(pk=issue.pk)
        return self.with_etag(
            Response(EnterpriseIssueDetailSerializer(fresh, context=self.get_serializer_context()).data), fresh
        )


@extend_schema_view(
    list=extend_schema(summary=_("List cadre assignments (千名干部助千企)")),
    retrieve=extend_schema(summary=_("One cadre assignment")),
    create=extend_schema(
        summary=_("Assign a cadre to a firm (ends its current assignment the day before)"),
        responses={201: CadreAssignmentSerializer, **ERRORS},
    ),
    update=extend_schema(
        summary=_("Replace a cadre assignment"),
        parameters=[IF_MATCH],
        responses={200: CadreAssignmentSerializer, **ERRORS, **CONDITIONAL_ERRORS},
    ),
    partial_update=extend_schema(
        summary=_("Change a cadre assignment (e.g. end it)"),
        parameters=[IF_MATCH],
        responses={200: CadreAssignmentSerializer, **ERRORS, **CONDITIONAL_ERRORS},
    ),
)
class CadreAssignmentViewSet(WriteViewSet):
    queryset = CadreAssignment.objects.select_related("enterprise", "cadre_user", "cadre_leader")
    serializer_class = CadreAssignmentSerializer
    filterset_class = CadreAssignmentFilterSet
    ordering_fields = ["start_date", "updated_at"]
    ordering = ["-start_date", "-id"]


class IssueStatsQuerySerializer(StatsQuerySerializer):
    by = serializers.ChoiceField(
        choices=["channel", "unit", "category", "chain", "month"],
        required=False,
        help_text=_("Add a breakdown: per channel, assigned unit, category, chain or month."),
    )

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if attrs.get("cluster"):
            raise serializers.ValidationError({"cluster": [_("Problems are counted per chain, not per cluster.")]})
        return attrs


class IssueFiguresSerializer(serializers.Serializer):
    collected = serializers.IntegerField()
    resolved = serializers.IntegerField()
    resolution_rate = rate_field(help_text=_("Resolved or closed ÷ collected; null when none collected."))
    overdue = serializers.IntegerField(help_text=_("Open and past the due date (today)."))
    average_days_to_resolve = days_field()


class IssueBreakdownRowSerializer(IssueFiguresSerializer):
    key = serializers.CharField(allow_blank=True, help_text=_("Channel, unit, category, chain code or month."))


class IssueSummarySerializer(IssueFiguresSerializer):
    salons = serializers.IntegerField()
    firms_with_cadre = serializers.IntegerField()
    breakdown = IssueBreakdownRowSerializer(many=True, required=False)


class IssueStatsView(StatsView):
    view_permission = "aftercare.view_enterpriseissue"

    @extend_schema(
        summary=_("Enterprise problems: collected, resolved, resolution rate, overdue, days to resolve"),
        parameters=[IssueStatsQuerySerializer],
        responses={200: IssueSummarySerializer, **READ_ERRORS},
    )
    @replica_reads()
    def get(self, request):
        params = IssueStatsQuerySerializer(data=without_format(request.query_params).dict())
        params.is_valid(raise_exception=True)
        data = params.validated_data
        period = Period(data["start"], data["end"])
        result = stats.issue_summary(period, chain=data.get("chain"))
        if data.get("by"):
            result["breakdown"] = stats.issues_by(period, data["by"])
        return Response(IssueSummarySerializer(result).data)


class NotVisitedQuerySerializer(StrictFieldsMixin, serializers.Serializer):
    days = serializers.IntegerField(
        min_value=1, max_value=3650, default=90, help_text=_("No contact for this many days.")
    )


class NotVisitedRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    last_contact = serializers.DateField(allow_null=True, help_text=_("Latest visit, salon or problem; null for none."))


class NotVisitedView(StatsView):
    view_permission = "chains.view_enterprise"

    @extend_schema(
        summary=_("Followed firms with no visit or contact in N days (oldest contact first)"),
        parameters=[NotVisitedQuerySerializer],
        responses={200: NotVisitedRowSerializer(many=True), **READ_ERRORS},
    )
    @replica_reads()
    def get(self, request):
        params = NotVisitedQuerySerializer(data=without_format(request.query_params).dict())
        params.is_valid(raise_exception=True)
        rows = [
            {
                "id": firm.pk,
                "name": firm.name,
                "last_contact": None if firm.last_contact == stats.NEVER else firm.last_contact,
            }
            for firm in stats.not_visited(params.validated_data["days"])
        ]
        return Response(NotVisitedRowSerializer(rows, many=True).data)
