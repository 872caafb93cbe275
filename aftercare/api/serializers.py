"""API representations of the service of established firms. Writes are handed to ``aftercare.services``.

An update hands the service the version ``If-Match`` named (``context["expected_version"]``, see
``pinghu.api.concurrency``), which refuses a stale one.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from pinghu.api.serializers import StrictFieldsMixin
from units.api.fields import UnitIdField, UnitNameField

from ..choices import ISSUE_STEP_FIELDS, IssueStatus, Satisfaction
from ..models import CadreAssignment, EnterpriseIssue, IssueStep, SalonEvent
from ..services import cadre_assign, cadre_assignment_update, issue_create, issue_update, salon_save


class SalonEventSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    issue_count = serializers.IntegerField(read_only=True, help_text=_("Problems collected at the salon."))

    class Meta:
        model = SalonEvent
        fields = ["id", "date", "host", "place", "enterprises", "notes", "issue_count", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]

    def create(self, validated_data):
        enterprises = validated_data.pop("enterprises", [])
        return salon_save(salon=SalonEvent(**validated_data), enterprises=enterprises)

    def update(self, instance, validated_data):
        enterprises = validated_data.pop("enterprises", None)
        for name, value in validated_data.items():
            setattr(instance, name, value)
        return salon_save(
            salon=instance, enterprises=enterprises, expected_version=self.context.get("expected_version")
        )


class IssueStepSerializer(serializers.ModelSerializer):
    by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = IssueStep
        fields = ["from_status", "to_status", "on", "by", "note", "created_at"]


ISSUE_FIELDS = [
    "id",
    "enterprise",
    "enterprise_name",
    "channel",
    "salon",
    "visit",
    "category",
    "description",
    "assigned_unit",
    "assigned_unit_id",
    "due_date",
    "status",
    "received_on",
    "assigned_on",
    "resolved_on",
    "closed_on",
    "rejected_on",
    "rejection_reason",
    "resolution_note",
    "satisfaction",
    "created_at",
    "updated_at",
]


class EnterpriseIssueSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    """A problem. Its status and step dates move only through ``POST …/{id}/advance/``."""

    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    assigned_unit = UnitNameField(required=False, allow_null=True)
    assigned_unit_id = UnitIdField("assigned_unit")

    class Meta:
        model = EnterpriseIssue
        fields = ISSUE_FIELDS
        read_only_fields = [*ISSUE_STEP_FIELDS, "created_at", "updated_at"]

    def create(self, validated_data):
        return issue_create(issue=EnterpriseIssue(**validated_data), by=self.context["request"].user)

    def update(self, instance, validated_data):
        return issue_update(issue=instance, data=validated_data, expected_version=self.context.get("expected_version"))


class EnterpriseIssueDetailSerializer(EnterpriseIssueSerializer):
    steps = IssueStepSerializer(many=True, read_only=True)

    class Meta(EnterpriseIssueSerializer.Meta):
        fields = [*ISSUE_FIELDS, "steps"]


class IssueAdvanceSerializer(StrictFieldsMixin, serializers.Serializer):
    """Body of ``POST /api/v1/enterprise-issues/{id}/advance/``."""

    # Every status is listed (one enum in the schema); moving to "received" is refused by the service.
    to_status = serializers.ChoiceField(choices=IssueStatus.choices)
    on = serializers.DateField(help_text=_("The date of the step."))
    unit = UnitNameField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("assigned: the unit handed to (its id or its name, as /api/v1/units/ lists it)."),
    )
    due_date = serializers.DateField(required=False, allow_null=True, default=None)
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=2000,
        help_text=_("resolved: how it was resolved; rejected: the reason."),
    )
    satisfaction = serializers.ChoiceField(choices=Satisfaction.choices, required=False, allow_null=True, default=None)


class CadreAssignmentSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    """An assignment; creating one ends the firm's current assignment the day before it starts."""

    class Meta:
        model = CadreAssignment
        fields = [
            "id",
            "enterprise",
            "cadre_user",
            "cadre_leader",
            "start_date",
            "end_date",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def create(self, validated_data):
        return cadre_assign(
            enterprise=validated_data["enterprise"],
            start_date=validated_data["start_date"],
            cadre_user=validated_data.get("cadre_user"),
            cadre_leader=validated_data.get("cadre_leader"),
            end_date=validated_data.get("end_date"),
        )

    def update(self, instance, validated_data):
        return cadre_assignment_update(
            assignment=instance, data=validated_data, expected_version=self.context.get("expected_version")
        )
