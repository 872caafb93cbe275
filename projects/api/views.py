"""API of investment activity: visits, projects (with the transition action), signing conferences, statistics."""

from django.db.models import Count, Prefetch, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from pinghu.api.concurrency import CONDITIONAL_ERRORS, IF_MATCH, IF_MATCH_OPTIONAL, STALE_ERRORS
from pinghu.api.deletions import DeletedSinceMixin
from pinghu.api.export import STR, Column, ExportMixin, labels, yes_no
from pinghu.api.idempotency import IDEMPOTENCY_ERRORS, IDEMPOTENCY_KEY, IdempotentCreateMixin
from pinghu.api.pagination import ApiPageNumberPagination
from pinghu.api.values_list import ValuesListMixin
from pinghu.api.viewsets import ERRORS, READ_ERRORS, WriteViewSet
from projects.bands import is_major, usd_thresholds
from projects.choices import ApprovalKind, ProjectLevel, ProjectSource, ProjectStage
from projects.fields import PROJECT_COLUMNS, VISIT_COLUMNS
from projects.filters import (
    ExchangeRateFilterSet,
    InvestmentVisitFilterSet,
    ProjectFilterSet,
    SigningEventFilterSet,
)
from projects.funds_stats import with_funds
from projects.models import (
    ExchangeRate,
    InvestmentVisit,
    Project,
    ProjectStageChange,
    SigningEvent,
    VisitPhoto,
)
from projects.services import project_transition
from units.expressions import unit_label

from .photos import VisitPhotosMixin
from .serializers import (
    ExchangeRateSerializer,
    InvestmentVisitSerializer,
    ProjectDetailSerializer,
    ProjectSerializer,
    SigningEventSerializer,
    TransitionSerializer,
)

# Query parameters that choose a page of a list without changing what it lists.
PAGE_PARAMETERS = {ApiPageNumberPagination.page_query_param, ApiPageNumberPagination.page_size_query_param}

# The export writes the file columns of projects.fields (the import reads them back): how each is read and shown.
PROJECT_EXPORT = [
    Column(
        {
            "chain": "chain__name",
            "investor": "investor__name",
            "signing_event": "signing_event__name",
            "responsible_unit": "responsible_unit_label",
        }.get(name, name),
        header,
        {
            "source": labels(ProjectSource.choices),
            "stage": labels(ProjectStage.choices),
            "level": labels(ProjectLevel.choices),
            "is_capital_increase": yes_no,
            "major": yes_no,
            "approval_kind": labels(ApprovalKind.choices),
        }.get(name),
    )
    for name, header in PROJECT_COLUMNS.items()
]


