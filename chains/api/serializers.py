"""Representations of the industry structure (read-only) and of the per-mu figures (written by bureau staff)."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from chains.choices import Grade
from chains.models import (
    METRIC_YEAR_MAX,
    METRIC_YEAR_MIN,
    Chain,
    ChainLeadership,
    ChainNode,
    Cluster,
    Enterprise,
    EnterpriseAnnualMetric,
    EnterpriseChainRole,
    Leader,
)
from chains.stats import annual_metrics
from pinghu.api.serializers import StrictFieldsMixin
from pinghu.concurrency import lock_for_update
from units.api.fields import UnitIdField, UnitNameField


class ClusterSerializer(serializers.ModelSerializer):
    class Meta:
        model = Cluster
        fields = ["id", "code", "name", "name_en", "description", "sort_order", "updated_at"]


class LeaderSerializer(serializers.ModelSerializer):
    unit = UnitNameField(read_only=True)
    unit_id = UnitIdField("unit")

    class Meta:
        model = Leader
        fields = ["id", "name", "title", "unit", "unit_id", "is_active", "is_top_official", "updated_at"]


class CurrentLeadershipSerializer(serializers.ModelSerializer):
    leader_name = serializers.CharField(source="leader.name", read_only=True)

    class Meta:
        model = ChainLeadership
        fields = ["leader", "leader_name", "role", "start_date"]


class LeadEnterpriseSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(source="enterprise.id", read_only=True)
    name = serializers.CharField(source="enterprise.name", read_only=True)

    class Meta:
        model = EnterpriseChainRole
        fields = ["id", "name", "since"]


class ChainSerializer(serializers.ModelSerializer):
    """A chain with its current 链长/副链长 and lead enterprises (链主), read-only.

    Expects the ``current_leaderships`` and ``lead_roles`` prefetches of ``ChainViewSet``.
    """

    cluster = serializers.SlugRelatedField(slug_field="code", read_only=True)
    current_leaders = CurrentLeadershipSerializer(source="current_leaderships", many=True, read_only=True)
    lead_enterprises = LeadEnterpriseSerializer(source="lead_roles", many=True, read_only=True)

    class Meta:
        model = Chain
        fields = [
            "id",
            "code",
            "name",
            "name_en",
            "kind",
            "cluster",
            "policy",
            "description",
            "sort_order",
            "current_leaders",
            "lead_enterprises",
            "updated_at",
        ]


class ChainNodeSerializer(serializers.ModelSerializer):
    chain = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = ChainNode
        fields = ["id", "chain", "parent", "name", "segment", "sort_order", "gap", "gap_basis", "updated_at"]
        extra_kwargs = {
            "gap": {
                "help_text": _(
                    "The bureau's assessment: true, a gap to recruit for (补链); false, covered locally; "
                    "null, not yet assessed (never derived from the firms on record)."
                )
            }
        }


class EnterpriseRoleSerializer(serializers.ModelSerializer):
    chain = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = EnterpriseChainRole
        fields = ["chain", "node", "is_lead", "since"]


class EnterpriseSerializer(serializers.ModelSerializer):
    chain_roles = EnterpriseRoleSerializer(many=True, read_only=True)

    class Meta:
        model = Enterprise
        fields = [
            "id",
            "name",
            "short_name",
            "credit_code",
            "ownership",
            "country",
            "fortune500",
            "industry_leader",
            "srdi_level",
            "above_size",
            "in_pinghu",
            "town",
            "address",
            "website",
            "notes",
            "facts_source",
            "chain_roles",
            "created_at",
            "updated_at",
        ]
        # Unknown is not "no": null means the register does not know.
        extra_kwargs = {
            "fortune500": {"help_text": _("true, false, or null when unknown.")},
            "industry_leader": {
                "help_text": _("International industry leader (国际行业龙头): true, false, or null when unknown.")
            },
            "srdi_level": {"help_text": _("none, provincial or national, or null when unknown.")},
            "above_size": {
                "help_text": _("Annual revenue of 20 million yuan or more: true, false, or null when unknown.")
            },
            "country": {"help_text": _("Of the investor, for a foreign-funded firm; empty when unknown.")},
        }


def _ratio(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=24, decimal_places=4, read_only=True, **kwargs)


def _total(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=20, decimal_places=2, allow_null=True, **kwargs)


class EnterpriseAnnualMetricSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    """An enterprise's figures for a year with what the per-mu evaluation derives from them (read-only).

    Writes validate the model (``full_clean``: its constraints with their messages) before saving.
    Expects the annotated queryset of ``chains.stats.annual_metrics``.
    """

    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    town = serializers.CharField(source="enterprise.town", read_only=True)
    tax_per_mu = _ratio(help_text=_("Tax paid ÷ land, 万元/亩."))
    output_per_mu = _ratio(help_text=_("Industrial output ÷ land, 万元/亩."))
    energy_per_output = _ratio(
        allow_null=True, help_text=_("Energy use ÷ industrial output, tce/万元; null when not computable.")
    )
    grade = serializers.ChoiceField(choices=Grade.choices, read_only=True)
    rank = serializers.IntegerField(read_only=True, help_text=_("Place among the year's firms by tax per mu."))

    class Meta:
        model = EnterpriseAnnualMetric
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "town",
            "year",
            "land_area",
            "tax_paid",
            "industrial_output",
            "revenue",
            "energy_use",
            "employees",
            "rd_spending",
            "tax_per_mu",
            "output_per_mu",
            "energy_per_output",
            "grade",
            "rank",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def create(self, validated_data):
        metric = EnterpriseAnnualMetric(**validated_data)
        metric.full_clean()
        metric.save()
        return annual_metrics().get(pk=metric.pk)

    @transaction.atomic
    def update(self, instance, validated_data):
        # The If-Match version (ConditionalUpdateMixin) is checked on the locked row, as every update service does.
        metric = lock_for_update(EnterpriseAnnualMetric, instance.pk, self.context.get("expected_version"))
        for name, value in validated_data.items():
            setattr(metric, name, value)
        metric.full_clean()
        metric.save(update_fields=[*validated_data, "updated_at"])
        return annual_metrics().get(pk=metric.pk)


class PerMuYearQuerySerializer(StrictFieldsMixin, serializers.Serializer):
    """Query parameters of the per-mu statistics."""

    year = serializers.IntegerField(
        required=False,
        min_value=METRIC_YEAR_MIN,
        max_value=METRIC_YEAR_MAX,
        help_text=_("Evaluation year (default: the latest complete year with figures)."),
    )


class PerMuGroupSerializer(serializers.Serializer):
    """Aggregates of a group of firms for one year; tax per mu is summed tax ÷ summed land."""

    firms = serializers.IntegerField()
    total_land_area = _total(help_text=_("亩"))
    total_tax_paid = _total(help_text=_("万元"))
    total_industrial_output = _total(help_text=_("万元"))
    tax_per_mu = _ratio(allow_null=True)
    output_per_mu = _ratio(allow_null=True)
    grade_a = serializers.IntegerField()
    grade_b = serializers.IntegerField()
    grade_c = serializers.IntegerField()
    grade_d = serializers.IntegerField()


class PerMuByTownRowSerializer(PerMuGroupSerializer):
    town = serializers.CharField(help_text=_("Empty for firms without a town."))
    town_label = serializers.CharField()


class PerMuByChainRowSerializer(PerMuGroupSerializer):
    code = serializers.CharField()
    name = serializers.CharField()
