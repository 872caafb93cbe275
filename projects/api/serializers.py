"""API representations of investment activity. Writes are handed to ``projects.services``.

An update hands the service the version ``If-Match`` named (``context["expected_version"]``, see
``pinghu.api.concurrency``), which refuses a stale one.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from chains.models import Chain, Leader
from pinghu.api.serializers import StrictFieldsMixin
from projects.choices import TRANSITION_FIELDS, ProjectStage
from projects.models import (
    ExchangeRate,
    InvestmentVisit,
    Project,
    ProjectStageChange,
    SigningEvent,
)
from projects.services import project_create, project_update, visit_create, visit_update
from units.api.fields import UnitIdField, UnitNameField

from .photos import VisitPhotoSerializer

PROJECT_FIELDS = [
    "id",
    "name",
    "chain",
    "investor",
    "investor_name",
    "source",
    "stage",
    "total_investment",
    "foreign_investment",
    "registered_capital",
    "land_area",
    "expected_output",
    "expected_tax",
    "is_capital_increase",
    "major",
    "town",
    "level",
    "level_year",
    "responsible_unit",
    "responsible_unit_id",
    "responsible_official",
    "first_contact_date",
    "signed_date",
    "registered_date",
    "construction_date",
    "production_date",
    # Approval milestones (issue 16).
    "project_code",
    "code_date",
    "approval_kind",
    "approval_date",
    "land_supplied_date",
    "construction_permit_date",
    "capacity_date",
    "signing_event",
    "created_at",
    "updated_at",
]
# Derived from the monthly funds records (projects.funds_stats.with_funds), read-only.
FUNDS_FIELDS = ["funds_in_place", "foreign_paid_in", "funds_rate"]


def confirm_large_amounts_field():
    """The request flag that confirms amounts above their warning line (PINGHU_AMOUNT_WARNINGS)."""
    return serializers.BooleanField(
        write_only=True,
        required=False,
        default=False,
        help_text=_(
            "Confirms amounts above their warning line (default 1,000,000 万元 of total investment); without it "
            "such an amount is refused with a 400 naming the field and the line. Amounts above the ceiling "
            "(default 10,000,000 万元) are refused even when confirmed."
        ),
    )


class StageChangeSerializer(serializers.ModelSerializer):
    by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = ProjectStageChange
        fields = ["from_stage", "to_stage", "at", "by", "note", "created_at"]


class ProjectSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    """A project. ``stage`` is set on creation only; later moves go through the transition endpoint."""

    chain = serializers.SlugRelatedField(slug_field="code", queryset=Chain.objects.all())
    investor_name = serializers.CharField(source="investor.name", read_only=True)
    responsible_unit = UnitNameField(required=False, allow_null=True)
    responsible_unit_id = UnitIdField("responsible_unit")
    major = serializers.BooleanField(
        read_only=True,
        help_text=_(
            "Derived: the investor is known to be a Fortune Global 500 firm or an international industry leader, "
            "or the total investment reaches US$100 million at the exchange rate of the signed year (else this "
            "year). Unknown flags never count."
        ),
    )
    # Funds in place to date (projects.funds_stats.with_funds): every monthly record, whatever its month.
    funds_in_place = serializers.DecimalField(
        max_digits=20,
        decimal_places=2,
        read_only=True,
        help_text=_("内资到位 to date, 万元 (monthly records summed)."),
    )
    foreign_paid_in = serializers.DecimalField(
        max_digits=20,
        decimal_places=2,
        read_only=True,
        help_text=_("实际外资 to date, 万美元 (monthly records summed)."),
    )
    funds_rate = serializers.DecimalField(
        max_digits=12,
        decimal_places=4,
        read_only=True,
        allow_null=True,
        help_text=_("到位率: funds_in_place ÷ total_investment (both 万元; US dollars do not enter); null if 0."),
    )
    confirm_large_amounts = confirm_large_amounts_field()

    class Meta:
        model = Project
        fields = [*PROJECT_FIELDS, *FUNDS_FIELDS, "confirm_large_amounts"]
        read_only_fields = ["signing_event", "created_at", "updated_at"]
        # The project code is checked by the model once spaces and full-width hyphens are dropped (milestones).
        extra_kwargs = {"project_code": {"validators": []}}

    def to_internal_value(self, data):
        if self.instance is not None and isinstance(data, dict):
            locked = sorted(set(TRANSITION_FIELDS) & set(data))
            if locked:
                message = _("Changes only through POST /api/v1/projects/{id}/transition/.")
                raise serializers.ValidationError({name: [message] for name in locked}, code="stage_read_only")
        return super().to_internal_value(data)

    def create(self, validated_data):
        confirmed = validated_data.pop("confirm_large_amounts", False)
        project = project_create(
            project=Project(**validated_data), by=self.context["request"].user, confirm_large_amounts=confirmed
        )
        return project  # the view answers with the row read again through its queryset (WriteViewSet.reread)

    def update(self, instance, validated_data):
        confirmed = validated_data.pop("confirm_large_amounts", False)
        project = project_update(
            project=instance,
            data=validated_data,
            expected_version=self.context.get("expected_version"),
            confirm_large_amounts=confirmed,
            by=self.context["request"].user,
        )
        return project  # read again by the view (WriteViewSet.reread)


class ProjectDetailSerializer(ProjectSerializer):
    stage_changes = StageChangeSerializer(many=True, read_only=True)

    class Meta(ProjectSerializer.Meta):
        fields = [*PROJECT_FIELDS, *FUNDS_FIELDS, "stage_changes", "confirm_large_amounts"]


class TransitionSerializer(StrictFieldsMixin, serializers.Serializer):
    """Body of ``POST /api/v1/projects/{id}/transition/``."""

    to_stage = serializers.ChoiceField(choices=ProjectStage.choices)
    date = serializers.DateField(help_text=_("The date of the move; the target stage's date field is set to it."))
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    stage_dates = serializers.DictField(
        child=serializers.DateField(),
        required=False,
        default=dict,
        help_text=_('Dates of stages passed on a multi-step move, e.g. {"signed": "2024-05-09"}.'),
    )

    def validate_stage_dates(self, value):
        unknown = sorted(set(value) - set(ProjectStage.values))
        if unknown:
            raise serializers.ValidationError(_("Unknown stage: %(stage)s.") % {"stage": ", ".join(unknown)})
        return value


class NewLeadSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    """A new lead created with a visit; investor defaults to the visited enterprise."""

    chain = serializers.SlugRelatedField(slug_field="code", queryset=Chain.objects.all())
    responsible_unit = UnitNameField(required=False, allow_null=True)

    class Meta:
        model = Project
        fields = ["name", "chain", "investor", "total_investment", "foreign_investment", "town", "responsible_unit"]
        extra_kwargs = {"investor": {"required": False}}


class InvestmentVisitSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    leaders = serializers.PrimaryKeyRelatedField(many=True, queryset=Leader.objects.all(), allow_empty=False)
    chains = serializers.SlugRelatedField(many=True, slug_field="code", queryset=Chain.objects.all(), required=False)
    projects = serializers.PrimaryKeyRelatedField(many=True, queryset=Project.objects.all(), required=False)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    host_unit = UnitNameField()
    host_unit_id = UnitIdField("host_unit")
    recorded_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    new_projects = NewLeadSerializer(
        many=True, write_only=True, required=False, help_text=_("New leads to create and link in the same step.")
    )
    confirm_large_amounts = confirm_large_amounts_field()
    photos = VisitPhotoSerializer(
        many=True, read_only=True, help_text=_("Its photos; add and remove them at /visits/<id>/photos/.")
    )

    class Meta:
        model = InvestmentVisit
        fields = [
            "id",
            "date",
            "is_saturday",
            "leaders",
            "host_unit",
            "host_unit_id",
            "enterprise",
            "enterprise_name",
            "destination_city",
            "chains",
            "purpose",
            "outcome",
            "next_step",
            "follow_up_date",
            "projects",
            "photos",
            "new_projects",
            "confirm_large_amounts",
            "recorded_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["is_saturday", "created_at", "updated_at"]

    def create(self, validated_data):
        leaders = validated_data.pop("leaders")
        chains = validated_data.pop("chains", [])
        projects = validated_data.pop("projects", [])
        new_projects = [Project(**data) for data in validated_data.pop("new_projects", [])]
        confirmed = validated_data.pop("confirm_large_amounts", False)
        visit = visit_create(
            confirm_large_amounts=confirmed,
            visit=InvestmentVisit(**validated_data),
            leaders=leaders,
            chains=chains,
            projects=projects,
            new_projects=new_projects,
            by=self.context["request"].user,
        )
        return visit  # the view answers with the row read again through its queryset (WriteViewSet.reread)

    def update(self, instance, validated_data):
        if "new_projects" in validated_data:
            raise serializers.ValidationError(
                {"new_projects": [_("New leads can only be added when a visit is created.")]}
            )
        validated_data.pop("confirm_large_amounts", None)
        leaders = validated_data.pop("leaders", None)
        chains = validated_data.pop("chains", None)
        projects = validated_data.pop("projects", None)
        for name, value in validated_data.items():
            setattr(instance, name, value)
        visit_update(
            visit=instance,
            leaders=leaders if leaders is not None else instance.leaders.all(),
            chains=chains if chains is not None else instance.chains.all(),
            projects=projects if projects is not None else instance.projects.all(),
            expected_version=self.context.get("expected_version"),
            by=self.context["request"].user,
        )
        return instance  # read again by the view (is_saturday is the database's): WriteViewSet.reread


class SigningEventSerializer(serializers.ModelSerializer):
    """A signing conference: the totals it announced (公布) beside those derived from the projects on record.

    The two differ when not every project signed at it is on record (the 2023-05-09 conference
    announced 28 projects and 122亿元, none of them named).
    """

    project_count = serializers.IntegerField(
        read_only=True, help_text=_("Projects on record linked to the conference (系统内已登记).")
    )
    total_investment = serializers.DecimalField(
        max_digits=18,
        decimal_places=2,
        read_only=True,
        help_text=_("Sum of the total investment of the projects on record (系统内已登记), 万元."),
    )
    foreign_investment = serializers.DecimalField(
        max_digits=18,
        decimal_places=2,
        read_only=True,
        help_text=_("Sum of the contracted foreign investment (合同外资) of the projects on record, 万美元."),
    )

    class Meta:
        model = SigningEvent
        fields = [
            "id",
            "name",
            "date",
            "location",
            "description",
            "announced_project_count",
            "announced_investment",
            "project_count",
            "total_investment",
            "foreign_investment",
            "updated_at",
        ]


# ---------------------------------------------------------------- bands and levels (issue 16)
class ExchangeRateSerializer(serializers.ModelSerializer):
    """The yearly CNY/USD rate the US-dollar band converts with (read-only here; edited in the admin)."""

    class Meta:
        model = ExchangeRate
        fields = ["year", "cny_per_usd", "source", "updated_at"]