@extend_schema_view(
    list=extend_schema(
        summary=_("List investment projects"),
        description=_(
            "Filter with the query parameters below; ?format=csv or ?format=xlsx exports every matching row. "
            "Pass ?cursor= (empty) for cursor mode, ordered by id, to synchronise all projects."
        ),
        responses={200: ProjectSerializer(many=True), **READ_ERRORS},
    ),
    retrieve=extend_schema(summary=_("One project with its stage history"), responses={200: ProjectDetailSerializer}),
    create=extend_schema(
        summary=_("Create a project"),
        responses={201: ProjectDetailSerializer, **ERRORS},
        examples=[
            OpenApiExample(
                "lead",
                value={"name": "年产10万台驱动电机项目", "chain": "nev", "investor": 1, "total_investment": "50000.00"},
                request_only=True,
            )
        ],
    ),
    update=extend_schema(
        summary=_("Replace a project's fields (not its stage)"),
        parameters=[IF_MATCH],
        responses={200: ProjectDetailSerializer, **ERRORS, **CONDITIONAL_ERRORS},
    ),
    partial_update=extend_schema(
        summary=_("Change some of a project's fields (not its stage)"),
        parameters=[IF_MATCH],
        responses={200: ProjectDetailSerializer, **ERRORS, **CONDITIONAL_ERRORS},
    ),
)
class ProjectViewSet(DeletedSinceMixin, ExportMixin, ValuesListMixin, WriteViewSet):
    lookup_value_regex = r"[0-9]+"
    # The list is read as plain rows (see pinghu.api.values_list); these fields come through relations.
    list_paths = {
        "chain": "chain__code",
        "investor": "investor_id",
        "investor_name": "investor__name",
        "responsible_official": "responsible_official_id",
        "signing_event": "signing_event_id",
    }
    # "major" from the row itself (the enterprise is joined for its name anyway, the US-dollar threshold from
    # the rates read once: projects.bands.usd_thresholds), not an EXISTS per row; is_major agrees with the
    # query form. The unit's name by units.expressions.unit_label, as single rows and exports read it.
    list_extra_paths = {
        "_investor_fortune500": "investor__fortune500",
        "_investor_leader": "investor__industry_leader",
        "_responsible_unit_label": unit_label("responsible_unit"),
    }

    def list_computed_fields(self):
        threshold = usd_thresholds()
        return {
            "major": lambda row: is_major(
                total_investment=row["total_investment"],
                usd_threshold=threshold(row["signed_date"]),
                investor_fortune500=row["_investor_fortune500"],
                investor_leader=row["_investor_leader"],
            ),
            "responsible_unit": lambda row: row["_responsible_unit_label"] or None,  # unit_label's "" is null here
        }

    def list_prepared_key(self):
        # Without a filter, search, ordering or format the JSON list's queryset is the code's alone (no user, no
        # time): built once, its pages' SQL compiled once (pinghu.api.values_list.PreparedRows).
        if set(self.request.query_params) <= PAGE_PARAMETERS and not self.exporting():
            return "unfiltered"
        return None

    # The model of the permission check (pinghu.api.permissions), without building get_queryset's annotations.
    queryset = Project.objects.all()
    serializer_class = ProjectSerializer
    filterset_class = ProjectFilterSet
    search_fields = ["name", "investor__name", "investor__short_name", "responsible_unit__name"]
    ordering_fields = ["updated_at", "created_at", "signed_date", "total_investment", "first_contact_date", "name"]
    ordering = ["-updated_at", "-id"]
    action_permissions = {"transition": ["projects.change_project"]}
    export_name = "projects"
    export_columns = PROJECT_EXPORT

    def get_queryset(self):
        # An export reads the funds figures of every row: from one grouped pass rather than per row.
        queryset = with_funds(
            Project.objects.select_related("investor", "chain", "responsible_unit"), joined=self.exporting()
        )
        plain_list = self.action == "list" and not {"major", "format"} & set(self.request.query_params)
        if not plain_list:
            # The JSON list computes "major" and the unit's name from each row (list_computed_fields); filters,
            # exports and single rows read them here.
            queryset = queryset.with_major().annotate(responsible_unit_label=unit_label("responsible_unit"))
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(
                Prefetch("stage_changes", queryset=ProjectStageChange.objects.select_related("by").order_by("at", "pk"))
            )
        return queryset

    def get_serializer_class(self):
        return (
            ProjectDetailSerializer
            if self.action in ("retrieve", "create", "update", "partial_update")
            else ProjectSerializer
        )

    @extend_schema(
        summary=_("Move a project to another stage"),
        description=_(
            "Calls the one transition rule: forward one or more steps (every passed stage dated; never past signed "
            "without a signed date), to on_hold or dropped from an open stage, back from on_hold to where it stopped."
        ),
        parameters=[IF_MATCH_OPTIONAL],
        request=TransitionSerializer,
        responses={
            200: ProjectDetailSerializer,
            **ERRORS,
            404: OpenApiResponse(description=_("No such project.")),
            **STALE_ERRORS,
        },
        examples=[
            OpenApiExample(
                "sign", value={"to_stage": "signed", "date": "2024-05-09", "note": "签约大会"}, request_only=True
            )
        ],
    )
    @action(detail=True, methods=["post"], serializer_class=TransitionSerializer)
    def transition(self, request, pk=None):
        project = self.get_object()  # checks the object rule: may this user change this project?
        body = TransitionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        project_transition(
            project,
            data["to_stage"],
            by=request.user,
            on_date=data["date"],
            note=data["note"],
            stage_dates=data["stage_dates"],
            expected_version=self.if_match_version(request, required=False),
        )
        fresh = self.get_queryset().prefetch_related("stage_changes__by").get(pk=project.pk)
        body = ProjectDetailSerializer(fresh, context=self.get_serializer_context()).data
        return self.with_etag(Response(body), fresh)


VISIT_EXPORT = [
    Column(
        {
            "enterprise": "enterprise__name",
            "recorded_by": "recorded_by__username",
            "host_unit": "host_unit_label",
        }.get(name, name),
        header,
        yes_no if name == "is_saturday" else None,
        # Leaders as 姓名（职务） (two leaders may share a name), chains by name.
        {"leaders": STR, "chains": "name"}.get(name),
    )
    for name, header in VISIT_COLUMNS.items()
]


