"""API of funds in place (``/api/v1/project-funds/``): monthly records, written through ``projects.services``.

An update hands the service the version ``If-Match`` named (``context["expected_version"]``); a
correction is an edit of the month's record, never a second one (which the API refuses with 400).
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import serializers

from pinghu.api.concurrency import CONDITIONAL_ERRORS, IF_MATCH
from pinghu.api.export import Column, ExportMixin
from pinghu.api.serializers import StrictFieldsMixin
from pinghu.api.viewsets import ERRORS, READ_ERRORS, WriteViewSet
from projects.fields import FUNDS_COLUMNS
from projects.filters import ProjectFundsFilterSet
from projects.models import ProjectFunds
from projects.services import project_funds_create, project_funds_update


class ProjectFundsSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    """One project's funds in place and actual foreign investment in one month."""

    month = serializers.DateField(
        help_text=_("The month, as its first day (2024-03-01); any day of the month is taken as that month.")
    )
    project_name = serializers.CharField(source="project.name", read_only=True)
    entered_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = ProjectFunds
        fields = [
            "id",
            "project",
            "project_name",
            "month",
            "domestic_funds",
            "actual_foreign_investment",
            "source_note",
            "entered_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        # The one-per-month rule is the model's (with its message), checked by the service.
        validators = []

    def create(self, validated_data):
        return project_funds_create(**validated_data, by=self.context["request"].user)

    def update(self, instance, validated_data):
        return project_funds_update(
            funds=instance,
            data=validated_data,
            expected_version=self.context.get("expected_version"),
            by=self.context["request"].user,
        )


@extend_schema_view(
    list=extend_schema(
        summary=_("List monthly funds in place and actual foreign investment"),
        description=_(
            "One record per project and month: domestic funds in place (内资到位, 万元) and actual foreign "
            "investment paid in (实际外资, 万美元), not the contracted amounts. ?format=csv or ?format=xlsx exports."
        ),
        responses={200: ProjectFundsSerializer(many=True), **READ_ERRORS},
    ),
    retrieve=extend_schema(summary=_("One monthly funds record")),
    create=extend_schema(
        summary=_("Record a project's funds in place for a month (bureau staff)"),
        description=_("A month that already has a record is refused: correct that record instead (PATCH)."),
        responses={201: ProjectFundsSerializer, **ERRORS},
        examples=[
            OpenApiExample(
                "March",
                value={
                    "project": 1,
                    "month": "2024-03-01",
                    "domestic_funds": "1200.00",
                    "actual_foreign_investment": "150.00",
                    "source_note": "商务局外资统计",
                },
                request_only=True,
            )
        ],
    ),
    update=extend_schema(
        summary=_("Replace a monthly funds record (a correction, kept in its history)"),
        parameters=[IF_MATCH],
        responses={200: ProjectFundsSerializer, **ERRORS, **CONDITIONAL_ERRORS},
    ),
    partial_update=extend_schema(
        summary=_("Correct some amounts of a monthly funds record (kept in its history)"),
        parameters=[IF_MATCH],
        responses={200: ProjectFundsSerializer, **ERRORS, **CONDITIONAL_ERRORS},
    ),
)
class ProjectFundsViewSet(ExportMixin, WriteViewSet):
    queryset = ProjectFunds.objects.select_related("project", "entered_by")
    serializer_class = ProjectFundsSerializer
    filterset_class = ProjectFundsFilterSet
    search_fields = ["project__name", "source_note"]
    ordering_fields = ["month", "updated_at", "domestic_funds", "actual_foreign_investment"]
    ordering = ["-month", "-id"]
    export_name = "project-funds"
    # The columns the "funds" import reads back (projects.fields.FUNDS_COLUMNS), so an export re-imports.
    export_columns = [
        Column({"project": "project__name"}.get(name, name), header) for name, header in FUNDS_COLUMNS.items()
    ]
