"""API views: ``/api/v1/reports/`` (list, retrieve, create a draft; close, send, reopen, briefing).

The figures served are the stored ones of each version, never recomputed. Bureau staff create, close
and send; administrators reopen; every other role reads sent reports only (``reports.selectors``).
Closed versions are read-only here as everywhere (no update or delete route).
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from pinghu.api.viewsets import ERRORS, READ_ERRORS

from ..filters import ReportFilterSet
from ..models import Report
from ..selectors import visible_reports, with_versions
from ..services import report_close, report_create, report_reopen, report_send, report_update_briefing
from .serializers import (
    BriefingSerializer,
    ReopenSerializer,
    ReportCreateSerializer,
    ReportListSerializer,
    ReportSerializer,
    SendSerializer,
)


@extend_schema_view(
    list=extend_schema(
        summary=_("List period reports (月报/季报/年报)"),
        description=_("Each report with every closed version and its stored figures as JSON."),
        responses={200: ReportListSerializer(many=True), **READ_ERRORS},
    ),
    retrieve=extend_schema(summary=_("One report with its versions"), responses={200: ReportSerializer, **READ_ERRORS}),
    create=extend_schema(
        summary=_("Draft a report (bureau staff)"),
        request=ReportCreateSerializer,
        responses={201: ReportSerializer, **ERRORS},
    ),
)
class ReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    queryset = Report.objects.all()
    serializer_class = ReportSerializer
    filterset_class = ReportFilterSet
    ordering = ["-period_start", "id"]
    lookup_value_regex = r"[0-9]+"
    action_permissions = {
        "close": ["reports.close_report"],
        "send": ["reports.close_report"],
        "reopen": ["reports.reopen_report"],
        "briefing": ["reports.change_report"],
    }

    def get_serializer_class(self):
        return ReportListSerializer if self.action == "list" else ReportSerializer

    def get_queryset(self):
        return with_versions(visible_reports(self.request.user)).order_by("-period_start", "id")

    def create(self, request, *args, **kwargs):
        body = ReportCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        report = report_create(**body.validated_data, by=request.user)
        return Response(self._read(report), status=status.HTTP_201_CREATED)

    def _read(self, report: Report) -> dict:
        return ReportSerializer(self.get_queryset().get(pk=report.pk), context=self.get_serializer_context()).data

    @extend_schema(
        summary=_("Close: freeze the figures in a new version"),
        request=None,
        responses={200: ReportSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        report = self.get_object()
        report_close(report=report, by=request.user)
        return Response(self._read(report))

    @extend_schema(
        summary=_("Record the sending of a closed report"),
        request=SendSerializer,
        responses={200: ReportSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def send(self, request, pk=None):
        report = self.get_object()
        body = SendSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        report_send(report=report, by=request.user, **body.validated_data)
        return Response(self._read(report))

    @extend_schema(
        summary=_("Reopen a closed report (administrators, with a reason)"),
        request=ReopenSerializer,
        responses={200: ReportSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        report = self.get_object()
        body = ReopenSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        report_reopen(report=report, by=request.user, reason=body.validated_data["reason"])
        return Response(self._read(report))

    @extend_schema(
        summary=_("Edit a draft's briefing (招商简报)"),
        request=BriefingSerializer,
        responses={200: ReportSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def briefing(self, request, pk=None):
        report = self.get_object()
        body = BriefingSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        report_update_briefing(report=report, text=body.validated_data["briefing"], by=request.user)
        return Response(self._read(report))
