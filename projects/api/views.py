"""API of investment activity: visits, projects (with the transition action), signing conferences, statistics."""

import datetime

from django.db.models import Count, Prefetch, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from chains.models import Chain, Cluster
from pinghu.api.concurrency import CONDITIONAL_ERRORS, IF_MATCH
from pinghu.api.export import STR, Column, ExportMixin, labels, yes_no
from pinghu.api.idempotency import IDEMPOTENCY_ERRORS, IDEMPOTENCY_KEY, IdempotentCreateMixin
from pinghu.api.serializers import StrictFieldsMixin
from pinghu.api.values_list import ValuesListMixin
from pinghu.api.viewsets import ERRORS, READ_ERRORS, WriteViewSet
from projects import issue_stats, stats
from projects.choices import IssueCategory, IssueChannel, IssueStatus, ProjectSource, ProjectStage
from projects.filters import (
    CadreAssignmentFilterSet,
    EnterpriseIssueFilterSet,
    InvestmentVisitFilterSet,
    ProjectFilterSet,
    SalonEventFilterSet,
)
from projects.models import (
    CadreAssignment,
    EnterpriseIssue,
    InvestmentVisit,
    IssueStep,
    Project,
    ProjectStageChange,
    SalonEvent,
    SigningEvent,
    is_major_project,
)
from projects.services import issue_advance, project_transition

from .serializers import (
    CadreAssignmentSerializer,
    EnterpriseIssueDetailSerializer,
    EnterpriseIssueSerializer,
    InvestmentVisitSerializer,
    IssueAdvanceSerializer,
    ProjectDetailSerializer,
    ProjectSerializer,
    SalonEventSerializer,
    SigningEventSerializer,
    TransitionSerializer,
)

PROJECT_EXPORT = [
    Column("id", "ID"),
    Column("name", _("name")),
    Column("chain__name", _("chain")),
    Column("investor__name", _("investor")),
    Column("source", _("source"), labels(ProjectSource.choices)),
    Column("stage", _("stage"), labels(ProjectStage.choices)),
    Column("total_investment", _("total investment (10k CNY)")),
    Column("foreign_investment", _("foreign investment (10k USD)")),
    Column("registered_capital", _("registered capital (10k CNY)")),
    Column("land_area", _("land (mu)")),
    Column("expected_output", _("expected annual output (10k CNY)")),
    Column("expected_tax", _("expected annual tax (10k CNY)")),
    Column("is_capital_increase", _("capital increase of an existing firm"), yes_no),
    Column("major", _("major project"), yes_no),
    Column("town", _("town")),
    Column("responsible_unit", _("responsible unit")),
    Column("first_contact_date", _("first contact date")),
    Column("signed_date", _("signed date")),
    Column("registered_date", _("registered date")),
    Column("construction_date", _("construction start date")),
    Column("production_date", _("production start date")),
    Column("signing_event__name", _("signing conference")),
    Column("updated_at", _("updated at")),
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
class ProjectViewSet(ExportMixin, ValuesListMixin, WriteViewSet):
    lookup_value_regex = r"[0-9]+"
    # The list is read as plain rows (see pinghu.api.values_list); these fields come through relations.
    list_paths = {
        "chain": "chain__code",
        "investor": "investor_id",
        "investor_name": "investor__name",
        "responsible_official": "responsible_official_id",
        "signing_event": "signing_event_id",
    }
    # "major" from the row itself (the enterprise is joined for its name anyway), not a subquery per row.
    list_extra_paths = {"_investor_fortune500": "investor__fortune500"}
    list_computed = {
        "major": lambda row: is_major_project(
            foreign_investment=row["foreign_investment"],
            total_investment=row["total_investment"],
            investor_fortune500=row["_investor_fortune500"],
        )
    }

    serializer_class = ProjectSerializer
    filterset_class = ProjectFilterSet
    search_fields = ["name", "investor__name", "investor__short_name", "responsible_unit"]
    ordering_fields = ["updated_at", "created_at", "signed_date", "total_investment", "first_contact_date", "name"]
    ordering = ["-updated_at", "-id"]
    action_permissions = {"transition": ["projects.change_project"]}
    export_name = "projects"
    export_columns = PROJECT_EXPORT

    def get_queryset(self):
        queryset = Project.objects.select_related("investor", "chain")
        plain_list = self.action == "list" and not {"major", "format"} & set(self.request.query_params)
        if not plain_list:
            # The JSON list computes "major" from each row (list_computed); filters and exports read it here.
            queryset = queryset.with_major()
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
        request=TransitionSerializer,
        responses={200: ProjectDetailSerializer, **ERRORS, 404: OpenApiResponse(description=_("No such project."))},
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
        )
        fresh = self.get_queryset().prefetch_related("stage_changes__by").get(pk=project.pk)
        return Response(ProjectDetailSerializer(fresh, context=self.get_serializer_context()).data)


