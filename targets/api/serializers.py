"""Serializers of targets, assessment weights and the progress statistics; writes go through ``targets.services``."""

from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from chains.models import Chain, Cluster
from pinghu.api.serializers import StrictFieldsMixin
from projects.periods import EARLIEST, LATEST
from units.api.fields import UnitIdField, UnitNameField

from ..choices import Metric, ProgressStatus, ScopeKind
from ..metrics import METRICS
from ..models import AssessmentWeight, Target
from ..services import target_create, target_update, weight_save


def _metric_definitions() -> str:
    return "\n".join(
        f"- `{key}` ({definition.label}, {definition.unit.label}; "
        f"{'、'.join(str(ScopeKind(kind).label) for kind in ScopeKind.values if definition.supports(kind))}): "
        f"{definition.definition}"
        for key, definition in METRICS.items()
    )


# Every metric, its unit, the scopes it supports and its definition: for the schema's descriptions.
METRIC_DEFINITIONS = lazy(_metric_definitions, str)()


class TargetSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    """A target: years, scope (and its cluster, chain, town or unit), metric and value in the metric's unit."""

    cluster = serializers.SlugRelatedField(
        slug_field="code", queryset=Cluster.objects.all(), required=False, allow_null=True, help_text=_("Cluster code.")
    )
    chain = serializers.SlugRelatedField(
        slug_field="code", queryset=Chain.objects.all(), required=False, allow_null=True, help_text=_("Chain code.")
    )
    year_to = serializers.IntegerField(
        required=False, allow_null=True, help_text=_("Last year of a multi-year target; empty: the first year.")
    )
    metric = serializers.ChoiceField(choices=Metric.choices, help_text=METRIC_DEFINITIONS)
    metric_label = serializers.CharField(read_only=True)
    unit_of_measure = serializers.CharField(read_only=True, help_text=_("The metric's unit."))
    set_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    unit = UnitNameField(required=False, allow_null=True)
    unit_id = UnitIdField("unit")

    class Meta:
        model = Target
        fields = [
            "id",
            "year_from",
            "year_to",
            "scope_kind",
            "cluster",
            "chain",
            "town",
            "unit",
            "unit_id",
            "metric",
            "metric_label",
            "unit_of_measure",
            "value",
            "source",
            "note",
            "set_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        # The rules (a value above zero, one target per years, scope and metric) are the model's, with
        # their messages, checked by the service.
        validators = []

    def create(self, validated_data):
        return target_create(data=validated_data, by=self.context["request"].user)

    def update(self, instance, validated_data):
        return target_update(
            target=instance,
            data=validated_data,
            expected_version=self.context.get("expected_version"),
            by=self.context["request"].user,
        )


class AssessmentWeightSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    """A metric's weight in a year's weighted ranking score (a metric without one weighs 1)."""

    set_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = AssessmentWeight
        fields = ["id", "year", "metric", "weight", "set_by", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]
        validators = []

    def validate(self, attrs):
        if self.instance is not None:
            for name in ("year", "metric"):
                if name in attrs and attrs[name] != getattr(self.instance, name):
                    raise serializers.ValidationError({name: [_("A weight keeps its year and metric.")]})
        return attrs

    def create(self, validated_data):
        return weight_save(**validated_data, by=self.context["request"].user)

    def update(self, instance, validated_data):
        return weight_save(
            year=instance.year,
            metric=instance.metric,
            weight=validated_data.get("weight", instance.weight),
            by=self.context["request"].user,
            expected_version=self.context.get("expected_version"),
        )


class TargetStatsQuerySerializer(StrictFieldsMixin, serializers.Serializer):
    """Query parameters of ``/api/v1/stats/targets/``."""

    year = serializers.IntegerField(
        required=False, min_value=2000, max_value=2100, help_text=_("The year (default: the as-of day's).")
    )
    as_of = serializers.DateField(
        required=False, help_text=_("The day the figures stand on (default: today, or 31 December of a past year).")
    )
    scope = serializers.CharField(
        required=False,
        help_text=_(
            "city, a scope kind (cluster, chain, town, unit) for all of it, or one scope: cluster:<code>, "
            "chain:<code>, town:<name or code>, unit:<name or id>."
        ),
    )
    metric = serializers.ChoiceField(choices=Metric.choices, required=False, help_text=_("Only this metric."))

    def validate_as_of(self, value):
        if not EARLIEST <= value <= LATEST:
            raise serializers.ValidationError(
                _("Dates must lie between %(earliest)s and %(latest)s.") % {"earliest": EARLIEST, "latest": LATEST}
            )
        return value


class TargetProgressSerializer(serializers.Serializer):
    """A target's progress on the as-of day."""

    target = serializers.IntegerField(source="target.pk", help_text=_("The target's id."))
    year_from = serializers.IntegerField(source="target.year_from")
    year_to = serializers.IntegerField(source="target.year_to")
    scope_kind = serializers.ChoiceField(choices=ScopeKind.choices, source="target.scope_kind")
    scope = serializers.CharField(help_text=_("The cluster's or chain's code, the town, the unit; empty for the city."))
    scope_label = serializers.CharField(source="target.scope_label")
    metric = serializers.ChoiceField(choices=Metric.choices, source="target.metric", help_text=METRIC_DEFINITIONS)
    metric_label = serializers.CharField(source="target.metric_label")
    unit = serializers.CharField(help_text=_("The metric's unit."))
    unit_label = serializers.CharField(source="unit.label")
    value = serializers.DecimalField(max_digits=16, decimal_places=2, source="target.value", help_text=_("The target."))
    actual = serializers.DecimalField(max_digits=20, decimal_places=2, help_text=_("The actual on as_of."))
    completion = serializers.DecimalField(
        max_digits=12, decimal_places=4, help_text=_("actual ÷ target (0.4600 = 46%).")
    )
    time_progress = serializers.DecimalField(
        max_digits=6, decimal_places=4, help_text=_("Elapsed months ÷ the months of the target's years (时序进度).")
    )
    gap_points = serializers.DecimalField(
        max_digits=12, decimal_places=2, help_text=_("completion − time progress, in percentage points.")
    )
    status = serializers.ChoiceField(choices=ProgressStatus.choices)
    status_label = serializers.CharField(source="status.label")
    rank = serializers.IntegerField(
        allow_null=True, help_text=_("Place among the targets of the same scope kind, metric and years (1, 1, 3).")
    )
    period_start = serializers.DateField(allow_null=True)
    period_end = serializers.DateField(allow_null=True)


class TargetStatsSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    as_of = serializers.DateField()
    results = TargetProgressSerializer(many=True)
