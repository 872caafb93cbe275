"""API views: ``/api/v1/targets/`` (CRUD), ``/api/v1/assessment-weights/`` and ``/api/v1/stats/targets/``."""

import datetime

from django.db.models import F, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from pinghu.api.concurrency import CONDITIONAL_ERRORS, IF_MATCH
from pinghu.api.export import Column, ExportMixin, labels
from pinghu.api.viewsets import ERRORS, READ_ERRORS, WriteViewSet
from pinghu.querystrings import without_format
from pinghu.read_replica import replica_reads

from ..choices import Metric, ScopeKind
from ..filters import AssessmentWeightFilterSet, TargetFilterSet
from ..models import AssessmentWeight, Target
from ..selectors import parse_scope, target_progress
from ..services import target_delete
from .serializers import (
    METRIC_DEFINITIONS,
    AssessmentWeightSerializer,
    TargetSerializer,
    TargetStatsQuerySerializer,
    TargetStatsSerializer,
)


@extend_schema_view(
    list=extend_schema(
        summary=_("List targets (目标任务)"),
        description=_(
            "Targets handed down to the city, clusters, chains, towns and units; ?format=csv or ?format=xlsx "
            "exports the columns the targets import reads back. The metrics:\n"
        )
        + METRIC_DEFINITIONS,
    ),
    retrieve=extend_schema(summary=_("One target")),
    create=extend_schema(
        summary=_("Set a target (bureau staff)"),
        description=_("A value above zero; one target per years, scope and metric. The metrics:\n")
        + METRIC_DEFINITIONS,
        responses={201: TargetSerializer, **ERRORS},
    ),
    update=extend_schema(
        summary=_("Replace a target"),
        parameters=[IF_MATCH],
        responses={200: TargetSerializer, **ERRORS, **CONDITIONAL_ERRORS},
    ),
    partial_update=extend_schema(
        summary=_("Change some of a target's fields"),
        parameters=[IF_MATCH],
        responses={200: TargetSerializer, **ERRORS, **CONDITIONAL_ERRORS},
    ),
    destroy=extend_schema(summary=_("Delete a target (its history keeps it)"), responses={204: None, **ERRORS}),
)
class TargetViewSet(ExportMixin, mixins.DestroyModelMixin, WriteViewSet):
    # The scope's name as the import reads it back: the chain's or cluster's code, the town, the unit.
    queryset = Target.objects.select_related("cluster", "chain", "unit", "set_by").annotate(
        scope_name=Coalesce(
            F("chain__code"),
            F("cluster__code"),
            NullIf(F("town"), Value("")),
            F("unit__name"),
            NullIf(F("unit_text"), Value("")),
            Value(""),
        )
    )
    serializer_class = TargetSerializer
    filterset_class = TargetFilterSet
    search_fields = ["unit__name", "source", "note"]
    ordering_fields = ["year_from", "year_to", "scope_kind", "metric", "value", "updated_at"]
    ordering = ["-year_from", "scope_kind", "metric", "id"]
    export_name = "targets"
    # The columns of the "targets" import (targets.imports.TargetResource), so an export re-imports.
    export_columns = [
        Column("year_from", _("first year")),
        Column("year_to", _("last year")),
        Column("scope_kind", _("target scope"), labels(ScopeKind.choices)),
        Column("scope_name", _("scope name")),
        Column("metric", _("metric"), labels(Metric.choices)),
        Column("value", _("target value")),
        Column("source", _("source document")),
        Column("note", _("note")),
    ]

    def perform_destroy(self, instance):
        target_delete(target=instance, by=self.request.user)


@extend_schema_view(
    list=extend_schema(summary=_("List assessment weights (考核权重)")),
    retrieve=extend_schema(summary=_("One assessment weight")),
    create=extend_schema(
        summary=_("Set a metric's weight for a year (bureau staff)"),
        responses={201: AssessmentWeightSerializer, **ERRORS},
    ),
    update=extend_schema(
        summary=_("Replace a weight"),
        parameters=[IF_MATCH],
        responses={200: AssessmentWeightSerializer, **ERRORS, **CONDITIONAL_ERRORS},
    ),
    partial_update=extend_schema(
        summary=_("Change a weight"),
        parameters=[IF_MATCH],
        responses={200: AssessmentWeightSerializer, **ERRORS, **CONDITIONAL_ERRORS},
    ),
)
class AssessmentWeightViewSet(WriteViewSet):
    queryset = AssessmentWeight.objects.select_related("set_by")
    serializer_class = AssessmentWeightSerializer
    filterset_class = AssessmentWeightFilterSet
    ordering_fields = ["year", "metric", "weight", "updated_at"]
    ordering = ["-year", "metric", "id"]


def _scope(text: str | None) -> tuple[str | None, object]:
    if not text:
        return None, None
    if text in ScopeKind.values and text != ScopeKind.CITY:
        return text, None
    try:
        return parse_scope(text)
    except ValueError:
        raise serializers.ValidationError({"scope": [_("Unknown scope: %(scope)s.") % {"scope": text}]}) from None


class TargetStatsView(APIView):
    """The progress of a year's targets on a day: actual, completion, time progress, gap, status and rank."""

    view_permission = "targets.view_target"

    @extend_schema(
        summary=_("Targets' progress on a day (目标完成情况)"),
        description=_(
            "Every target whose years include the year, with its actual on as_of, completion (actual ÷ target), "
            "time progress (elapsed months ÷ the months of its years, the current month counted from its 25th), "
            "the gap in percentage points, the status (ahead; behind: within 10 points below; far behind) and "
            "the rank among the targets of the same scope kind, metric and years. The metrics:\n"
        )
        + METRIC_DEFINITIONS,
        parameters=[TargetStatsQuerySerializer],
        responses={200: TargetStatsSerializer, **READ_ERRORS},
    )
    @replica_reads()
    def get(self, request):
        params = TargetStatsQuerySerializer(data=without_format(request.query_params).dict())
        params.is_valid(raise_exception=True)
        data = params.validated_data
        today = timezone.localdate()
        year = data.get("year") or (data["as_of"].year if "as_of" in data else today.year)
        as_of = data.get("as_of") or min(today, datetime.date(year, 12, 31))
        scope_kind, scope = _scope(data.get("scope"))
        rows = target_progress(year, as_of, scope_kind=scope_kind, scope=scope)
        if "metric" in data:
            rows = [row for row in rows if row.metric == data["metric"]]
        return Response(TargetStatsSerializer({"year": year, "as_of": as_of, "results": rows}).data)