VISIT_EXPORT = [
    Column("id", "ID"),
    Column("date", _("date")),
    Column("is_saturday", _("Saturday investment day"), yes_no),
    Column("enterprise__name", _("visited enterprise")),
    Column("leaders", _("leaders"), many=STR),  # 姓名（职务）: two leaders may share a name
    Column("chains", _("chains concerned"), many="name"),
    Column("host_unit", _("host unit")),
    Column("destination_city", _("destination city")),
    Column("purpose", _("purpose")),
    Column("outcome", _("outcome")),
    Column("next_step", _("next step")),
    Column("follow_up_date", _("follow-up due date")),
    Column("recorded_by__username", _("recorded by")),
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
class InvestmentVisitViewSet(IdempotentCreateMixin, ExportMixin, WriteViewSet):
    lookup_value_regex = r"[0-9]+"
    queryset = InvestmentVisit.objects.select_related("enterprise", "recorded_by").prefetch_related(
        "leaders", "chains", "projects"
    )
    serializer_class = InvestmentVisitSerializer
    filterset_class = InvestmentVisitFilterSet
    search_fields = ["enterprise__name", "host_unit", "purpose", "destination_city"]
    ordering_fields = ["date", "updated_at", "created_at"]
    ordering = ["-date", "-id"]
    export_name = "visits"
    export_columns = VISIT_EXPORT


@extend_schema_view(
    list=extend_schema(summary=_("List signing conferences with derived totals")),
    retrieve=extend_schema(summary=_("One signing conference with derived totals")),
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
    search_fields = ["name", "location"]
    ordering_fields = ["date", "name", "updated_at"]
    ordering = ["-date", "-id"]
    export_name = "signing-events"
    export_columns = [
        Column("name", _("name")),
        Column("date", _("date")),
        Column("location", _("location")),
        Column("project_count", _("projects signed")),
        Column("total_investment", _("total investment (10k CNY)")),
        Column("foreign_investment", _("foreign investment (10k USD)")),
    ]


# ---------------------------------------------------------------- statistics


# Statistics cover the city's records, not the calendar's extremes (a monthly series stays short).
STATS_EARLIEST = datetime.date(1990, 1, 1)
STATS_LATEST = datetime.date(2100, 12, 31)


class StatsQuerySerializer(StrictFieldsMixin, serializers.Serializer):
    """Query parameters of every statistics endpoint."""

    start = serializers.DateField(required=False, help_text=_("First day (default: 1 January of this year)."))
    end = serializers.DateField(required=False, help_text=_("Last day, inclusive (default: today)."))
    chain = serializers.SlugRelatedField(
        slug_field="code", queryset=Chain.objects.all(), required=False, help_text=_("Chain code, e.g. nev.")
    )
    cluster = serializers.SlugRelatedField(
        slug_field="code", queryset=Cluster.objects.all(), required=False, help_text=_("Cluster code, e.g. equipment.")
    )

    def validate(self, attrs):
        today = timezone.localdate()
        attrs.setdefault("start", datetime.date(today.year, 1, 1))
        attrs.setdefault("end", today)
        if attrs["start"] > attrs["end"]:
            raise serializers.ValidationError({"end": [_("The end date cannot be before the start date.")]})
        for name in ("start", "end"):
            if not STATS_EARLIEST <= attrs[name] <= STATS_LATEST:
                message = _("Dates must lie between %(earliest)s and %(latest)s.") % {
                    "earliest": STATS_EARLIEST,
                    "latest": STATS_LATEST,
                }
                raise serializers.ValidationError({name: [message]})
        if attrs.get("chain") and attrs.get("cluster"):
            raise serializers.ValidationError({"cluster": [_("Give a chain or a cluster, not both.")]})
        return attrs


def _money(**kwargs):
    return serializers.DecimalField(max_digits=20, decimal_places=2, **kwargs)


def _rate(**kwargs):
    return serializers.DecimalField(max_digits=6, decimal_places=4, allow_null=True, **kwargs)


def _days():
    return serializers.DecimalField(max_digits=10, decimal_places=1, allow_null=True)


class SummarySerializer(serializers.Serializer):
    visits = serializers.IntegerField()
    saturday_visits = serializers.IntegerField()
    person_times = serializers.IntegerField()
    saturday_person_times = serializers.IntegerField()
    projects_engaged = serializers.IntegerField()
    signed_projects = serializers.IntegerField()
    signed_investment = _money(help_text=_("万元"))
    signed_foreign_investment = _money(help_text=_("万美元"))
    major_projects = serializers.IntegerField()
    started_projects = serializers.IntegerField()
    start_rate = _rate(help_text=_("开工率: started ÷ signed; null when nothing signed."))
    contacted_projects = serializers.IntegerField()
    converted_projects = serializers.IntegerField()
    conversion_rate = _rate()
    contact_to_signed_days = _days()
    signed_to_registered_days = _days()
    registered_to_construction_days = _days()
    construction_to_production_days = _days()


class ByChainRowSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    cluster = serializers.CharField(source="cluster__code")
    signed_projects = serializers.IntegerField()
    signed_investment = _money()
    signed_foreign_investment = _money()
    major_projects = serializers.IntegerField()
    started_projects = serializers.IntegerField()
    start_rate = _rate()
    visits = serializers.IntegerField()
    person_times = serializers.IntegerField()
    saturday_person_times = serializers.IntegerField()
    projects_engaged = serializers.IntegerField()


class PipelineRowSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=ProjectStage.choices)
    label = serializers.CharField()
    projects = serializers.IntegerField()
    investment = _money()


class MonthlyRowSerializer(serializers.Serializer):
    month = serializers.DateField()
    visits = serializers.IntegerField()
    person_times = serializers.IntegerField()
    saturday_person_times = serializers.IntegerField()
    signed_projects = serializers.IntegerField()
    signed_investment = _money()


class StatsView(APIView):
    """Base of the statistics endpoints: parse the period and filter, answer with what stats.py computes."""

    view_permission = "projects.view_project"

    def query(self, request) -> dict:
        # "format" is DRF's own (?format=json); every other parameter must be one of ours.
        params = StatsQuerySerializer(data={k: v for k, v in request.query_params.items() if k != "format"})
        params.is_valid(raise_exception=True)
        data = params.validated_data
        return {
            "period": stats.Period(data["start"], data["end"]),
            "chain": data.get("chain"),
            "cluster": data.get("cluster"),
        }


class SummaryView(StatsView):
    @extend_schema(
        summary=_("Headline figures for a period"),
        description=_(
            "Visits, person-times, projects engaged, signings, major projects, 开工率, conversion and stage durations."
        ),
        parameters=[StatsQuerySerializer],
        responses={200: SummarySerializer, **READ_ERRORS},
    )
    def get(self, request):
        query = self.query(request)
        period, filters = query.pop("period"), query
        data = {**stats.summary(period, **filters), **stats.stage_durations(period, **filters)}
        return Response(SummarySerializer(data).data)


class ByChainView(StatsView):
    @extend_schema(
        summary=_("Signing and visit figures per chain"),
        parameters=[StatsQuerySerializer],
        responses={200: ByChainRowSerializer(many=True), **READ_ERRORS},
    )
    def get(self, request):
        query = self.query(request)
        cluster = query["cluster"] or (query["chain"].cluster if query["chain"] else None)
        visits = {row["code"]: row for row in stats.visits_by_chain(query["period"], cluster=cluster)}
        rows = []
        for row in stats.signed_by_chain(query["period"], cluster=cluster):
            if query["chain"] is not None and row["code"] != query["chain"].code:
                continue
            visit_row = visits[row["code"]]
            rows.append(
                {
                    **row,
                    **{
                        key: visit_row[key]
                        for key in ("visits", "person_times", "saturday_person_times", "projects_engaged")
                    },
                }
            )
        return Response(ByChainRowSerializer(rows, many=True).data)


class PipelineView(StatsView):
    @extend_schema(
        summary=_("Projects and investment by stage as of the period's end"),
        parameters=[StatsQuerySerializer],
        responses={200: PipelineRowSerializer(many=True), **READ_ERRORS},
    )
    def get(self, request):
        query = self.query(request)
        return Response(PipelineRowSerializer(stats.pipeline(query.pop("period"), **query), many=True).data)


class MonthlyView(StatsView):
    @extend_schema(
        summary=_("Monthly series of visits and signings"),
        parameters=[StatsQuerySerializer],
        responses={200: MonthlyRowSerializer(many=True), **READ_ERRORS},
    )
    def get(self, request):
        query = self.query(request)
        return Response(MonthlyRowSerializer(stats.monthly(query.pop("period"), **query), many=True).data)


# ---------------------------------------------------------------- enterprise services


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
class EnterpriseIssueViewSet(ExportMixin, WriteViewSet):
    queryset = EnterpriseIssue.objects.select_related("enterprise")
    serializer_class = EnterpriseIssueSerializer
    filterset_class = EnterpriseIssueFilterSet
    search_fields = ["description", "enterprise__name", "assigned_unit"]
    ordering_fields = ["received_on", "due_date", "updated_at"]
    ordering = ["-received_on", "-id"]
    action_permissions = {"advance": ["projects.change_enterpriseissue"]}
    export_name = "enterprise-issues"
    export_columns = [
        Column("id", "ID"),
        Column("received_on", _("received on")),
        Column("enterprise__name", _("enterprise")),
        Column("channel", _("channel"), labels(IssueChannel.choices)),
        Column("category", _("category"), labels(IssueCategory.choices)),
        Column("description", _("description")),
        Column("status", _("status"), labels(IssueStatus.choices)),
        Column("assigned_unit", _("assigned unit")),
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
        request=IssueAdvanceSerializer,
        responses={200: EnterpriseIssueDetailSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], serializer_class=IssueAdvanceSerializer)
    def advance(self, request, pk=None):
        issue = self.get_object()
        body = IssueAdvanceSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        issue_advance(issue, data.pop("to_status"), by=request.user, **data)
        fresh = self.get_queryset().get(pk=issue.pk)
        return Response(EnterpriseIssueDetailSerializer(fresh, context=self.get_serializer_context()).data)


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
    resolution_rate = _rate(help_text=_("Resolved or closed ÷ collected; null when none collected."))
    overdue = serializers.IntegerField(help_text=_("Open and past the due date (today)."))
    average_days_to_resolve = _days()


class IssueBreakdownRowSerializer(IssueFiguresSerializer):
    key = serializers.CharField(allow_blank=True, help_text=_("Channel, unit, category, chain code or month."))


class IssueSummarySerializer(IssueFiguresSerializer):
    salons = serializers.IntegerField()
    firms_with_cadre = serializers.IntegerField()
    breakdown = IssueBreakdownRowSerializer(many=True, required=False)


class IssueStatsView(StatsView):
    view_permission = "projects.view_enterpriseissue"

    @extend_schema(
        summary=_("Enterprise problems: collected, resolved, resolution rate, overdue, days to resolve"),
        parameters=[IssueStatsQuerySerializer],
        responses={200: IssueSummarySerializer, **READ_ERRORS},
    )
    def get(self, request):
        params = IssueStatsQuerySerializer(data={k: v for k, v in request.query_params.items() if k != "format"})
        params.is_valid(raise_exception=True)
        data = params.validated_data
        period = stats.Period(data["start"], data["end"])
        result = issue_stats.issue_summary(period, chain=data.get("chain"))
        if data.get("by"):
            result["breakdown"] = issue_stats.issues_by(period, data["by"])
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
    def get(self, request):
        params = NotVisitedQuerySerializer(data={k: v for k, v in request.query_params.items() if k != "format"})
        params.is_valid(raise_exception=True)
        rows = [
            {
                "id": firm.pk,
                "name": firm.name,
                "last_contact": None if firm.last_contact == issue_stats.NEVER else firm.last_contact,
            }
            for firm in issue_stats.not_visited(params.validated_data["days"])
        ]
        return Response(NotVisitedRowSerializer(rows, many=True).data)
