"""Read-only representations of the industry structure."""

from rest_framework import serializers

from chains.models import Chain, ChainLeadership, ChainNode, Cluster, Enterprise, EnterpriseChainRole, Leader


class ClusterSerializer(serializers.ModelSerializer):
    class Meta:
        model = Cluster
        fields = ["id", "code", "name", "name_en", "description", "sort_order", "updated_at"]


class LeaderSerializer(serializers.ModelSerializer):
    class Meta:
        model = Leader
        fields = ["id", "name", "title", "unit", "is_active", "updated_at"]


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
        fields = ["id", "chain", "parent", "name", "segment", "sort_order", "updated_at"]


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
            "srdi_level",
            "above_size",
            "in_pinghu",
            "town",
            "address",
            "website",
            "notes",
            "chain_roles",
            "created_at",
            "updated_at",
        ]