@extend_schema_view(
    list=extend_schema(
        summary=_("List investment visits"),
        description=_("?format=csv or ?format=xlsx exports every matching row."),
        responses={200: InvestmentVisitSerializer(many=True), **READ_ERRORS},
    ),
    retrieve=extend_schema(summary=_("One visit")),
    create=extend_schema(
        summary=_("Record a visit, optionally creating new leads in the same step"),
        parameters=[IDEMPOTENCY_KEY],
        responses={201: InvestmentVisitSerializer, **ERRORS, **IDEMPOTENCY_ERRORS},
        examples=[
            OpenApiExample(
                "Saturday visit",
                value={
                    "date": "2024-03-02",
                    "leaders": [1, 2],
                    "host_unit": "平湖市经信局",
                    "enterprise": 3,
                    "chains": ["nev"],
                    "purpose": "洽谈驱动电机扩产",
                    "new_projects": [{"name": "驱动电机扩产项目", "chain": "nev", "total_investment": "30000"}],
                },
                request_only=True,
            )
        ],
    ),
    update=extend_schema(
        summary=_("Replace a visit"),
        parameters=[IF_MATCH],
        responses={200: InvestmentVisitSerializer, **ERRORS, **CONDITIONAL_ERRORS},
    ),
    partial_update=extend_schema(
        summary=_("Change some of a visit's fields"),
        parameters=[IF_MATCH],
        responses={200: InvestmentVisitSerializer, **ERRORS, **CONDITIONAL_ERRORS},
    ),
)
class InvestmentVisitViewSet(VisitPhotosMixin, DeletedSinceMixin, IdempotentCreateMixin, ExportMixin, WriteViewSet):
    lookup_value_regex = r"[0-9]+"
    queryset = (
        InvestmentVisit.objects.select_related("enterprise", "recorded_by", "host_unit")
        .annotate(host_unit_label=unit_label("host_unit"))
        .prefetch_related(
            "leaders",
            "chains",
            "projects",
            # One query for the photos with their uploaders, however many.
            Prefetch("photos", queryset=VisitPhoto.objects.select_related("uploaded_by")),
        )
    )
    serializer_class = InvestmentVisitSerializer
    filterset_class = InvestmentVisitFilterSet
    search_fields = ["enterprise__name", "host_unit__name", "purpose", "destination_city"]
    ordering_fields = ["date", "updated_at", "created_at"]
    ordering = ["-date", "-id"]
    export_name = "visits"
    export_columns = VISIT_EXPORT


@extend_schema_view(
    list=extend_schema(summary=_("List signing conferences with announced and recorded totals")),
    retrieve=extend_schema(summary=_("One signing conference with announced and recorded totals")),
)
class SigningEventViewSet(ExportMixin, viewsets.ReadOnlyModelViewSet):
    lookup_value_regex = r"[0-9]+"
    queryset = SigningEvent.objects.annotate(
        project_count=Count("projects"),
        total_investment=Coalesce(
            Sum("projects__total_investment"), 0, output_field=Project._meta.get_field("total_investment")
        ),
        foreign_investment=Coalesce(
            Sum("projects__foreign_investment"), 0, output_field=Project._meta.get_field("foreign_investment")
        ),
    )
    serializer_class = SigningEventSerializer
    filterset_class = SigningEventFilterSet
    search_fields = ["name", "location"]
    ordering_fields = ["date", "name", "updated_at"]
    ordering = ["-date", "-id"]
    export_name = "signing-events"
    export_columns = [
        Column("name", _("name")),
        Column("date", _("date")),
        Column("location", _("location")),
        Column("announced_project_count", _("announced projects")),
        Column("announced_investment", _("announced total investment (10k CNY)")),
        Column("project_count", _("projects on record")),
        Column("total_investment", _("total investment on record (10k CNY)")),
        Column("foreign_investment", _("contracted foreign investment (10k USD)")),
    ]


# ---------------------------------------------------------------- bands and levels (issue 16)
@extend_schema_view(
    list=extend_schema(summary=_("List the yearly CNY/USD exchange rates of the US-dollar band")),
    retrieve=extend_schema(summary=_("One year's CNY/USD exchange rate")),
)
class ExchangeRateViewSet(viewsets.ReadOnlyModelViewSet):
    """Read-only: the rates are edited in the admin (with history); a year uses the latest rate on or before it."""

    lookup_field = "year"
    lookup_value_regex = r"[0-9]+"  # any number reaches the view: 401/403 before a 404
    queryset = ExchangeRate.objects.all()
    serializer_class = ExchangeRateSerializer
    filterset_class = ExchangeRateFilterSet
    ordering_fields = ["year"]
    ordering = ["-year"]
